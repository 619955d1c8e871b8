"""The error-function family beyond erf/erfc: erfcx, ndtr and log_ndtr, composed from
erfc and exp with the formulas SciPy's kernels use, so the results agree to rounding.

erfcx (exp(x^2) erfc(x)) is a custom_jvp: its value needs a switch of formula at x = 10
and an exact x^2, neither of which should be differentiated through; the derivative is
the closed form 2 x erfcx(x) - 2 / sqrt(pi)."""
from __future__ import annotations

import math

import scipy.special as _sp

from .. import lax
from ..autodiff.custom_jvp import custom_jvp
from ..numpy.ufuncs import (exp, greater, less, log, log1p, maximum, multiply, negative,
                            where)
from ._float64 import float64_ufunc

_SQRT1_2 = math.sqrt(0.5)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_ASYMPTOTIC_FROM = 10.0     # above, 12 terms of the asymptotic series reach 1e-17
_TERMS = 12


def _erfc(x):
    return lax.apply("erfc", x)


def _exp_square(x):
    """exp(x^2) with x^2 split into hi + lo exactly (Dekker), so a large x^2 loses no
    digits to rounding: exp(hi) * (1 + lo), never inf - inf."""
    hi = x * x
    c = x * 134217729.0                   # 2^27 + 1 splits a double into 26-bit halves
    xh = c - (c - x)
    xl = x - xh
    lo = ((xh * xh - hi) + 2.0 * xh * xl) + xl * xl
    return exp(hi) * (1.0 + lo)


def _erfcx_value(x):
    small = less(x, _ASYMPTOTIC_FROM)
    # Below -30 exp(x^2) is inf anyway; the clamp keeps -inf from making inf * 0.
    near = where(small, maximum(x, -30.0), 0.0)
    direct = _exp_square(near) * _erfc(near)
    # erfcx(x) = 1 / (x sqrt(pi)) * sum_k (-1)^k (2k - 1)!! / (2 x^2)^k
    far = where(small, _ASYMPTOTIC_FROM, x)
    u = 1.0 / (2.0 * far * far)
    series = 1.0
    for k in range(_TERMS, 0, -1):
        series = 1.0 - (2 * k - 1) * u * series
    asymptotic = series / (far * math.sqrt(math.pi))
    return where(small, direct, asymptotic)


@custom_jvp
def _erfcx(x):
    return _erfcx_value(x)


@_erfcx.defjvp
def _erfcx_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    y = _erfcx(x)
    return y, (2.0 * x * y - _TWO_OVER_SQRT_PI) * dx


@float64_ufunc(_sp.erfcx)
def erfcx(x):
    return _erfcx(x)


@float64_ufunc(_sp.ndtr)
def ndtr(x):
    # As SciPy: erf near 0, erfc in the tails (then 1 - that for x > 0).
    t = x * _SQRT1_2
    tail = 0.5 * _erfc(where(greater(t, 0.0), t, negative(t)))
    middle = 0.5 + 0.5 * lax.apply("erf", t)
    inner = less(multiply(t, t), 0.5)
    return where(inner, middle, where(greater(t, 0.0), 1.0 - tail, tail))


@float64_ufunc(_sp.log_ndtr)
def log_ndtr(x):
    # Left tail: ndtr(x) = erfcx(t) exp(-t^2) / 2 with t = -x / sqrt(2), so the log
    # never underflows; right half: log1p of the small complement.
    left = less(x, -1.0)
    t = negative(where(left, x, -1.0)) * _SQRT1_2
    tail = log(0.5 * _erfcx(t)) - t * t
    right = where(left, 0.0, x)
    middle = where(greater(right, 0.0), log1p(negative(0.5 * _erfc(right * _SQRT1_2))),
                   log(0.5 * _erfc(negative(right) * _SQRT1_2)))
    return where(left, tail, middle)


__all__ = ["erfcx", "ndtr", "log_ndtr"]
