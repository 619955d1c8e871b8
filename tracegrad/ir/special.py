"""Special functions with NumPy-only reference implementations: `lgamma` (log|Gamma(x)|)
and `polygamma` (the n-th derivative of digamma; order 0 is digamma itself). Each is
computed in float64 and cast back, like erf/erfc in elementwise.py."""
from __future__ import annotations

import math

import numpy as np

from ..errors import DTypeError
from .aval import Aval, dtype_string
from .kinds import ELEMENTWISE
from .primitive import Primitive


def _real_rule(name):
    def rule(x, **params):
        if x.dtype.kind != "f":
            raise DTypeError(f"{name} is not defined for dtype {dtype_string(x.dtype)}")
        return [Aval(x.shape, x.dtype, x.weak)]
    return rule


def _lgamma_scalar(v):
    try:
        return math.lgamma(v)
    except ValueError:          # poles at 0, -1, -2, ...: log|Gamma| is +inf there
        return math.inf


_vec_lgamma = np.vectorize(_lgamma_scalar, otypes=[np.float64])


def _lgamma_impl(x):
    x = np.asarray(x)
    x64 = x.astype(np.float64)
    # log|Gamma(-inf)| follows scipy.special.gammaln (-inf), math.lgamma says +inf.
    out = np.where(x64 == -np.inf, -np.inf, _vec_lgamma(x64))
    return [np.asarray(out).astype(x.dtype)]


Primitive("lgamma", _real_rule("lgamma"), _lgamma_impl, ELEMENTWISE)

# Bernoulli numbers B_2, B_4, ..., B_18 for the asymptotic series.
_BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510,
              43867 / 798]
# Below this the recurrence shifts x upward; above it the series is accurate to ~1e-16.
_SHIFT_TO = 12.0


def _asymptotic(x, n):
    """psi^(n)(x) for x >= _SHIFT_TO from its Stirling-type series."""
    if n == 0:
        total = np.log(x) - 0.5 / x
        for k, b in enumerate(_BERNOULLI, start=1):
            total = total - b / (2 * k * x ** (2 * k))
        return total
    total = math.factorial(n - 1) / x ** n + math.factorial(n) / (2 * x ** (n + 1))
    for k, b in enumerate(_BERNOULLI, start=1):
        total = total + b * math.factorial(2 * k + n - 1) / (
            math.factorial(2 * k) * x ** (2 * k + n))
    return (-1) ** (n + 1) * total


def _polygamma_float64(x, n):
    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    pole = (x <= 0) & (x == np.floor(x))
    # digamma of negative non-integers by reflection (the recurrence would lose digits);
    # higher orders use the upward recurrence, which is exact in sign.
    reflect = (x < 0.5) & ~pole if n == 0 else np.zeros(x.shape, bool)
    y = np.where(reflect, 1 - x, x)
    y = np.where(pole | np.isnan(y), _SHIFT_TO, y)
    acc = np.zeros(x.shape)
    sign_n = (-1) ** n * math.factorial(n)
    while True:
        small = y < _SHIFT_TO
        if not small.any():
            break
        # psi^(n)(y) = psi^(n)(y + 1) - (-1)^n n! / y^(n+1)
        acc = np.where(small, acc - sign_n / y ** (n + 1), acc)
        y = np.where(small, y + 1, y)
    value = acc + _asymptotic(y, n)
    if n == 0:
        value = np.where(reflect, value - np.pi / np.tan(np.pi * x), value)
        value = np.where(x == np.inf, np.inf, value)
    else:
        value = np.where(x == np.inf, 0.0, value)
    out = np.where(pole | np.isnan(x) | (x == -np.inf), out, value)
    # Pole values follow scipy.special: odd orders +inf, even orders -inf, digamma -inf
    # at 0 only (no limit at the negative integers: NaN).
    if n % 2 == 1:
        out = np.where(pole, np.inf, out)
    elif n > 0:
        out = np.where(pole, -np.inf, out)
    else:
        out = np.where(x == 0, -np.copysign(np.inf, x), out)
    return out


def _polygamma_impl(x, *, order):
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        return [np.asarray(_polygamma_float64(x, order)).astype(x.dtype)]


Primitive("polygamma", _real_rule("polygamma"), _polygamma_impl, ELEMENTWISE)
