"""The reference interpreter: evaluates a Graph with each primitive's NumPy implementation.
It is the oracle the compiled code is checked against."""
from __future__ import annotations

import sys
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
    Used to answer calls while native code compiles.

    A ufunc node writes into the array of a value that just died when one of its shape
    and dtype is free: fresh large arrays cost the kernel's page zeroing on first touch,
    which would otherwise be most of a first interpreted call on big arrays."""

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
            ufunc = getattr(node.prim.impl, "ufunc", None) if not node.params else None
            reuse = (node.out.aval.shape, node.out.aval.dtype) if ufunc is not None else None
            self.steps.append((node.prim.impl, node.params, operands,
                               tuple(slot[v] for v in node.outputs), free, ufunc, reuse))
        self.outputs = tuple((True, v.value) if isinstance(v, Literal) else (False, slot[v])
                             for v in graph.outputs)
        self.n_inputs, self.size, self.consts = len(graph.inputs), len(slot), consts

    def __call__(self, *args) -> list:
        env = list(args) + [None] * (self.size - self.n_inputs)
        for i, x in self.consts:
            env[i] = x
        spare: dict = {}                    # (shape, dtype) -> arrays of dead values
        with np.errstate(all="ignore"):
            for impl, params, operands, outs, free, ufunc, reuse in self.steps:
                values = [x if literal else env[x] for literal, x in operands]
                pool = spare.get(reuse) if reuse is not None else None
                if pool:
                    env[outs[0]] = ufunc(*values, out=pool.pop())
                else:
                    for i, value in zip(outs, impl(*values, **params)):
                        env[i] = value
                values = None
                for i in free:
                    x, env[i] = env[i], None
                    # Nothing else refers to it (no view, no caller): its memory is free.
                    if type(x) is np.ndarray and x.flags.owndata and x.flags.writeable \
                            and sys.getrefcount(x) == 2:
                        spare.setdefault((x.shape, x.dtype), []).append(x)
        return [np.asarray(x if literal else env[x]) for literal, x in self.outputs]
