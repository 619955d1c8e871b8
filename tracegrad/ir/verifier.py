"""Invariant checks on a graph: SSA, topological order, avals agree with shape rules."""
from __future__ import annotations

from .control import sub_graphs
from .graph import Graph, Literal, Value
from .kinds import CALL


class GraphInvariantError(AssertionError):
    pass


def verify(graph: Graph) -> Graph:
    defined = set()

    def define(v, where):
        if not isinstance(v, Value):
            raise GraphInvariantError(f"{where}: {v!r} is not a Value")
        if v in defined:
            raise GraphInvariantError(f"{where}: {v!r} is defined twice")
        defined.add(v)

    for v in graph.inputs:
        define(v, "input")
    for v, array in graph.consts:
        define(v, "const")
        if tuple(array.shape) != v.aval.shape or array.dtype != v.aval.dtype:
            raise GraphInvariantError(f"const {v!r} holds an array of {array.dtype}"
                                      f"{array.shape}")
    for i, node in enumerate(graph.nodes):
        where = f"node {i} ({node.prim.name})"
        for x in node.inputs:
            if isinstance(x, Value) and x not in defined:
                raise GraphInvariantError(f"{where}: uses {x!r} before it is defined")
        expected = node.prim.out_avals([x.aval for x in node.inputs], node.params)
        actual = [v.aval for v in node.outputs]
        if [(a.shape, a.dtype) for a in expected] != [(a.shape, a.dtype) for a in actual]:
            raise GraphInvariantError(f"{where}: outputs {actual} but its rule gives "
                                      f"{expected}")
        for v in node.outputs:
            define(v, where)
        for sub in sub_graphs(node):
            if sub.consts and node.prim.kind != CALL:
                raise GraphInvariantError(f"{where}: a sub-graph holds consts")
            verify(sub)
    for x in graph.outputs:
        if isinstance(x, Value) and x not in defined:
            raise GraphInvariantError(f"output {x!r} is not defined")
        if not isinstance(x, (Value, Literal)):
            raise GraphInvariantError(f"output {x!r} is not an operand")
    return graph
