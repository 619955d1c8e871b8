"""What code generation needs of a graph before fusion: calls (custom_vjp_call,
checkpoint) inlined, and the sub-graphs of control flow optimized and closed (the graph
passes normally did both already)."""
from __future__ import annotations

from ..ir import Graph
from ..ir.kinds import CALL, CONTROL
from ..ir.passes.inline import inline_calls
from ..ir.passes.nested import optimize_sub_graphs


def prepare(graph: Graph) -> Graph:
    kinds = {node.prim.kind for node in graph.nodes}
    if CALL in kinds:
        graph = inline_calls(graph)
    if CONTROL in kinds:
        graph = optimize_sub_graphs(graph)
    return graph
