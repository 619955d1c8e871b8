"""Gamma-function family as compositions of lgamma: gamma = sign * exp(lgamma), beta and
betaln from three lgammas (Stirling's series for the difference of the large ones once
an argument reaches 10, which keeps digits SciPy's betaln loses there: betaln(74273,
0.158) = -0.00368... is right to 4e-16 absolute here, SciPy's to 2e-10), multigammaln as
a sum of lgammas. Gradients follow from lgamma's (digamma)."""
from __future__ import annotations

import math

import numpy as np
import scipy.special as _sp

from .. import lax
from ..ir.special import _BERNOULLI        # B_2 .. B_18, as polygamma's series uses
from ..numpy import _core
from ..numpy.ufuncs import (copysign, equal, exp, floor, greater, greater_equal, isfinite,
                            isinf, isnan, less, log, log1p, logical_and, logical_or,
                            maximum, minimum, negative, remainder, rint, sin, where)
from ._float64 import float64_ufunc, real_float64


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


@float64_ufunc(_sp.gammasgn)
def gammasgn(x):
    """Sign of Gamma(x) (derivative 0): -1 at -0, NaN at the poles and NaN."""
    value = where(equal(x, 0.0), copysign(1.0, x), _gamma_sign(x))
    return where(logical_or(_poles(x), isnan(x)), np.nan, value)


@float64_ufunc(_sp.rgamma)
def rgamma(x):
    """1 / Gamma(x): exp(-lgamma(x)) with Gamma's sign from 1/2 up; below, the reflection
    sin(pi x) Gamma(1 - x) / pi, which is 0 at the poles with the right derivative there
    ((-1)^n n! at -n). sin(pi x) is taken of x - round(x), so it is 0 exactly there."""
    upper = ~less(x, 0.5)
    xu = where(upper, x, 1.0)
    direct = exp(negative(_lgamma(xu)))
    xl = where(upper, 0.0, where(isinf(x), 0.0, x))
    n = rint(xl)
    sin_pi = sin(math.pi * (xl - n)) * where(equal(remainder(n, 2.0), 0.0), 1.0, -1.0)
    reflected = sin_pi * exp(_lgamma(1.0 - xl)) / math.pi
    value = where(upper, direct, reflected)
    return where(isinf(x), 0.0, value)


# Beyond this the Stirling form of lgamma(big) - lgamma(big + small) is used.
_STIRLING_FROM = 10.0


def _stirling_correction(x):
    """lgamma(x) - ((x - 1/2) log x - x + log(2 pi) / 2), for x >= 10 (error < 1e-18)."""
    inv, inv2 = 1.0 / x, 1.0 / (x * x)
    total = 0.0
    for k in range(len(_BERNOULLI), 0, -1):
        total = _BERNOULLI[k - 1] / (2 * k * (2 * k - 1)) + total * inv2
    return total * inv


def _lgamma_ratio(big, small):
    """lgamma(big) - lgamma(big + small) for big >= 10, without subtracting two large
    lgammas: (big - 1/2) log1p(-small / s) - small log s + small + corrections."""
    s = big + small
    return ((big - 0.5) * log1p(negative(small / s)) - small * log(s) + small
            + _stirling_correction(big) - _stirling_correction(s))


@float64_ufunc(_sp.betaln)
def betaln(a, b):
    direct = _lgamma(a) + _lgamma(b) - _lgamma(a + b)
    big, small = maximum(a, b), minimum(a, b)
    stirling = greater_equal(big, _STIRLING_FROM)
    # Each form sees arguments in its range only (finite values, finite gradients).
    safe_big = where(stirling, big, _STIRLING_FROM)
    safe_small = where(stirling, small, 1.0)
    far = _lgamma(safe_small) + _lgamma_ratio(safe_big, safe_small)
    # B(inf, b) = 0 for finite b > 0 (the Stirling form would give inf * 0 there).
    far = where(logical_and(isinf(big), isfinite(small)), -np.inf, far)
    return where(logical_and(stirling, greater(small, 0.0)), far, direct)


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
    a = real_float64(a, "multigammaln")       # SciPy's result is float64 for any input
    total = d * (d - 1) / 4.0 * math.log(math.pi)
    for j in range(int(d)):
        total = total + _lgamma(a - j / 2.0)
    return total


__all__ = ["gamma", "gammasgn", "rgamma", "beta", "betaln", "multigammaln"]
