"""erfcinv and ndtri, composed from other primitives.

Down to y = 1e-16, Giles' polynomials (the ones erf_inv uses, ir/special.py) evaluated at
w = -log(y (2 - y)), which is exact for erfcinv's own argument where 1 - y would round.
Below that the polynomials leave their range, and three Newton steps on
log(erfc(r)) = log(y) — written as log(erfcx(r)) - r^2, so nothing underflows — from
r^2 = L - log(pi L) / 2 (L = -log y) reach 1e-16 relative for every normal y.

A custom_jvp: the derivative is the inverse function's, -sqrt(pi) / 2 exp(r^2), not the
derivative of the polynomials and Newton steps."""
from __future__ import annotations

import math

import numpy as np
import scipy.special as _sp

from ..autodiff.custom_jvp import custom_jvp
from ..ir.special import ERF_INV_BRANCHES
from ..numpy.ufuncs import equal, exp, less, log, negative, sqrt, where
from ._float64 import float64_ufunc
from ._normal import _erfcx

_TAIL_BELOW = 1e-16
_NEWTON_STEPS = 3
_SQRT_PI = math.sqrt(math.pi)


def _polynomials(y):
    w = _negative_log(y * (2.0 - y))
    root = sqrt(w)
    result = None
    for below, use_root, shift, coeffs in reversed(ERF_INV_BRANCHES[np.dtype(np.float64)]):
        t = (root if use_root else w) - shift
        p = coeffs[0]
        for c in coeffs[1:]:
            p = c + p * t
        result = p if result is None else where(less(w, below), p, result)
    return result * (1.0 - y)


def _negative_log(x):
    return negative(log(x))


def _newton_tail(y):
    big = _negative_log(y)
    r = sqrt(big - 0.5 * log(math.pi * big))
    for _ in range(_NEWTON_STEPS):
        scaled = _erfcx(r)
        r = r + (log(scaled) - r * r + big) * (_SQRT_PI / 2.0) * scaled
    return r


@custom_jvp
def _erfcinv(y):
    tail = less(y, _TAIL_BELOW)
    # Each formula sees only arguments in its own range (no NaN from the untaken one).
    value = where(tail, _newton_tail(where(tail, y, _TAIL_BELOW)),
                  _polynomials(where(tail, 1.0, y)))
    # The ends, where the polynomials are indeterminate: erfcinv(0) = inf, (2) = -inf.
    value = where(equal(y, 2.0), -np.inf, value)
    return where(equal(y, 0.0), np.inf, where(less(y, 0.0), np.nan, value))


@_erfcinv.defjvp
def _erfcinv_jvp(primals, tangents):
    (y,), (dy,) = primals, tangents
    r = _erfcinv(y)
    return r, (-_SQRT_PI / 2.0) * exp(r * r) * dy


@float64_ufunc(_sp.erfcinv)
def erfcinv(y):
    return _erfcinv(y)


@float64_ufunc(_sp.ndtri)
def ndtri(p):
    return -math.sqrt(2.0) * _erfcinv(2.0 * p)


__all__ = ["erfcinv", "ndtri"]
