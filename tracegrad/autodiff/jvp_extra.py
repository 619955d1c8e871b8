"""JVP rules for sorting and for custom_vjp calls."""
from __future__ import annotations

from .. import numpy as tnp
from ..errors import ArgumentError
from .jvp_rules import defjvp


@defjvp("sort")
def _sort(tangents, out, x, *, axis, index_dtype):
    # Each sorted value carries the tangent of the element it came from; the integer
    # permutation output has none.
    (t,) = tangents
    order = out[1]
    return [tnp.take_along_axis(t, order, axis=axis), None]


@defjvp("custom_vjp_call")
def _custom_vjp_call(tangents, outs, *inputs, rule, **params):
    # As in JAX: a custom_vjp function defines its derivative only as a backward map, so
    # forward mode cannot honour it. Differentiating its traced forward instead would
    # silently disagree with the custom rule (clipped or surrogate gradients).
    name = getattr(rule, "__name__", "function")
    raise ArgumentError(
        f"forward-mode differentiation (jvp, jacfwd, hessian) of custom_vjp function "
        f"{name} is not supported: its derivative is defined only in reverse mode. Use "
        f"reverse mode instead (grad, vjp, jacrev; jacrev(jacrev(f)) for a Hessian).")
