"""Inline call primitives (custom_vjp_call): after differentiation their sub-graph is an
ordinary part of the program."""
from __future__ import annotations

from ..graph import Graph, Node, Value
from ..kinds import CALL
from .rewrite import rewrite


def inline_calls(graph: Graph) -> Graph:
    consts = list(graph.consts)

    def visit(node, emit):
        if node.prim.kind != CALL:
            return None
        inner = inline_calls(node.params["graph"])
        consts.extend(inner.consts)
        env = dict(zip(inner.inputs, node.inputs))
        read = lambda x: env.get(x, x) if isinstance(x, Value) else x
        for n in inner.nodes:
            fresh = [Value(v.aval, v.hint) for v in n.outputs]
            emit(Node(n.prim, [read(x) for x in n.inputs], n.params, fresh, n.loc or node.loc))
            env.update(zip(n.outputs, fresh))
        return [read(x) for x in inner.outputs]

    return rewrite(graph, visit).replace(consts=consts)
