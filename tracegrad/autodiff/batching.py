"""Batching: the transformation behind `vmap`, one rule per primitive.

A function is traced once on the avals of one example; `batch_graph` then replays that
graph in the caller's context with every value either *unbatched* (the same for every
example) or *batched* (a leading axis of length B, one slice per example). A node whose
operands are all unbatched is bound as it is; otherwise its primitive's batching rule
emits the batched computation with ordinary primitives, so the result is one program
over the whole batch — eager NumPy calls, or a graph that `compile` fuses — with no loop
over examples in Python.

Rules keep the batch axis first: `rule(args, batched, size, node) -> outputs`, every
output batched (axis 0, length `size`). `args[i]` is batched exactly when `batched[i]`."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import MissingRuleError
from ..ir import Literal
from ..tracer import Tracer, aval_of, bind
from ..tracer.source import attribute_to
from .. import lax

BATCH_RULES: dict[str, Callable] = {}


def defbatch(*names):
    """Register one batching rule for the named primitives."""
    def register(rule):
        for name in names:
            BATCH_RULES[name] = rule
        return rule
    return register


# ---- values with a batch axis -----------------------------------------------------------------

def as_operand(x):
    """A literal as a 0-d array of its dtype (rules call typed lax functions)."""
    if isinstance(x, Literal):
        return np.asarray(x.value, dtype=x.aval.dtype)
    if isinstance(x, (Tracer, np.ndarray)):
        return x
    return np.asarray(x, dtype=aval_of(x).dtype)


def ndim(x) -> int:
    return len(aval_of(x).shape)


def shape(x) -> tuple:
    return tuple(aval_of(x).shape)


def broadcast_batch(x, size: int):
    """An unbatched value with a leading batch axis of `size` copies (a view)."""
    x = as_operand(x)
    s = shape(x)
    return lax.broadcast_in_dim(x, (size,) + s, tuple(range(1, len(s) + 1)))


def moveaxis(x, source: int, destination: int):
    n = ndim(x)
    source, destination = source % n, destination % n
    if source == destination:
        return x
    perm = [a for a in range(n) if a != source]
    perm.insert(destination, source)
    return permute(x, perm)


def permute(x, perm):
    """transpose(x, perm); a reshape (contiguous, free) when only axes of length 1 move."""
    perm = list(perm)
    if perm == sorted(perm):
        return x
    s = shape(x)
    if [a for a in perm if s[a] != 1] == [a for a in range(len(s)) if s[a] != 1]:
        return lax.reshape(x, tuple(s[a] for a in perm))
    return lax.transpose(x, perm)


def all_batched(args, batched, size):
    """Every operand batched (broadcasting the unbatched ones)."""
    return [a if b else broadcast_batch(a, size) for a, b in zip(args, batched)]


# ---- the batched replay -------------------------------------------------------------------------

def batched_outputs(graph, in_batched) -> list:
    """Which outputs of `graph` depend on a batched input (and so come out batched)."""
    flags = dict(zip(graph.inputs, in_batched))
    for v, _ in graph.consts:
        flags[v] = False
    read = lambda x: False if isinstance(x, Literal) else flags[x]
    for node in graph.nodes:
        out = any(read(x) for x in node.inputs)
        for v in node.outputs:
            flags[v] = out
    return [read(v) for v in graph.outputs]


def _apply_rule(node, args, batched, size):
    rule = BATCH_RULES.get(node.prim.name)
    if rule is None:
        raise MissingRuleError(f"vmap: primitive {node.prim.name!r} has no batching rule")
    with attribute_to(node.loc):
        outs = rule([as_operand(a) for a in args], list(batched), size, node)
    return outs if isinstance(outs, (list, tuple)) else [outs]


def batch_graph(graph, args, in_batched, size: int):
    """Evaluate `graph` on `args` (each batched or not, as `in_batched` says) in the
    current context. -> (outputs, output_batched)."""
    def apply(node, values):
        flags = [b for _, b in values]
        vals = [x for x, _ in values]
        if not any(flags):
            outs = bind(node.prim, vals, node.params, node.loc)
            outs = outs if node.prim.multiple_results else [outs]
            return [(o, False) for o in outs]
        outs = _apply_rule(node, vals, flags, size)
        return [(o, True) for o in outs]

    outs, _ = _walk(graph, list(zip(args, in_batched)), apply)
    return [x for x, _ in outs], [b for _, b in outs]


def _walk(graph, pairs, apply):
    """The graph walk over (value, batched) pairs; constants are unbatched."""
    env = dict(zip(graph.inputs, pairs))
    for v, x in graph.consts:
        env[v] = (x, False)

    def read(operand):
        return (operand, False) if isinstance(operand, Literal) else env[operand]
    for node in graph.nodes:
        for v, out in zip(node.outputs, apply(node, [read(x) for x in node.inputs])):
            env[v] = out
    return [read(v) for v in graph.outputs], env


def force_batched(outs, flags, want, size):
    """Outputs batched wherever `want` says (broadcasting unbatched ones)."""
    return [broadcast_batch(o, size) if w and not f else o
            for o, f, w in zip(outs, flags, want)]
