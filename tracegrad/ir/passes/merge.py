"""Merge a reduction of a reduction into one: `sum(sum(x, 1), 0)` is one reduction over
both axes (same op, the inner result used nowhere else) — one loop instead of two."""
from __future__ import annotations

from ..graph import Graph, Node, Value
from .dce import eliminate_dead_code
from .rewrite import rewrite

MERGEABLE = ("reduce_sum", "reduce_prod", "reduce_max", "reduce_min")


def merge_reductions(graph: Graph) -> Graph:
    uses: dict = {}
    for node in graph.nodes:
        for x in node.inputs:
            if isinstance(x, Value):
                uses[x] = uses.get(x, 0) + 1
    for x in graph.outputs:
        if isinstance(x, Value):
            uses[x] = uses.get(x, 0) + 1
    producer = {}
    changed = False

    def visit(node, emit):
        nonlocal changed
        for v in node.outputs:
            producer[v] = node
        inner = producer.get(node.inputs[0]) if node.inputs else None
        if (node.prim.name not in MERGEABLE or inner is None
                or inner.prim is not node.prim or uses.get(inner.out) != 1):
            return None
        kept = [a for a in range(inner.inputs[0].aval.ndim) if a not in inner.params["axes"]]
        axes = tuple(sorted(set(inner.params["axes"]) |
                            {kept[b] for b in node.params["axes"]}))
        merged = Node(node.prim, inner.inputs, {"axes": axes}, node.outputs, node.loc)
        producer[node.out] = merged
        emit(merged)
        changed = True
        return list(node.outputs)

    graph = rewrite(graph, visit)
    return eliminate_dead_code(graph) if changed else graph
