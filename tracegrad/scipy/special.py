"""tracegrad.scipy.special: scipy.special's functions on traced values.

On concrete arrays each function is SciPy's own (identical results); on traced values it
is a composite of primitives with SciPy's semantics at the edges (xlogy(0, y) = 0,
entr(0) = 0, logit(0) = -inf, ...). SciPy's ufuncs called directly on traced values
(`scipy.special.expit(tracer)`) dispatch here through NumPy's __array_ufunc__."""
from __future__ import annotations

import numpy as np
import scipy.special as _sp

from .. import lax
from ..ir import is_float
from ..numpy import _core
from ..numpy._core import asarray_traced, convert, normalize_axes, shape
from ..numpy.ufuncs import composite, loop_inputs
from ..numpy.reductions import max as _max, sum as _sum
from ..numpy.ufuncs import (absolute, add, equal, exp, greater, isfinite, isnan, less,
                            log, log1p, logical_and, multiply, negative, sign, subtract,
                            true_divide, where)
from ._float64 import float64_ufunc, real_float64, real_loop_inputs
from ._gamma import beta, betaln, gamma, gammasgn, multigammaln, rgamma
from ._normal import erfcx, log_ndtr, ndtr
from ._erfcinv import erfcinv, ndtri
from ._bessel import i0, i0e, i1, i1e
from ._bessel_jy import j0, j1, jn, jv, y0, y1, yn
from ._bessel_iv import iv, ive
from ._gammainc import gammainc, gammaincc
from ._gammaincinv import gammainccinv, gammaincinv
from ._betainc import betainc, betaincc
from ._zeta import zeta

__all__ = ["beta", "betainc", "betaincc", "betaln", "digamma", "entr", "erf", "erfc",
           "erfcinv", "erfcx", "erfinv", "expit", "gamma", "gammainc", "gammaincc",
           "gammainccinv", "gammaincinv", "gammaln", "gammasgn", "i0", "i0e", "i1",
           "i1e", "iv", "ive", "j0", "j1", "jn", "jv", "log_expit", "log_ndtr",
           "log_softmax", "logit", "logsumexp", "multigammaln", "ndtr", "ndtri",
           "polygamma", "psi", "rgamma", "softmax", "xlog1py", "xlogy", "y0", "y1",
           "yn", "zeta"]


def _unary_prim(sp_ufunc, prim_name, **params):
    def body(x):
        (x,) = real_loop_inputs(sp_ufunc, x)
        return lax.apply(prim_name, x, **params)
    body.__name__ = sp_ufunc.__name__
    return composite(sp_ufunc)(body)


expit = _unary_prim(_sp.expit, "logistic")
erf = _unary_prim(_sp.erf, "erf")
erfc = _unary_prim(_sp.erfc, "erfc")
erfinv = _unary_prim(_sp.erfinv, "erf_inv")
gammaln = _unary_prim(_sp.gammaln, "lgamma")
digamma = psi = _unary_prim(_sp.psi, "polygamma", order=0)


def polygamma(n, x):
    """scipy.special.polygamma with a concrete integer order n."""
    if not _core.is_traced(x):
        return _sp.polygamma(n, x)
    if _core.is_traced(n) or np.ndim(n) != 0 or int(n) != n or n < 0:
        raise _core.unsupported("scipy.special.polygamma with a traced or non-scalar "
                                "order", "Pass n as a non-negative Python int.")
    # SciPy's polygamma is float64 for every input (a where() over psi and zeta).
    return lax.polygamma(real_float64(x, "polygamma"), n)


@composite(_sp.logit)
def logit(p):
    (p,) = loop_inputs(_sp.logit, p)
    return log(true_divide(p, subtract(1.0, p)))


@float64_ufunc(_sp.log_expit)
def log_expit(x):
    # As SciPy: x - log1p(exp(x)) below 0, -log1p(exp(-x)) above; exp never overflows.
    negative_x = less(x, 0.0)
    down = where(negative_x, x, 0.0)
    up = where(negative_x, 0.0, x)
    return where(negative_x, down - log1p(exp(down)), negative(log1p(exp(negative(up)))))


def _x_log_something(sp_ufunc, log_fn, neutral):
    def body(x, y):
        x, y = loop_inputs(sp_ufunc, x, y)
        zero_x = equal(x, 0)
        # x == 0 gives 0 (NaN if y is NaN) without evaluating log at a bad y, so the
        # untaken branch cannot put NaN or inf into values or gradients.
        safe_y = where(zero_x, neutral, y)
        at_zero = where(isnan(y), np.nan, 0.0)
        value = where(zero_x, convert(at_zero, x.dtype), multiply(x, log_fn(safe_y)))
        # At x == 0 the derivative in x is still log(y) (JAX's xlogy): add a term that is
        # exactly 0 but differentiates to it, where log(y) is finite (else 0).
        finite = logical_and(zero_x, greater(y, neutral - 1.0))   # y > 0 (log), y > -1
        term = multiply(subtract(x, lax.stop_gradient(x)),
                        log_fn(where(finite, y, neutral)))
        return add(value, where(finite, term, 0.0))
    body.__name__ = sp_ufunc.__name__
    return composite(sp_ufunc)(body)


xlogy = _x_log_something(_sp.xlogy, log, 1.0)
xlog1py = _x_log_something(_sp.xlog1py, log1p, 0.0)


@composite(_sp.entr)
def entr(x):
    (x,) = loop_inputs(_sp.entr, x)
    positive = greater(x, 0)
    safe_x = where(positive, x, 1.0)
    edge = where(equal(x, 0), 0.0, where(isnan(x), np.nan, -np.inf))
    return where(positive, negative(multiply(x, log(safe_x))), convert(edge, x.dtype))


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """log(sum(b * exp(a))) over axis, computed stably: the maximum is subtracted first
    (and held constant for differentiation, which leaves the gradient unchanged)."""
    if not _core.any_traced((a, b)):
        return _sp.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=return_sign)
    a = asarray_traced(a)
    if not is_float(a.dtype):
        a = convert(a, np.float64, weak=False)
    if b is not None:
        # Terms with zero weight do not count, even where a is inf.
        a = where(equal(b, 0), -np.inf, a)
    axes = normalize_axes(axis, len(shape(a)))
    peak = _max(a, axis=axes, keepdims=True) if shape(a) and all(
        shape(a)[i] for i in axes) else None
    if peak is not None:
        peak = lax.stop_gradient(where(isfinite(peak), peak, 0.0))
        shifted = exp(subtract(a, peak))
    else:
        shifted = exp(a)
    if b is not None:
        shifted = multiply(b, shifted)
    total = _sum(shifted, axis=axes, keepdims=True)
    if return_sign:
        sgn = sign(total)
        total = absolute(total)
    out = log(total)
    if peak is not None:
        out = out + peak
    if not keepdims:
        kept = [n for i, n in enumerate(shape(out)) if i not in axes]
        out = _core.reshape(out, kept)
        if return_sign:
            sgn = _core.reshape(sgn, kept)
    return (out, sgn) if return_sign else out



def _shifted(x, axis):
    """x minus its maximum over axis (held constant for differentiation), in float."""
    x = asarray_traced(x)
    if not is_float(x.dtype):
        x = convert(x, np.float64, weak=False)
    axes = normalize_axes(axis, len(shape(x)))
    if not all(shape(x)[i] for i in axes):
        return x, axes
    peak = _max(x, axis=axes, keepdims=True)
    return subtract(x, lax.stop_gradient(where(isfinite(peak), peak, 0.0))), axes


def softmax(x, axis=None):
    """exp(x) / sum(exp(x)) over axis (SciPy's default: all axes), maximum subtracted."""
    if not _core.is_traced(x):
        return _sp.softmax(x, axis=axis)
    shifted, axes = _shifted(x, axis)
    unnormalized = exp(shifted)
    return true_divide(unnormalized, _sum(unnormalized, axis=axes, keepdims=True))


def log_softmax(x, axis=None):
    """x - logsumexp(x) over axis, never log(softmax(x)) (which underflows to -inf)."""
    if not _core.is_traced(x):
        return _sp.log_softmax(x, axis=axis)
    shifted, axes = _shifted(x, axis)
    return subtract(shifted, log(_sum(exp(shifted), axis=axes, keepdims=True)))
