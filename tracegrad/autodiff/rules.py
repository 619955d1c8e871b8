"""The VJP table: primitive name -> rule. The generic backward builder (backward.py)
calls rules; rules are written with tracegrad.numpy operations, so the backward pass is
an ordinary traced graph (compiled and fused with the forward, differentiable again).

A rule is `rule(ct, out, *inputs, **params) -> tuple of input cotangents`:
`ct` is the output cotangent (for multiple-result primitives, a list with None for zero
cotangents), `out` the primal output(s), `inputs` the primal inputs, `params` the node's
params. It returns one cotangent per input, or None where the cotangent is zero or the
input is not differentiable. Elementwise rules may return cotangents in the broadcast
output shape: the builder undoes broadcasting (`unbroadcast`) in one place.

A rule marked `takes_needs` (see `needs_aware`) is also given `needs=`, one flag per
input saying whether its cotangent is used (the input depends on what is being
differentiated); it may skip the others (None). Called without it, it computes all.
"""
from __future__ import annotations

import cmath
import math

import numpy as np

from ..errors import MissingRuleError
from .. import numpy as tnp
from ..numpy.ufuncs import FAST_OPERANDS, apply_binary
from ..tracer import Tracer

VJP_RULES: dict = {}
# Primitive -> (its rule, whether it takes `needs`): the backward walk's lookup, filled
# as it goes and emptied whenever a rule is registered.
RULES_BY_PRIMITIVE: dict = {}
NON_DIFFERENTIABLE: set = set()


def defvjp(*names):
    """Register a VJP rule for one or more primitives."""
    def register(rule):
        for name in names:
            VJP_RULES[name] = rule
        RULES_BY_PRIMITIVE.clear()
        return rule
    return register


def nondifferentiable(*names):
    """Primitives with zero derivative everywhere it exists (comparisons, floor, argmax,
    integer ops): they contribute no cotangent."""
    NON_DIFFERENTIABLE.update(names)


def needs_aware(rule):
    """Mark a VJP rule as taking `needs=` (see the module's docstring)."""
    rule.takes_needs = True
    return rule


def lookup(name):
    if name in VJP_RULES:
        return VJP_RULES[name]
    raise MissingRuleError(f"no VJP rule for primitive {name!r}: tracegrad cannot "
                           f"differentiate through it yet")


_REAL_SCALARS = frozenset({np.float16, np.float32, np.float64, np.longdouble})


def scale(ct, local):
    """ct * local, where an exactly-zero cotangent gives exactly zero even if the local
    derivative is inf or NaN. This is what makes `where`-guarded gradients NaN-free: the
    untaken branch receives a zero cotangent, and 0 * inf must not become NaN there.

    Only the non-finite local derivative met by a zero cotangent is replaced (by 0), so
    the product stays linear in ct with slope `local` wherever that is finite: higher
    derivatives through a cotangent that happens to be zero at this point stay right.
    A NaN cotangent, or a NaN/inf local derivative met by a non-zero cotangent, still
    propagates, so real NaNs from the taken branch are not hidden.

    Eagerly (a local derivative with a concrete value, which a recorded eager graph
    keeps: it is only ever replayed at the same point), a finite local derivative needs
    no guard: the product alone, one operation instead of six."""
    if type(local) in _REAL_SCALARS and type(ct) in _REAL_SCALARS and math.isfinite(local):
        return ct * local               # the usual eager case, in NumPy's scalar math
    if isinstance(local, Tracer):
        known = local._concrete
    elif isinstance(local, (np.ndarray, np.generic)):
        known = local
    else:
        known = None
    if known is not None and known.dtype.kind in "fc":
        # Finite exactly when the sum is (an inf or NaN element makes the sum inf or
        # NaN); a sum that overflows only takes the guarded path below. (Not a dot
        # product: BLAS costs microseconds per call on small vectors between others.)
        total = known if known.ndim == 0 else np.add.reduce(known, axis=None)
        finite = math.isfinite(total) if known.dtype.kind == "f" else \
            cmath.isfinite(total)
        if finite:
            if known is local and not isinstance(ct, Tracer):
                if type(ct) in FAST_OPERANDS and type(local) in FAST_OPERANDS:
                    return ct * local                # NumPy's scalar math on scalars
                return np.multiply(ct, local)        # tnp.multiply's answer on arrays
            # tnp.multiply with a traced operand, without its dispatch in front.
            return apply_binary(np.multiply, "mul", ct, local)
    cut = tnp.logical_and(ct == 0, tnp.logical_not(tnp.isfinite(local)))
    return tnp.multiply(ct, tnp.where(cut, 0.0, local))
