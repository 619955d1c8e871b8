"""VJP rules of the elementwise primitives. `scale` (zero-safe multiply) is used wherever
the local derivative can be inf or NaN for finite inputs; see rules.scale."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from .derivatives import UNARY_DERIVATIVES
from .rules import defvjp, nondifferentiable, scale

nondifferentiable("sign", "floor", "ceil", "round", "trunc", "isnan", "isinf", "isfinite",
                  "not", "and", "or", "xor", "eq", "ne", "lt", "le", "gt", "ge",
                  "floordiv", "nextafter", "stop_gradient")



def _unary(name, local, safe):
    """A unary rule ct * local(x, y); `safe` uses the zero-safe multiply."""
    def rule(ct, y, x):
        d = local(x, y)
        return (scale(ct, d) if safe else tnp.multiply(ct, d),)
    defvjp(name)(rule)


for _name, (_local, _safe) in UNARY_DERIVATIVES.items():
    _unary(_name, _local, _safe)


@defvjp("abs")
def _abs(ct, y, x):
    # JAX's convention at the kink: d|x|/dx = 1 at x = 0 (the x >= 0 side).
    return (tnp.where(x >= 0, ct, tnp.negative(ct)),)


@defvjp("neg")
def _neg(ct, y, x):
    return (tnp.negative(ct),)


@defvjp("convert")
def _convert(ct, y, x, *, dtype, weak=False):
    x_dtype = np.dtype(x.dtype)
    if x_dtype.kind not in "fc":
        return (None,)
    return (ct.astype(x_dtype) if ct.dtype != x_dtype else ct,)


@defvjp("add")
def _add(ct, y, a, b):
    return ct, ct


@defvjp("sub")
def _sub(ct, y, a, b):
    return ct, tnp.negative(ct)


@defvjp("mul")
def _mul(ct, y, a, b):
    return scale(ct, b), scale(ct, a)


@defvjp("div")
def _div(ct, y, a, b):
    return scale(ct, tnp.reciprocal(b)), scale(ct, tnp.negative(y / b))


@defvjp("pow")
def _pow(ct, y, x, p):
    # As JAX: d/dx is 0 where p == 0 (even at x == 0); d/dp uses log(1) where x == 0.
    dx = tnp.where(p == 0, 0.0, p * tnp.power(x, tnp.where(p == 0, 1.0, p - 1.0)))
    dp = tnp.log(tnp.where(x == 0, 1.0, x)) * y
    return scale(ct, dx), scale(ct, dp)


def _tie_split(a, b, greater, dtype):
    """1 where a wins, 0.5 at ties (JAX splits the cotangent evenly), 0 where b wins."""
    wins = tnp.greater(a, b) if greater else tnp.less(a, b)
    return tnp.where(wins, 1.0, tnp.where(tnp.equal(a, b), 0.5, 0.0)).astype(dtype)


@defvjp("max")
def _max(ct, y, a, b):
    share = _tie_split(a, b, True, ct.dtype)
    return ct * share, ct * (1.0 - share)


@defvjp("min")
def _min(ct, y, a, b):
    share = _tie_split(a, b, False, ct.dtype)
    return ct * share, ct * (1.0 - share)


@defvjp("atan2")
def _atan2(ct, y, a, b):
    denom = tnp.reciprocal(tnp.square(a) + tnp.square(b))
    return scale(ct, b * denom), scale(ct, tnp.negative(a) * denom)


@defvjp("copysign")
def _copysign(ct, y, a, b):
    flip = tnp.copysign(1.0, a) * tnp.copysign(1.0, b)
    return ct * flip, None


@defvjp("rem")
def _rem(ct, y, a, b):
    # NumPy remainder: a - floor(a / b) * b.
    return ct, scale(ct, tnp.negative(tnp.floor(a / b)))


@defvjp("fmod")
def _fmod(ct, y, a, b):
    # C fmod: a - trunc(a / b) * b.
    return ct, scale(ct, tnp.negative(tnp.trunc(a / b)))


@defvjp("select")
def _select(ct, y, pred, on_true, on_false):
    return None, tnp.where(pred, ct, 0.0), tnp.where(pred, 0.0, ct)
