"""Passes inside control flow: every pass runs on the sub-graphs of cond, scan and while
as on the program, and consts that inlining leaves in a sub-graph become operands."""
from __future__ import annotations

from ..control import hoist_consts, map_sub_graphs
from ..graph import Graph, Node
from ..kinds import CONTROL
from .rewrite import rewrite


def optimize_sub_graphs(graph: Graph) -> Graph:
    from . import run_passes          # the pass list includes this pass: sub-sub-graphs
    consts = list(graph.consts)

    def visit(node, emit):
        if node.prim.kind != CONTROL:
            return None
        params = map_sub_graphs(node, run_passes)
        node, found = hoist_consts(Node(node.prim, node.inputs, params, node.outputs,
                                        node.loc))
        consts.extend(found)
        emit(node)
        return list(node.outputs)

    return rewrite(graph, visit).replace(consts=consts)
