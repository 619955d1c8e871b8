"""What code generation needs of a graph before fusion: custom_vjp_call sub-graphs
inlined (the graph passes normally did this already)."""
from __future__ import annotations

from ..ir import Graph
from ..ir.kinds import CALL
from ..ir.passes.inline import inline_calls


def prepare(graph: Graph) -> Graph:
    if any(node.prim.kind == CALL for node in graph.nodes):
        graph = inline_calls(graph)
    return graph
