"""Regularized incomplete gamma functions gammainc = P(a, x) and gammaincc = Q(a, x),
composed from arithmetic, exp and lgamma, as Numerical Recipes computes them: the power
series of P below x = a + 1, Legendre's continued fraction for Q above (evaluated from
the bottom, 120 levels), each in its own range. Differentiable in x and in a through the
same expressions (the truncation error of the derivative is that of the value).

The prefactor x^a e^-x / Gamma(a) is exp of a sum of terms of size ~a, so the relative
error grows with a: ~1e-14 for a <= 10, 2e-13 at a = 100, 1e-11 at a = 300 (SciPy
switches to Temme's uniform expansion there, which this does not have)."""
from __future__ import annotations

import numpy as np
import scipy.special as _sp

from .. import lax
from ..numpy.ufuncs import (equal, exp, greater, isinf, less, log, logical_and, logical_or,
                            where)
from ._float64 import float64_ufunc

_TERMS = 120


def _log_prefactor(a, x):
    """log(x^a e^-x / Gamma(a))."""
    return a * log(x) - x - lax.apply("lgamma", a)


def _series_p(a, x):
    term = 1.0
    total = 1.0
    for n in range(1, _TERMS + 1):
        term = term * x / (a + n)
        total = total + term
    return exp(_log_prefactor(a, x)) * total / a


def _fraction_q(a, x):
    tail = 0.0
    for n in range(_TERMS, 0, -1):
        tail = n * (n - a) / (x + (2 * n + 1) - a - tail)
    return exp(_log_prefactor(a, x)) / (x + 1.0 - a - tail)


def _both(a, x):
    """(P, Q), each from the formula that is accurate for it, the other as 1 - it."""
    use_series = less(x, a + 1.0)
    # Each formula sees only arguments in its range (finite values and gradients).
    sa, sx = where(use_series, a, 1.0), where(use_series, x, 0.5)
    fa, fx = where(use_series, 1.0, a), where(use_series, 3.0, x)
    p = _series_p(sa, where(equal(sx, 0.0), 0.5, sx))
    p = where(equal(sx, 0.0), 0.0, p)
    q = _fraction_q(fa, where(isinf(fx), 3.0, fx))
    q = where(isinf(fx), 0.0, q)
    p_all = where(use_series, p, 1.0 - q)
    q_all = where(use_series, 1.0 - p, q)
    # Outside the domain (a < 0, x < 0, a = x = 0): NaN; NaN arguments give NaN already.
    bad = logical_or(logical_or(less(x, 0.0), less(a, 0.0)),
                     logical_and(equal(a, 0.0), equal(x, 0.0)))
    zero_a = logical_and(equal(a, 0.0), greater(x, 0.0))      # (0, 0) stays NaN
    p_all = where(bad, np.nan, where(zero_a, 1.0, p_all))
    q_all = where(bad, np.nan, where(zero_a, 0.0, q_all))
    return p_all, q_all


@float64_ufunc(_sp.gammainc)
def gammainc(a, x):
    return _both(a, x)[0]


@float64_ufunc(_sp.gammaincc)
def gammaincc(a, x):
    return _both(a, x)[1]


__all__ = ["gammainc", "gammaincc"]
