"""The reference interpreter: evaluates a Graph with each primitive's NumPy implementation.
It is the oracle the compiled code is checked against."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import ArgumentError
from .graph import Graph, Literal


def walk(graph: Graph, args, apply: Callable, read_literal: Callable = None) -> list:
    """Evaluate `graph` on `args` with `apply(node, operand_values) -> outputs`.

    The one graph walk shared by the interpreter and by replays in other layers."""
    if len(args) != len(graph.inputs):
        raise ArgumentError(f"graph takes {len(graph.inputs)} inputs, got {len(args)}")
    env = {}
    for v, x in zip(graph.inputs, args):
        env[v] = x
    for v, x in graph.consts:
        env[v] = x
    read_literal = read_literal or (lambda lit: lit.value)

    def read(operand):
        return read_literal(operand) if isinstance(operand, Literal) else env[operand]

    for node in graph.nodes:
        outs = apply(node, [read(x) for x in node.inputs])
        for v, x in zip(node.outputs, outs):
            env[v] = x
    return [read(v) for v in graph.outputs], env


def _apply_impl(node, values):
    outs = node.prim.impl(*values, **node.params)
    return [np.asarray(o) for o in outs]


def evaluate(graph: Graph, *args) -> list:
    """Run the graph with NumPy; returns the list of output arrays."""
    args = [np.asarray(a, dtype=v.aval.dtype) for a, v in zip(args, graph.inputs)]
    for a, v in zip(args, graph.inputs):
        if a.shape != v.aval.shape:
            raise ArgumentError(f"graph input of type {v.aval} got an array of shape "
                                f"{a.shape}")
    outs, _ = walk(graph, args, _apply_impl)
    return [np.asarray(o) for o in outs]
