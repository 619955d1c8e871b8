"""Constant folding: a node whose operands are all literals, with a scalar result,
becomes a literal."""
from __future__ import annotations

from ..graph import Graph, Literal
from ..kinds import CALL, CALLBACK, CONTROL
from .rewrite import rewrite


def fold_constants(graph: Graph) -> Graph:
    def visit(node, emit):
        # A callback runs when the program does, not while it compiles.
        if node.prim.kind in (CALL, CALLBACK, CONTROL) or not node.inputs:
            return None
        if not all(isinstance(x, Literal) for x in node.inputs):
            return None
        if any(v.aval.shape != () for v in node.outputs):
            return None
        outs = node.prim.impl(*[x.value for x in node.inputs], **node.params)
        return [Literal(o, v.aval) for o, v in zip(outs, node.outputs)]

    return rewrite(graph, visit)
