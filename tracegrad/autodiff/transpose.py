"""Transposing a linear function written by the user: reverse mode through custom_jvp.

A custom_jvp rule gives a derivative as a map of tangents; reverse mode needs its
transpose. The map is traced on symbolic tangents into a graph — what depends only on
primals is not in it: tracing runs (or records) that in the caller's context — every
node that reads a tangent is checked to be linear in it (linear.py's primitives, and
products or quotients by values that are not tangents), and the generic backward
builder walks the graph: the VJP rule of a linear primitive is its transpose."""
from __future__ import annotations

import numpy as np

from ..errors import MissingRuleError
from ..ir import Value
from ..ir.kinds import CALL
from ..tracer import aval_of, replay, trace_function
from ..tracer.source import describe_location
from .backward import backward
from .linear import BILINEAR, LINEAR_IN
from .rules import NON_DIFFERENTIABLE

# Elementwise rows (derivatives.py) that are linear in some operands.
_ELEMENTWISE_LINEAR = {"mul": BILINEAR, "div": (0,)}


def _is_linear(name: str, positions: list) -> bool:
    linear = LINEAR_IN.get(name, _ELEMENTWISE_LINEAR.get(name, ()))
    if linear is None:
        return True
    if linear == BILINEAR:
        return len(positions) == 1
    return set(positions) <= set(linear)


def _not_linear(node, what: str) -> MissingRuleError:
    where = describe_location(node.loc)
    if node.prim.name == "pure_callback":
        return MissingRuleError(
            f"{what}: its JVP rule passes tangents to pure_callback "
            f"{node.params['callback'].name} (at {where}). Reverse mode (grad, vjp) "
            f"transposes the tangent computation, and a callback cannot be transposed. "
            f"Define the gradient with tg.custom_vjp instead, or compute the tangent "
            f"with tracegrad operations.")
    return MissingRuleError(
        f"{what}: its JVP rule applies {node.prim.name} to tangents in a way that is not "
        f"linear (at {where}). Reverse mode (grad, vjp) transposes the tangent "
        f"computation, which takes linear operations of tangents: sums, differences, "
        f"negation, products and quotients by values that are not tangents, matmul, "
        f"sums over axes, reshapes, indexing, concatenation, where. Make the tangent "
        f"linear in the input tangents, or define the gradient with tg.custom_vjp.")


def check_linear(graph, tangents, what: str) -> None:
    active = set(tangents)
    for node in graph.nodes:
        positions = [i for i, x in enumerate(node.inputs)
                     if isinstance(x, Value) and x in active]
        if not positions or node.prim.name in NON_DIFFERENTIABLE:
            continue
        if node.prim.kind == CALL:          # a function called on tangents: look inside
            inner = node.params["graph"]
            check_linear(inner, [inner.inputs[i] for i in positions], what)
        elif not _is_linear(node.prim.name, positions):
            raise _not_linear(node, what)
        active.update(node.outputs)


def transpose(linear_fn, like, cts, what: str) -> list:
    """The transpose of `linear_fn(*tangent leaves) -> output tangent leaves` (tangents
    shaped like the leaves `like`) applied to `cts`, one per output leaf: one cotangent
    per input leaf, None where it is zero. `what` names the function in errors."""
    zeros = [np.zeros(aval_of(x).shape, aval_of(x).dtype) for x in like]
    graph, captured, _, trace = trace_function(lambda ts: linear_fn(*ts), zeros)
    wrt = graph.inputs[:len(zeros)]
    check_linear(graph, wrt, what)
    _, env = replay(graph, zeros + captured, source_trace=trace)
    return backward(graph, env, list(cts), wrt)
