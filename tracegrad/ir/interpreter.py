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


class Interpreter:
    """Evaluates one graph many times: operands resolved to slots once, and every value
    dropped after its last use (so memory stays near what compiled code would use).
    Used to answer calls while native code compiles."""

    def __init__(self, graph: Graph):
        slot = {}
        for v in graph.inputs:
            slot[v] = len(slot)
        consts = []
        for v, x in graph.consts:
            slot[v] = len(slot)
            consts.append((slot[v], np.asarray(x)))
        for node in graph.nodes:
            for v in node.outputs:
                slot[v] = len(slot)
        last = {}
        for i, node in enumerate(graph.nodes):
            for x in node.inputs:
                if not isinstance(x, Literal):
                    last[x] = i
        kept = {v for v in graph.outputs if not isinstance(v, Literal)}
        self.steps = []
        for i, node in enumerate(graph.nodes):
            operands = tuple((True, x.value) if isinstance(x, Literal) else (False, slot[x])
                             for x in node.inputs)
            free = tuple({slot[x] for x in node.inputs if not isinstance(x, Literal)
                          and last[x] == i and x not in kept})
            self.steps.append((node.prim.impl, node.params, operands,
                               tuple(slot[v] for v in node.outputs), free))
        self.outputs = tuple((True, v.value) if isinstance(v, Literal) else (False, slot[v])
                             for v in graph.outputs)
        self.n_inputs, self.size, self.consts = len(graph.inputs), len(slot), consts

    def __call__(self, *args) -> list:
        env = list(args) + [None] * (self.size - self.n_inputs)
        for i, x in self.consts:
            env[i] = x
        for impl, params, operands, outs, free in self.steps:
            values = impl(*[x if literal else env[x] for literal, x in operands], **params)
            for i, value in zip(outs, values):
                env[i] = value
            for i in free:
                env[i] = None
        return [np.asarray(x if literal else env[x]) for literal, x in self.outputs]
