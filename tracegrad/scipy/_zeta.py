"""Hurwitz zeta(x, q) and Riemann zeta(x) (scipy.special.zeta with and without q),
composed from pow and arithmetic by the Euler-Maclaurin formula as Cephes' zeta.c sums
it: ten terms (q + k)^-x, then the integral and 9 Bernoulli corrections at w = q + 10.
Differentiable in x and q through the same expressions.

Cephes calls the formula valid for x > 1 only; it holds for every x > -17 except the pole
at 1, so Riemann's zeta uses it down to 0 and the functional equation below 0. Hurwitz's
follows SciPy: x < 1 gives NaN, and so does q < 0 (SciPy sums integer x there)."""
from __future__ import annotations

import math

import numpy as np
from scipy.special import _ufuncs     # SciPy's zeta is Python over these two ufuncs

from ..ir.special import _BERNOULLI        # B_2 .. B_18
from ..numpy.ufuncs import (equal, floor, greater, isinf, less, logical_and, logical_or,
                            power, remainder, sin, where)
from ._float64 import float64_ufunc
from ._gamma import gamma

_TERMS = 10


def _euler_maclaurin(x, q):
    total = power(q, _negative(x))
    for k in range(1, _TERMS):
        total = total + power(q + k, _negative(x))
    w = q + _TERMS
    b = power(w, _negative(x))
    total = total + b * w / (x - 1.0) + 0.5 * b
    # sum_j B_2j / (2j)! x (x + 1) ... (x + 2j - 2) w^(-x - 2j + 1)
    rising, scale = 1.0, b
    for j, bern in enumerate(_BERNOULLI, start=1):
        rising = rising * (x + (2 * j - 2)) if j == 1 else \
            rising * (x + (2 * j - 3)) * (x + (2 * j - 2))
        scale = scale / w if j == 1 else scale / (w * w)
        total = total + bern / math.factorial(2 * j) * rising * scale
    return total


def _negative(x):
    return 0.0 - x


@float64_ufunc(_ufuncs._zeta)
def _hurwitz(x, q):
    ok = logical_and(greater(x, 1.0), greater(q, 0.0))
    value = _euler_maclaurin(where(ok, x, 2.0), where(ok, q, 1.0))
    pole = logical_or(equal(x, 1.0), logical_and(~greater(q, 0.0), equal(floor(q), q)))
    value = where(ok, value, where(pole, np.inf, np.nan))
    return where(logical_and(isinf(x), greater(q, 0.0)), _at_infinity(q), value)


def _at_infinity(q):
    """zeta(inf, q) as SciPy: 1 at q = 1, inf below, NaN above (where the limit is 0)."""
    return where(equal(q, 1.0), 1.0, where(greater(q, 1.0), np.nan, np.inf))


@float64_ufunc(_ufuncs._riemann_zeta)
def _riemann(x):
    direct_range = ~less(x, 0.0)
    direct = _euler_maclaurin(where(direct_range, x, 2.0), 1.0)
    # zeta(s) = 2^s pi^(s - 1) sin(pi s / 2) Gamma(1 - s) zeta(1 - s) for s < 0.
    s = where(direct_range, -1.5, x)
    reflected = (power(2.0, s) * power(math.pi, s - 1.0) * sin(0.5 * math.pi * s)
                 * gamma(1.0 - s) * _euler_maclaurin(1.0 - s, 1.0))
    # The trivial zeros -2, -4, ... exactly (sin(pi s / 2) is only ~1e-16 there).
    trivial = logical_and(less(x, 0.0), equal(remainder(x, 2.0), 0.0))
    value = where(direct_range, direct, where(trivial, 0.0, reflected))
    value = where(equal(x, np.inf), 1.0, value)
    return where(equal(x, 1.0), np.inf, value)


def zeta(x, q=None):
    """scipy.special.zeta: Riemann's without q, Hurwitz's with it."""
    return _riemann(x) if q is None else _hurwitz(x, q)


__all__ = ["zeta"]
