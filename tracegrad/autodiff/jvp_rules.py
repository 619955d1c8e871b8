"""The JVP table: primitive name -> forward-mode rule. The generic forward builder
(forward.py) calls rules; like the VJP rules they are written with tracegrad.numpy
operations, so a tangent computation is an ordinary traced graph (compiled, fused and
differentiable again).

A rule is `rule(tangents, out, *inputs, **params) -> output tangent(s)`: `tangents` has
one entry per input, None where the tangent is (symbolically) zero or the input is not
differentiable; `out` is the primal output (a list for multiple-result primitives);
`inputs` are the primal inputs and `params` the node's params. It returns the output
tangent, or a list with one per output for multiple-result primitives, None for zero.
The builder calls a rule only when at least one input tangent is not None, and for
elementwise primitives it has already broadcast every tangent to the output shape.

Non-differentiable primitives are the ones marked in rules.NON_DIFFERENTIABLE (shared
with reverse mode): their outputs get zero tangents.
"""
from __future__ import annotations

from ..errors import MissingRuleError
from .. import lax

JVP_RULES: dict = {}


def defjvp(*names):
    """Register a JVP rule for one or more primitives."""
    def register(rule):
        for name in names:
            JVP_RULES[name] = rule
        return rule
    return register


def lookup_jvp(name):
    if name in JVP_RULES:
        return JVP_RULES[name]
    raise MissingRuleError(f"no JVP rule for primitive {name!r}: tracegrad cannot "
                           f"differentiate through it in forward mode yet (reverse mode "
                           f"— grad, vjp, jacrev — may still work)")


def apply_primitive(name, args, params):
    """Apply primitive `name` again with the same params (to tangents, for the linear
    primitives: their JVP is the primitive itself)."""
    return lax.apply(name, *args, **params)


def add_tangents(*terms):
    """Sum of the tangent terms that are not symbolic zeros (None if all are)."""
    total = None
    for term in terms:
        if term is not None:
            total = term if total is None else total + term
    return total
