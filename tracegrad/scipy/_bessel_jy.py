"""Bessel functions of the first and second kind, J_nu and Y_n, of a concrete real order,
composed from arithmetic, log, sqrt, sin and cos (no Bessel primitive). For x >= 0:

- x < 1: the power series, J_nu(x) = (x/2)^nu sum_k (-x^2/4)^k / (k! Gamma(nu + k + 1)),
  and for Y_n A&S 9.1.11 (the same series with digammas, a log and n negative powers).
- 1 <= x < X(nu): Miller's backward recurrence J_(m-1) = (2m/x) J_m - J_(m+1) from
  an order far above x (stable downwards), normalized by J_0 + 2 sum J_2k = 1 (integer
  order) or by (x/2)^mu = sum_k (mu + 2k) Gamma(mu + k) / k! J_(mu+2k) (mu the fractional
  part); Y_0 from the same chain by Neumann's series
  Y_0 = (2/pi) (log(x/2) + gamma) J_0 - (4/pi) sum (-1)^k J_2k / k, and Y_1 by its
  derivative.
- x >= X(nu) (20 for orders up to 8, ~nu^2 / 4 above): Hankel's asymptotic expansion,
  20 terms each of P and Q.
Y_n for n >= 2 by the forward recurrence from Y_0 and Y_1 (stable upwards).

Each function of x is a custom_jvp whose derivative is the recurrence
J_nu' = (nu / x) J_nu - J_(nu+1) (J_0' = -J_1; the same for Y), not the derivative of
the series, so derivatives of every order are Bessel functions again."""
from __future__ import annotations

import functools
import math

import numpy as np
import scipy.special as _sp

from ..autodiff.custom_jvp import custom_jvp
from ..errors import DTypeError
from ..numpy import _core
from ..numpy._core import asarray_traced, convert, ufunc_name
from ..numpy.ufuncs import composite, loop_dtypes
from ..numpy.ufuncs import absolute as abs_
from ..numpy.ufuncs import (cos, equal, greater, greater_equal, isinf, isnan, less, log,
                            sign, sin, sqrt, where)
from ._float64 import float64_ufunc

_SERIES_BELOW = 1.0
_SERIES_TERMS = 16
_ASYMPTOTIC_TERMS = 20
_EULER = 0.57721566490153286061
_START = 1e-280           # the chain's top value: growth to order 0 stays below 1e300


@functools.lru_cache(maxsize=None)
def asymptotic_from(nu):
    """The x above which Hankel's expansion, cut after 2 * _ASYMPTOTIC_TERMS terms, is
    accurate to ~1e-16: its last terms are below 1e-17 and no term exceeds 2 (20 for
    small orders, ~nu^2 / 4 for large ones)."""
    mu = 4.0 * nu * nu
    coeffs = [1.0]
    for k in range(1, 2 * _ASYMPTOTIC_TERMS + 2):
        coeffs.append(coeffs[-1] * (mu - (2 * k - 1) ** 2) / (k * 8.0))
    x = 20.0
    last = range(2 * _ASYMPTOTIC_TERMS - 2, 2 * _ASYMPTOTIC_TERMS + 2)
    while not (all(abs(coeffs[k]) / x ** k < 1e-17 for k in last) and
               max(abs(c) / x ** k for k, c in enumerate(coeffs)) < 2.0):
        x += 0.5
    return x


def _chain_top(nu):
    return int(math.ceil(asymptotic_from(nu) + nu)) + 30


def _power_series_j(x, nu):
    """J_nu(x) for 0 <= x < 1 (nu >= 0)."""
    t = -0.25 * x * x
    coeffs = [math.exp(-math.lgamma(k + 1) - math.lgamma(k + nu + 1))
              for k in range(_SERIES_TERMS)]
    total = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        total = c + total * t
    if nu == 0:
        return total
    # (x/2)^nu: x may be 0 here (the Miller branch sees x = 1 then).
    half = 0.5 * x
    return total * (half ** nu if float(nu).is_integer() and nu < 8
                    else where(equal(x, 0.0), 0.0, _pow(half, nu)))


def _pow(base, nu):
    from ..numpy.ufuncs import power
    return power(where(equal(base, 0.0), 1.0, base), nu)


def _power_series_y(x, n):
    """Y_n(x) for 0 < x < 1, integer n >= 0 (A&S 9.1.11)."""
    half = 0.5 * x
    quarter = 0.25 * x * x
    total = 0.0
    if n:
        # -(1/pi) (x/2)^-n sum_{k<n} (n-k-1)!/k! (x^2/4)^k
        front = 0.0
        for k in reversed(range(n)):
            front = math.factorial(n - k - 1) / math.factorial(k) + front * quarter
        total = -front / (math.pi * half ** n)
    total = total + (2.0 / math.pi) * log(half) * _power_series_j(x, n)
    # -(1/pi) (x/2)^n sum_k (psi(k+1) + psi(n+k+1)) (-x^2/4)^k / (k! (n+k)!)
    psi = [-_EULER + sum(1.0 / j for j in range(1, m + 1)) for m in range(
        _SERIES_TERMS + n + 2)]
    coeffs = [(psi[k] + psi[n + k]) / (math.factorial(k) * math.factorial(n + k))
              for k in range(_SERIES_TERMS)]
    tail = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        tail = c - tail * quarter
    return total - tail * half ** n / math.pi


def _miller(x, nu):
    """{order: J_order(x)} for the orders nu - floor(nu) + k up to nu + 1, 1 <= x."""
    mu = nu - math.floor(nu)
    top = _chain_top(nu)
    upper, value = 0.0, _START
    values = {}
    norm = 0.0
    for k in range(top, -1, -1):
        order = mu + k
        if k <= math.floor(nu) + 1:
            values[k] = value
        if mu == 0:
            weight = 1.0 if k == 0 else (2.0 if k % 2 == 0 else 0.0)
        else:
            weight = (math.exp(math.lgamma(mu + k // 2) - math.lgamma(k // 2 + 1)) * (
                mu + k) if k % 2 == 0 and k else (math.gamma(mu + 1) if k == 0 else 0.0))
        if weight:
            norm = norm + weight * value
        if k:
            upper, value = value, (2.0 * order / x) * value - upper
        if k > math.floor(nu) + 2 and k % 25 == 0:
            # Rescale on the way down (orders far above x grow by ~(2k/x) per step).
            size = 1.0 / (abs_(value) + abs_(upper))
            upper, value, norm = upper * size, value * size, norm * size
    scale = 1.0 / norm if mu == 0 else _pow(0.5 * x, mu) / norm
    return {k: v * scale for k, v in values.items()}, mu


def _hankel(x, nu):
    """(P, Q) of Hankel's expansion: J = sqrt(2/(pi x)) (P cos c - Q sin c) and
    Y = sqrt(2/(pi x)) (P sin c + Q cos c), c = x - (nu/2 + 1/4) pi."""
    mu = 4.0 * nu * nu
    coeffs = [1.0]
    for k in range(1, 2 * _ASYMPTOTIC_TERMS):
        coeffs.append(coeffs[-1] * (mu - (2 * k - 1) ** 2) / (k * 8.0))
    inv = 1.0 / x
    inv2 = inv * inv
    p = 0.0
    q = 0.0
    for j in reversed(range(_ASYMPTOTIC_TERMS)):
        p = (-1) ** j * coeffs[2 * j] + p * inv2
        q = (-1) ** j * coeffs[2 * j + 1] + q * inv2
    return p, q * inv


def _phase(x, nu):
    """(cos c, sin c) for c = x - (nu/2 + 1/4) pi, without rounding the shift into x."""
    shift = (nu / 2.0 + 0.25) * math.pi
    cx, sx = cos(x), sin(x)
    cs, ss = math.cos(shift), math.sin(shift)
    return cx * cs + sx * ss, sx * cs - cx * ss


def _far(x, nu, second):
    p, q = _hankel(x, nu)
    c, s = _phase(x, nu)
    amplitude = sqrt(2.0 / (math.pi * x))
    return amplitude * ((p * s + q * c) if second else (p * c - q * s))


def j_value(x, nu):
    """J_nu(x) for x >= 0 (NaN at inf, as SciPy's)."""
    small = less(x, _SERIES_BELOW)
    big = greater_equal(x, asymptotic_from(nu))
    xs = where(small, x, 0.5)
    xm = where(small | big, 2.0, x)
    xb = where(big, where(isinf(x), 1e300, x), asymptotic_from(nu) + 1.0)
    series = _power_series_j(xs, nu)
    chain, _ = _miller(xm, nu)
    middle = chain[int(math.floor(nu))]
    far = where(isinf(x), np.nan, _far(xb, nu, False))      # NaN at inf, as SciPy
    return where(small, series, where(big, far, middle))


def y_value(x, n):
    """Y_n(x) for integer n >= 0 and x > 0."""
    # Y_0 and Y_1 by their own formulas, then upwards (orders n >= 2 switch with them).
    small = less(x, _SERIES_BELOW)
    big = greater_equal(x, asymptotic_from(1))
    xs = where(small, x, 0.5)
    xm = where(small | big, 2.0, x)
    xb = where(big, where(isinf(x), 1e300, x), asymptotic_from(1) + 1.0)
    if n <= 1:
        series = _power_series_y(xs, n)
        middle = _neumann(xm, n)
        far = _far(xb, n, True)
    else:
        series = _forward(xs, n, _power_series_y(xs, 0), _power_series_y(xs, 1))
        middle = _forward(xm, n, _neumann(xm, 0), _neumann(xm, 1))
        far = _forward(xb, n, _far(xb, 0, True), _far(xb, 1, True))
    far = where(isinf(x), np.nan, far)                      # NaN at inf, as SciPy
    out = where(small, series, where(big, far, middle))
    # Y_n(x) -> -inf as x -> 0+: the recurrence overflows to -inf - -inf there.
    out = where(isnan(out) & greater(x, 0.0) & ~isinf(x), -np.inf, out)
    return where(equal(x, 0.0), -np.inf, where(less(x, 0.0), np.nan, out))


def _forward(x, n, y0, y1):
    for k in range(1, n):
        y0, y1 = y1, (2.0 * k / x) * y1 - y0
    return y1


def _neumann(x, n):
    """Y_0 or Y_1 from the Miller chain of integer orders, 1 <= x."""
    chain, _ = _miller_all(x)
    lead = log(0.5 * x) + _EULER
    if n == 0:
        total = 0.0
        for k in range(1, len(chain) // 2):
            total = total + (-1) ** k / k * chain[2 * k]
        return (2.0 / math.pi) * (lead * chain[0] - 2.0 * total)
    # Y_1 = -Y_0' = (2/pi) (lead J_1 - J_0 / x) + (2/pi) sum (-1)^k (J_2k-1 - J_2k+1) / k
    total = 0.0
    for k in range(1, len(chain) // 2 - 1):
        total = total + (-1) ** k / k * (chain[2 * k - 1] - chain[2 * k + 1])
    return (2.0 / math.pi) * (lead * chain[1] - chain[0] / x + total)


def _miller_all(x):
    """Every integer order of the chain for order 1 (Neumann's series needs them all)."""
    top = _chain_top(1)
    upper, value = 0.0, _START
    values = {}
    norm = 0.0
    for k in range(top, -1, -1):
        values[k] = value
        if k % 2 == 0:
            norm = norm + (1.0 if k == 0 else 2.0) * value
        if k:
            upper, value = value, (2.0 * k / x) * value - upper
    return [values[k] / norm for k in range(top + 1)], None


# -- custom_jvp functions of x, one per (kind, order) ------------------------------------

_CACHE = {}


def bessel(kind, nu):
    """The custom_jvp function x -> J_nu(x) or Y_nu(x) of a concrete order: any real x for
    integer orders (J_n(-x) = (-1)^n J_n(x); Y_n is NaN below 0), NaN below 0 for others.
    Negative integer orders by J_-n = (-1)^n J_n (Y likewise)."""
    key = (kind, float(nu))
    if key in _CACHE:
        return _CACHE[key]
    integer = float(nu).is_integer()
    if nu < 0:
        base = bessel(kind, -nu)
        fn = (lambda x: -base(x)) if int(-nu) % 2 else base
        _CACHE[key] = fn
        return fn

    @custom_jvp
    def fn(x):
        if kind == "y":
            return y_value(x, int(nu))
        if integer:
            value = j_value(abs_(x), nu)
            return sign(x) * value if int(nu) % 2 else value
        negative = less(x, 0.0)
        return where(negative, np.nan, j_value(where(negative, 1.0, x), nu))

    @fn.defjvp
    def fn_jvp(primals, tangents):
        (x,), (dx,) = primals, tangents
        y = fn(x)
        if nu == 0:
            return y, -bessel(kind, 1)(x) * dx
        if integer:
            # (C_(n-1) - C_(n+1)) / 2: no division by x (J_1'(0) = 1/2).
            return y, 0.5 * (bessel(kind, nu - 1)(x) - bessel(kind, nu + 1)(x)) * dx
        zero = equal(x, 0.0)
        slope = (nu / where(zero, 1.0, x)) * y - bessel(kind, nu + 1)(x)
        # J_nu'(0) is 0 for nu > 1 and unbounded for 0 < nu < 1.
        return y, where(zero, 0.0 if nu > 1 else np.inf, slope) * dx

    fn.__name__ = f"{kind}v_{nu:g}"
    _CACHE[key] = fn
    return fn




# -- scipy.special's names ----------------------------------------------------------------

_MAX_ORDER = 50.0          # the recurrence's length grows as order^2 / 4
_MAX_DISTINCT_ORDERS = 16


def concrete_order(sp_ufunc, order):
    """The order as a NumPy array, refusing traced ones (the order is not
    differentiable: tracegrad computes these for a known order only)."""
    name = ufunc_name(sp_ufunc)
    if _core.is_traced(order):
        raise _core.unsupported(
            f"{name} with a traced order",
            "The order is not differentiable here: pass it as a constant (a Python or "
            "NumPy number or array, or a static argument of compile); the derivative in "
            "x is supported.")
    order = np.asarray(order, dtype=np.float64)
    if np.any(np.abs(order[np.isfinite(order)]) > _MAX_ORDER) or \
            len(np.unique(order)) > _MAX_DISTINCT_ORDERS:
        raise _core.unsupported(f"{name} with orders above {_MAX_ORDER:g} in magnitude or "
                                f"more than {_MAX_DISTINCT_ORDERS} distinct orders")
    return order


def by_order(sp_ufunc, order, x, one):
    """one(v, x) for each distinct concrete order v, selected elementwise; x float64."""
    out = None
    for v in np.unique(order):
        value = one(float(v), x) if np.isfinite(v) else x * np.nan
        if order.ndim == 0:
            return value
        out = value if out is None else where(equal(order, v), value, out)
    return out * np.ones(order.shape)  # (broadcast to the orders' shape)


def order_ufunc(sp_ufunc, one):
    """The traced form of sp_ufunc(order, x) for concrete orders."""
    def traced(order, x):
        loop_in, out_dtype = loop_dtypes(sp_ufunc, order, x)
        if any(d.kind == "c" for d in loop_in):
            raise DTypeError(f"{ufunc_name(sp_ufunc)} on traced values is defined for "
                             f"real arguments only, not {', '.join(map(str, loop_in))}")
        order = concrete_order(sp_ufunc, order)
        x = convert(asarray_traced(x), np.float64)
        out = by_order(sp_ufunc, order, x, one)
        return out if out.dtype == out_dtype else convert(out, out_dtype)
    traced.__name__ = sp_ufunc.__name__
    return composite(sp_ufunc)(traced)


def _jv_one(v, x):
    if v < 0 and not v.is_integer():
        raise _core.unsupported(
            f"scipy.special.jv with a negative non-integer order ({v:g})",
            "It needs Y_nu of non-integer order, which is not here.")
    return bessel("j", v)(x)


def _yn_one(v, x):
    return bessel("y", float(int(v)))(x)


jv = order_ufunc(_sp.jv, _jv_one)
jn = jv
yn = order_ufunc(_sp.yn, _yn_one)


@float64_ufunc(_sp.j0)
def j0(x):
    return bessel("j", 0.0)(x)


@float64_ufunc(_sp.j1)
def j1(x):
    return bessel("j", 1.0)(x)


@float64_ufunc(_sp.y0)
def y0(x):
    return bessel("y", 0.0)(x)


@float64_ufunc(_sp.y1)
def y1(x):
    return bessel("y", 1.0)(x)


__all__ = ["j0", "j1", "jn", "jv", "y0", "y1", "yn"]
