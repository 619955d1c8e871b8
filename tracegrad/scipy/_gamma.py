"""Gamma-function family as compositions of lgamma: gamma = sign * exp(lgamma), beta and
betaln from three lgammas, multigammaln as a sum of lgammas. Gradients follow from
lgamma's (digamma)."""
from __future__ import annotations

import math

import numpy as np
import scipy.special as _sp

from .. import lax
from ..numpy import _core
from ..numpy.ufuncs import (copysign, equal, exp, floor, less, logical_and, logical_or,
                            remainder, where)
from ._float64 import float64_ufunc


def _lgamma(x):
    return lax.apply("lgamma", x)


def _gamma_sign(x):
    """Sign of Gamma(x): +1 for x > 0; (-1)^ceil(-x) between the negative poles."""
    odd = equal(remainder(floor(x), 2.0), 1.0)
    return where(logical_and(less(x, 0.0), odd), -1.0, 1.0)


def _poles(x):
    # The non-positive integers and -inf, where scipy.special.gamma gives NaN (0 is the
    # exception: +-inf by the sign of zero).
    return logical_or(logical_and(less(x, 0.0), equal(floor(x), x)), equal(x, -np.inf))


@float64_ufunc(_sp.gamma)
def gamma(x):
    value = _gamma_sign(x) * exp(_lgamma(x))
    # Gamma(+-0) = +-inf: lgamma says +inf at both.
    value = where(equal(x, 0.0), copysign(np.inf, x), value)
    return where(_poles(x), np.nan, value)


@float64_ufunc(_sp.betaln)
def betaln(a, b):
    return _lgamma(a) + _lgamma(b) - _lgamma(a + b)


@float64_ufunc(_sp.beta)
def beta(a, b):
    sign = _gamma_sign(a) * _gamma_sign(b) * _gamma_sign(a + b)
    return sign * exp(betaln(a, b))


def multigammaln(a, d):
    """scipy.special.multigammaln with a concrete dimension d; a > (d - 1) / 2 is not
    checked on traced values (SciPy raises there; here the sum gives inf or NaN)."""
    if not _core.is_traced(a):
        return _sp.multigammaln(a, d)
    if _core.is_traced(d) or np.ndim(d) != 0 or int(d) != d or d < 1:
        raise _core.unsupported("scipy.special.multigammaln with a traced or non-integer "
                                "dimension", "Pass d as a positive Python int.")
    a = _core.convert(a, np.float64)          # SciPy's result is float64 for any input
    total = d * (d - 1) / 4.0 * math.log(math.pi)
    for j in range(int(d)):
        total = total + _lgamma(a - j / 2.0)
    return total


__all__ = ["gamma", "beta", "betaln", "multigammaln"]
