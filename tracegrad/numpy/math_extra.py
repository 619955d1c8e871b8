"""Elementwise functions that are not a single primitive: composites written the way
NumPy's own C loops compute them, so traced results match NumPy's to rounding."""
from __future__ import annotations
from ..ir import is_float

import math

import numpy as np

from ._core import convert, implements, reject_kwargs
from .ufuncs import (absolute, composite, loop_inputs, add, copysign, equal, exp, exp2, greater,
                     greater_equal, isinf,
                     isnan, less, log1p, logical_and, logical_or, maximum, minimum,
                     multiply, power, rint, sin, sqrt, square, subtract, true_divide,
                     where)


# -- angles ----------------------------------------------------------------------------

@composite(np.deg2rad)
def deg2rad(x):
    (x,) = loop_inputs(np.deg2rad, x)
    return multiply(x, np.pi / 180.0)


@composite(np.rad2deg)
def rad2deg(x):
    (x,) = loop_inputs(np.rad2deg, x)
    return multiply(x, 180.0 / np.pi)


radians = implements(np.radians)(deg2rad)
degrees = implements(np.degrees)(rad2deg)


# -- sign and rounding -----------------------------------------------------------------

@composite(np.signbit)
def signbit(x):
    (x,) = loop_inputs(np.signbit, x)
    if np.dtype(x.dtype).kind != "f":
        return less(x, 0)
    # copysign sees the sign bit of -0.0 and of negative NaNs, which `x < 0` misses.
    return less(copysign(1.0, x), 0)


def _round(a, decimals=0, out=None):
    reject_kwargs("round", out=out)
    kind = np.dtype(a.dtype).kind
    if kind in "biu":
        if decimals >= 0:
            return a
        # Integer rounding to tens, hundreds, ...: NumPy goes through float64 and back.
        scale = 10.0 ** -decimals
        return convert(multiply(rint(true_divide(convert(a, np.float64), scale)), scale),
                       a.dtype, weak=False)
    if decimals == 0:
        return rint(a)
    # NumPy: rint(x * 10**d) / 10**d, or rint(x / 10**-d) * 10**-d for negative d.
    if decimals > 0:
        scale = 10.0 ** decimals
        return true_divide(rint(multiply(a, scale)), scale)
    scale = 10.0 ** -decimals
    return multiply(rint(true_divide(a, scale)), scale)


round = implements(np.round)(_round)
around = implements(np.around, "around")(_round)


@implements(np.sinc)
def sinc(x):
    # NumPy's own formula: the 1e-20 stand-in makes sin(y)/y exactly 1 at zero.
    if not is_float(x.dtype):
        x = convert(x, np.float64)
    # At 0 the Taylor polynomial 1 - (pi x)^2 / 6 gives the value 1 and the right first
    # and second derivatives (0 and -pi^2/3); elsewhere NumPy's sin(pi x) / (pi x).
    at_zero = equal(x, 0)
    y = multiply(np.pi, where(at_zero, 1.0, x))
    taylor = subtract(1.0, true_divide(square(multiply(np.pi, x)), 6.0))
    return where(at_zero, taylor, true_divide(sin(y), y))


@implements(np.nan_to_num)
def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    if not is_float(x.dtype):
        return x
    info = np.finfo(x.dtype)
    posinf = info.max if posinf is None else posinf
    neginf = info.min if neginf is None else neginf
    big = where(greater(x, 0), float(posinf), float(neginf))
    return where(isnan(x), float(nan), where(isinf(x), convert(big, x.dtype), x))


# -- binary ----------------------------------------------------------------------------

@composite(np.float_power)
def float_power(x1, x2):
    x1, x2 = loop_inputs(np.float_power, x1, x2)
    return power(x1, x2)


def _nan_ignoring(extremum, np_ufunc):
    def body(x1, x2):
        x1, x2 = loop_inputs(np_ufunc, x1, x2)
        if not is_float(x1.dtype):
            return extremum(x1, x2)
        # fmax/fmin return the other operand where one is NaN.
        return where(isnan(x2), x1, where(isnan(x1), x2, extremum(x1, x2)))
    return composite(np_ufunc)(body)


fmax = _nan_ignoring(maximum, np.fmax)
fmin = _nan_ignoring(minimum, np.fmin)


@composite(np.hypot)
def hypot(x1, x2):
    x1, x2 = loop_inputs(np.hypot, x1, x2)
    a, b = absolute(x1), absolute(x2)
    # One comparison picks both (not maximum/minimum, whose derivatives split ties), so
    # near |x1| == |x2| the expression is a*sqrt(1 + (b/a)**2): exact derivatives of
    # every order there too.
    a_bigger = greater_equal(a, b)
    big, small = where(a_bigger, a, b), where(a_bigger, b, a)
    # Scale by the larger magnitude so squares neither overflow nor underflow.
    safe_big = where(equal(big, 0), 1.0, big)
    ratio = true_divide(small, safe_big)
    scaled = multiply(big, sqrt(add(1.0, multiply(ratio, ratio))))
    either_inf = logical_or(isinf(a), isinf(b))
    return where(either_inf, np.inf, scaled)


def _logaddexp(np_ufunc, log1p_of_exp):
    def body(x1, x2):
        x1, x2 = loop_inputs(np_ufunc, x1, x2)
        # max + log1p(exp(min - max)), which never overflows. One comparison picks both
        # sides (not maximum/absolute, whose derivatives split or flip at ties), so
        # around x1 == x2 it is x1 + log1p(exp(x2 - x1)): exact derivatives of every
        # order. Equal infinities would give inf - inf: they are the answer themselves.
        first = greater_equal(x1, x2)
        big, small = where(first, x1, x2), where(first, x2, x1)
        equal_infinities = logical_and(equal(x1, x2), isinf(x1))
        gap = where(equal_infinities, 0.0, subtract(small, big))
        return where(equal_infinities, x1, add(big, log1p_of_exp(gap)))
    return composite(np_ufunc)(body)


logaddexp = _logaddexp(np.logaddexp, lambda d: log1p(exp(d)))
logaddexp2 = _logaddexp(np.logaddexp2,
                        lambda d: multiply(log1p(exp2(d)), 1.0 / math.log(2.0)))


@composite(np.heaviside)
def heaviside(x1, x2):
    x1, x2 = loop_inputs(np.heaviside, x1, x2)
    step = where(less(x1, 0), 0.0, where(greater(x1, 0), 1.0, x2))
    return where(isnan(x1), x1, convert(step, x1.dtype))
