"""The one rewriting loop the passes share: walk nodes in order, substitute operands,
let the pass keep a node, drop it in favour of existing operands, or splice in nodes."""
from __future__ import annotations

from typing import Callable

from ..graph import Graph, Literal, Node, Value


def rewrite(graph: Graph, visit: Callable) -> Graph:
    """`visit(node, emit)` gets each node with its inputs already substituted.

    It returns None to keep the node, or a list of operands that replace its outputs;
    `emit(node)` appends a new node (for passes that expand a node into several)."""
    subst: dict[Value, Value | Literal] = {}
    nodes: list[Node] = []

    def read(x):
        while isinstance(x, Value) and x in subst:
            x = subst[x]
        return x

    for node in graph.nodes:
        inputs = tuple(read(x) for x in node.inputs)
        if any(a is not b for a, b in zip(inputs, node.inputs)):
            node = Node(node.prim, inputs, node.params, node.outputs, node.loc)
        replacement = visit(node, nodes.append)
        if replacement is None:
            nodes.append(node)
        else:
            for old, new in zip(node.outputs, replacement):
                if new is not old:
                    subst[old] = new
    return graph.replace(nodes=nodes, outputs=[read(x) for x in graph.outputs])
