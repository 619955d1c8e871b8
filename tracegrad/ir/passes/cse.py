"""Common-subexpression elimination: one node per (primitive, operands, params)."""
from __future__ import annotations

from ..graph import Graph, Literal
from .rewrite import rewrite


def _key(node):
    operands = tuple(x.key() if isinstance(x, Literal) else x for x in node.inputs)
    try:
        params = tuple(sorted(node.params.items()))
        key = (node.prim.name, operands, params)
        hash(key)
    except TypeError:
        return None
    return key


def eliminate_common_subexpressions(graph: Graph) -> Graph:
    seen = {}

    def visit(node, emit):
        key = _key(node)
        if key is None:
            return None
        if key in seen:
            return list(seen[key].outputs)
        seen[key] = node
        return None

    return rewrite(graph, visit)
