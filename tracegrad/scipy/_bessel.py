"""Modified Bessel functions i0, i1 and their exponentially scaled forms i0e, i1e,
composed from arithmetic and exp (no Bessel primitive):

- |x| <= 20: the power series I_nu(x) = (x/2)^nu sum_k (x^2/4)^k / (k! (k + nu)!), whose
  terms are all positive (no cancellation); 45 terms reach 1e-17 at x = 20.
- |x| > 20: Hankel's asymptotic series for I_nu(x) e^-x sqrt(2 pi x), 25 terms; its error
  there is below 1e-17.
Both agree with SciPy's (Cephes) to ~2e-15 relative. Each function is a custom_jvp with
the closed-form derivatives (i0' = i1, i1' = i0 - i1/x), not the series' own."""
from __future__ import annotations

import math

import scipy.special as _sp

from ..autodiff.custom_jvp import custom_jvp
from ..numpy.ufuncs import absolute, equal, exp, greater, negative, sign, sqrt, where
from ._float64 import float64_ufunc

_SWITCH = 20.0
_SERIES_TERMS = 45
_ASYMPTOTIC_TERMS = 25


def _series(x, nu):
    t = x * x * 0.25
    coeffs = [1.0 / (math.factorial(k) * math.factorial(k + nu))
              for k in range(_SERIES_TERMS)]
    total = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        total = c + total * t
    return total if nu == 0 else total * (x * 0.5)


def asymptotic_scaled(x, nu, terms=_ASYMPTOTIC_TERMS):
    """I_nu(x) e^-x by Hankel's expansion (x large), its first `terms` terms."""
    mu = 4.0 * nu * nu
    total = 1.0
    for k in range(terms, 0, -1):
        total = 1.0 - (mu - (2 * k - 1) ** 2) / (8.0 * k) / x * total
    return total / sqrt(2.0 * math.pi * x)


def _bessel(x, nu, scaled):
    """I_nu(|x|), times e^-|x| if scaled."""
    ax = absolute(x)
    near = greater(_SWITCH, ax)        # False for NaN: NaN goes through the far branch
    small = where(near, ax, 0.0)
    large = where(near, _SWITCH, ax)
    series = _series(small, nu)
    far = asymptotic_scaled(large, nu)
    if scaled:
        return where(near, series * exp(negative(small)), far)
    # At +-inf this is 0 * inf = NaN, as SciPy's i0 and i1 give.
    return where(near, series, far * exp(large))


def _odd(x, value):
    return sign(x) * value


@custom_jvp
def _i0(x):
    return _bessel(x, 0, False)


@custom_jvp
def _i1(x):
    return _odd(x, _bessel(x, 1, False))


@custom_jvp
def _i0e(x):
    return _bessel(x, 0, True)


@custom_jvp
def _i1e(x):
    return _odd(x, _bessel(x, 1, True))


def _i1_over_x(i1_value, x):
    # I1(x) / x -> 1/2 at 0 (I1e likewise).
    zero = equal(x, 0.0)
    return where(zero, 0.5, i1_value / where(zero, 1.0, x))


@_i0.defjvp
def _i0_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    return _i0(x), _i1(x) * dx


@_i1.defjvp
def _i1_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    y = _i1(x)
    return y, (_i0(x) - _i1_over_x(y, x)) * dx


@_i0e.defjvp
def _i0e_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    y = _i0e(x)
    return y, (_i1e(x) - sign(x) * y) * dx


@_i1e.defjvp
def _i1e_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    y = _i1e(x)
    return y, (_i0e(x) - _i1_over_x(y, x) - sign(x) * y) * dx


@float64_ufunc(_sp.i0)
def i0(x):
    return _i0(x)


@float64_ufunc(_sp.i0e)
def i0e(x):
    return _i0e(x)


@float64_ufunc(_sp.i1)
def i1(x):
    return _i1(x)


@float64_ufunc(_sp.i1e)
def i1e(x):
    return _i1e(x)


__all__ = ["i0", "i0e", "i1", "i1e"]
