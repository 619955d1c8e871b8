"""JVP rules of the elementwise primitives. The builder has broadcast every input tangent
to the output shape. A tangent times a local derivative that can be inf or NaN for finite
inputs goes through the zero-safe `scale` (rules.py), as in the VJP rules: an exactly-zero
tangent stays zero, so a Jacobian column never picks up NaN from 0 * inf."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from ..numpy._core import prim
from ..tracer import bind
from .jvp_rules import add_tangents, apply_primitive, defjvp
from .derivatives import UNARY_DERIVATIVES
from .rules import scale



def _unary(name, local, safe):
    """A unary rule t * local(x, y); `safe` uses the zero-safe multiply."""
    def rule(tangents, y, x):
        (t,) = tangents
        d = local(x, y)
        return scale(t, d) if safe else tnp.multiply(t, d)
    defjvp(name)(rule)


# The same local derivatives (and conventions) as the VJP rules.
for _name, (_local, _safe) in UNARY_DERIVATIVES.items():
    _unary(_name, _local, _safe)


@defjvp("polygamma")
def _polygamma(tangents, y, x, *, order):
    (t,) = tangents
    return scale(t, bind(prim("polygamma"), [x], dict(order=order + 1)))


@defjvp("abs")
def _abs(tangents, y, x):
    # JAX's convention at the kink: d|x|/dx = 1 at x = 0 (the x >= 0 side).
    (t,) = tangents
    return tnp.where(x >= 0, t, tnp.negative(t))


@defjvp("neg")
def _neg(tangents, y, x):
    return tnp.negative(tangents[0])


@defjvp("convert")
def _convert(tangents, y, x, **params):
    # Linear between floating dtypes; integer and bool results carry no tangent.
    if np.dtype(params["dtype"]).kind not in "fc":
        return None
    return apply_primitive("convert", [tangents[0]], params)


@defjvp("add")
def _add(tangents, y, a, b):
    return add_tangents(*tangents)


@defjvp("sub")
def _sub(tangents, y, a, b):
    ta, tb = tangents
    return add_tangents(ta, None if tb is None else tnp.negative(tb))


def _times(t, local):
    """Zero-safe t * local, with None (symbolic zero) passed through."""
    return None if t is None else scale(t, local)


@defjvp("mul")
def _mul(tangents, y, a, b):
    ta, tb = tangents
    return add_tangents(_times(ta, b), _times(tb, a))


@defjvp("div")
def _div(tangents, y, a, b):
    ta, tb = tangents
    return add_tangents(_times(ta, tnp.reciprocal(b)), _times(tb, tnp.negative(y / b)))


@defjvp("pow")
def _pow(tangents, y, x, p):
    # As JAX: d/dx is 0 where p == 0 (even at x == 0); d/dp uses log(1) where x == 0.
    tx, tp = tangents
    dx = None if tx is None else \
        tnp.where(p == 0, 0.0, p * tnp.power(x, tnp.where(p == 0, 1.0, p - 1.0)))
    dp = None if tp is None else tnp.log(tnp.where(x == 0, 1.0, x)) * y
    return add_tangents(_times(tx, dx), _times(tp, dp))


def _tie_split(a, b, greater, dtype):
    """1 where a wins, 0.5 at ties (JAX splits evenly), 0 where b wins."""
    wins = tnp.greater(a, b) if greater else tnp.less(a, b)
    return tnp.where(wins, 1.0, tnp.where(tnp.equal(a, b), 0.5, 0.0)).astype(dtype)


def _extremum(greater):
    def rule(tangents, y, a, b):
        ta, tb = tangents
        share = _tie_split(a, b, greater, y.dtype)
        return add_tangents(None if ta is None else ta * share,
                            None if tb is None else tb * (1.0 - share))
    return rule


defjvp("max")(_extremum(True))
defjvp("min")(_extremum(False))


@defjvp("atan2")
def _atan2(tangents, y, a, b):
    ta, tb = tangents
    denom = tnp.reciprocal(tnp.square(a) + tnp.square(b))
    return add_tangents(_times(ta, b * denom), _times(tb, tnp.negative(a) * denom))


@defjvp("copysign")
def _copysign(tangents, y, a, b):
    # Piecewise constant in b: only a's tangent, with a's sign flipped where it changes.
    ta = tangents[0]
    return None if ta is None else ta * (tnp.copysign(1.0, a) * tnp.copysign(1.0, b))


@defjvp("rem")
def _rem(tangents, y, a, b):
    # NumPy remainder: a - floor(a / b) * b.
    ta, tb = tangents
    return add_tangents(ta, _times(tb, tnp.negative(tnp.floor(a / b))))


@defjvp("fmod")
def _fmod(tangents, y, a, b):
    # C fmod: a - trunc(a / b) * b.
    ta, tb = tangents
    return add_tangents(ta, _times(tb, tnp.negative(tnp.trunc(a / b))))


@defjvp("select")
def _select(tangents, y, pred, on_true, on_false):
    # Picks tangents as it picks values: the untaken branch's tangent (even inf/NaN)
    # never reaches the output, which makes `where`-guarded forward mode NaN-free.
    _, tt, tf = tangents
    return tnp.where(pred, 0.0 if tt is None else tt, 0.0 if tf is None else tf)
