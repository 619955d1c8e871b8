"""Dead-code elimination: drop nodes none of whose outputs reach a graph output."""
from __future__ import annotations

from ..graph import Graph, Value


def eliminate_dead_code(graph: Graph) -> Graph:
    live = {x for x in graph.outputs if isinstance(x, Value)}
    kept = []
    for node in reversed(graph.nodes):
        if any(v in live for v in node.outputs):
            kept.append(node)
            live.update(x for x in node.inputs if isinstance(x, Value))
    kept.reverse()
    consts = [(v, a) for v, a in graph.consts if v in live]
    return graph.replace(nodes=kept, consts=consts)
