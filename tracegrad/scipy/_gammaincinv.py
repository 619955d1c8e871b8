"""Inverses of the regularized incomplete gamma functions: gammaincinv(a, p) = x with
P(a, x) = p, and gammainccinv(a, q) = x with Q(a, x) = q.

The root is found on constant copies of the arguments (no derivative flows through the
search): the smaller tail is solved, Newton's method on its logarithm (in log x for the
lower tail, where P ~ x^a, in x for the upper one), 40 steps in a loop from Numerical
Recipes' starting point. Two Newton steps on the differentiable equation then follow from
that root: at the root they do not change the value (beyond rounding), and their
derivatives are those of the inverse function to third order (implicit differentiation:
dx/dp = 1 / P_x, dx/da = -P_a / P_x), in p and in a."""
from __future__ import annotations

import numpy as np
import scipy.special as _sp

from .. import lax
from ..numpy.ufuncs import (equal, exp, greater, isnan, less, log, log1p, logical_and,
                            logical_or, maximum, minimum, sqrt, where)
from ._float64 import float64_ufunc
from ._gammainc import _TERMS, _both, _log_prefactor

_SEARCH_STEPS = 40


def _log_density(a, x):
    """log(x^(a-1) e^-x / Gamma(a)): the derivative of P in x."""
    return (a - 1.0) * log(x) - x - lax.apply("lgamma", a)


def _start(a, tail, lower):
    """Numerical Recipes' starting point (gammpinv), written in the tail that is solved
    for (P = tail if lower, else Q = tail), so a tiny upper tail does not round p to 1."""
    t = sqrt(-2.0 * log(tail))
    z = (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t
    z = -z if lower else z
    big_a = maximum(a, 1.0)
    wilson = big_a * (1.0 - 1.0 / (9.0 * big_a) - z / (3.0 * sqrt(big_a))) ** 3
    large = maximum(wilson, 1e-3)
    sa = minimum(a, 1.0)
    t0 = 1.0 - sa * (0.253 + sa * 0.12)
    p = tail if lower else 1.0 - tail
    q = 1.0 - tail if lower else tail
    below = exp(log(p / t0) / sa)
    above = 1.0 - log(q / (1.0 - t0))
    little = where(less(p, t0), below, above)
    return where(greater(a, 1.0), large, little)


def _log_tails(a, x):
    """(log P, log Q) without underflow: each tail's log from the formula that computes
    it directly (_gammainc's series below x = a + 1, its continued fraction above)."""
    use_series = less(x, a + 1.0)
    sa, sx = where(use_series, a, 1.0), where(use_series, x, 0.5)
    fa, fx = where(use_series, 1.0, a), where(use_series, 3.0, x)
    term, total = 1.0, 1.0
    for n in range(1, _TERMS + 1):
        term = term * sx / (sa + n)
        total = total + term
    log_p = _log_prefactor(sa, sx) + log(total) - log(sa)
    tail = 0.0
    for n in range(_TERMS, 0, -1):
        tail = n * (n - fa) / (fx + (2 * n + 1) - fa - tail)
    log_q = _log_prefactor(fa, fx) - log(fx + 1.0 - fa - tail)
    return (where(use_series, log_p, log1p(-exp(log_q))),
            where(use_series, log1p(-exp(log_p)), log_q))


def _search(a, y, lower):
    """x with P(a, x) = y (lower) or Q(a, x) = y, y <= 1/2 the smaller tail."""
    x0 = _start(a, y, lower)
    log_y = log(y)

    def step(i, x):
        log_p, log_q = _log_tails(a, x)
        log_tail = log_p if lower else log_q
        slope = exp(_log_density(a, x) - log_tail)           # |d log(tail) / dx|
        residual = log_tail - log_y
        if lower:
            # Newton in u = log x, where log P is nearly linear (P ~ x^a).
            u = log(x) - minimum(maximum(residual / (x * slope), -50.0), 50.0)
            return exp(u)
        return maximum(x + residual / slope, 0.1 * x)       # log Q decreases in x

    return lax.fori_loop(0, _SEARCH_STEPS, step, maximum(x0, 1e-300))


def _invert(a, y, upper_given):
    """x with P(a, x) = y, or Q(a, x) = y if upper_given; differentiable in a and y."""
    p = 1.0 - y if upper_given else y
    q = y if upper_given else 1.0 - y
    ok = logical_and(logical_and(greater(a, 0.0), ~isnan(y)),
                     logical_and(~less(y, 0.0), ~greater(y, 1.0)))
    ok = logical_and(ok, less(a, np.inf))
    # The smaller tail of the constant arguments is searched.
    ca, cy = lax.stop_gradient(where(ok, a, 1.0)), lax.stop_gradient(y)
    cp = 1.0 - cy if upper_given else cy
    lower = less(cp, 0.5) if not upper_given else ~less(cy, 0.5)
    # The tail from the given argument itself (1 - it would round a tiny other tail).
    tail = where(lower, 1.0 - cy, cy) if upper_given else where(lower, cy, 1.0 - cy)
    tail = where(logical_or(equal(tail, 0.0), ~ok), 0.25, tail)
    root_lower = _search(ca, where(lower, tail, 0.25), True)
    root_upper = _search(ca, where(lower, 0.25, tail), False)
    root = lax.stop_gradient(where(lower, root_lower, root_upper))
    # A root below the normal range underflows to 0, as in SciPy.
    vanished = less(root, 1e-300)
    root = where(vanished, 1.0, root)
    # Two Newton steps on the differentiable equation, on the same tail.
    sa = where(ok, a, 1.0)
    x = root
    for _ in range(2):
        xp, xq = _both(sa, x)
        residual = where(lower, xp - where(ok, p, 0.5), where(ok, q, 0.5) - xq)
        x = x - residual / exp(_log_density(sa, x))
    x = where(vanished, 0.0, x)
    # The ends: P = 0 at x = 0, Q = 0 at x = inf.
    x = where(equal(p, 0.0), 0.0, where(equal(q, 0.0), np.inf, x))
    return where(ok, x, np.nan)


@float64_ufunc(_sp.gammaincinv)
def gammaincinv(a, p):
    return _invert(a, p, False)


@float64_ufunc(_sp.gammainccinv)
def gammainccinv(a, q):
    return _invert(a, q, True)


__all__ = ["gammaincinv", "gammainccinv"]
