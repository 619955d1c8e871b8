"""Modified Bessel functions iv and ive of a concrete real order, composed from arithmetic
and exp (no Bessel primitive), as _bessel.py computes i0 and i1:

- |x| < X(nu): the power series I_nu(x) = (x/2)^nu sum_k (x^2/4)^k / (k! Gamma(k + nu + 1)),
  all of whose terms are positive (no cancellation), with as many terms as reach 1e-17
  relative at X(nu);
- |x| >= X(nu): Hankel's asymptotic series for I_nu(x) e^-x sqrt(2 pi x), 40 terms.
X(nu) is where that series is accurate (20 for orders up to 8, ~nu^2 / 4 above; see
_bessel_jy.asymptotic_from). Negative x: (-1)^n I_n(|x|) for integer orders, NaN
otherwise (SciPy's); negative integer orders are I_n; other negative orders need K_nu and
are refused. Each function is a custom_jvp whose derivative is the recurrence
I_nu' = I_(nu+1) + (nu / x) I_nu ((I_(n-1) + I_(n+1)) / 2 for integer orders)."""
from __future__ import annotations

import math

import numpy as np
import scipy.special as _sp

from ..autodiff.custom_jvp import custom_jvp
from ..numpy import _core
from ..numpy.ufuncs import absolute, equal, exp, isinf, less, negative, power, sign, where
from ._bessel import asymptotic_scaled
from ._bessel_jy import asymptotic_from, order_ufunc

_ASYMPTOTIC_TERMS = 40


def _series_terms(nu, x):
    """Terms of the power series that reach 1e-17 relative at x."""
    t = x * x / 4.0
    term, total, k = 1.0, 1.0, 0
    while term > 1e-17 * total:
        k += 1
        term *= t / (k * (k + nu))
        total += term
    return k + 1


def _series(x, nu):
    """I_nu(x) for 0 <= x < X(nu)."""
    t = x * x * 0.25
    count = _series_terms(nu, asymptotic_from(nu))
    coeffs = [math.exp(-math.lgamma(k + 1) - math.lgamma(k + nu + 1)) for k in range(count)]
    total = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        total = c + total * t
    if nu == 0:
        return total
    half = 0.5 * x
    zero = equal(half, 0.0)
    return where(zero, 0.0, total * power(where(zero, 1.0, half), nu))


def _value(x, nu, scaled):
    """I_nu(x) (times e^-x if scaled) for x >= 0; NaN at inf, as SciPy's iv and ive."""
    switch = asymptotic_from(nu)
    near = less(x, switch)          # False for NaN: NaN goes through the far branch
    small = where(near, x, 0.0)
    large = where(near, switch, where(isinf(x), switch, x))
    series = _series(small, nu)
    far = asymptotic_scaled(large, nu, _ASYMPTOTIC_TERMS)
    if scaled:
        out = where(near, series * exp(negative(small)), far)
    else:
        out = where(near, series, far * exp(large))
    return where(isinf(x), np.nan, out)


_CACHE = {}


def modified(nu, scaled):
    """The custom_jvp function x -> I_nu(x) (e^-|x| I_nu(x) if scaled), concrete nu."""
    key = (float(nu), scaled)
    if key in _CACHE:
        return _CACHE[key]
    integer = float(nu).is_integer()
    if nu < 0:
        if not integer:
            raise _core.unsupported(
                f"scipy.special.{'ive' if scaled else 'iv'} with a negative non-integer "
                f"order ({nu:g})", "It needs K_nu, which is not here.")
        fn = _CACHE[key] = modified(-nu, scaled)
        return fn

    @custom_jvp
    def fn(x):
        if integer:
            value = _value(absolute(x), nu, scaled)
            return sign(x) * value if int(nu) % 2 else value
        negative_x = less(x, 0.0)
        return where(negative_x, np.nan, _value(where(negative_x, 1.0, x), nu, scaled))

    @fn.defjvp
    def fn_jvp(primals, tangents):
        (x,), (dx,) = primals, tangents
        y = fn(x)
        following = modified(nu + 1, scaled)(x)
        if integer:
            before = modified(abs(nu - 1), scaled)(x)
            slope = 0.5 * (before + following)
        else:
            zero = equal(x, 0.0)
            slope = following + (nu / where(zero, 1.0, x)) * y
            # I_nu'(0): 0 for nu > 1, unbounded for 0 < nu < 1.
            slope = where(zero, 0.0 if nu > 1 else np.inf, slope)
        if scaled:
            # (e^-|x| I)' = e^-|x| I' - sign(x) e^-|x| I
            slope = slope - sign(x) * y
        return y, slope * dx

    fn.__name__ = f"{'ive' if scaled else 'iv'}_{nu:g}"
    _CACHE[key] = fn
    return fn


iv = order_ufunc(_sp.iv, lambda v, x: modified(v, False)(x))
ive = order_ufunc(_sp.ive, lambda v, x: modified(v, True)(x))


__all__ = ["iv", "ive"]
