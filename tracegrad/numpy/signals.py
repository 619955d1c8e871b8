"""1-D signal helpers: convolve, correlate, polyval, interp, piecewise. Sliding windows are
one gather and one product (no new primitive); choices are selects, so gradients flow to
every traced argument."""
from __future__ import annotations

import numpy as np

from . import _core
from ._core import asarray_traced, convert, implements, shape
from .complex import conj
from .creation import array, zeros_like
from .indexing import getitem, take
from .products import matmul
from .reductions import any as _any
from .shape import concatenate
from .ufuncs import add, equal, greater, less, logical_not, multiply, remainder, subtract, \
    true_divide, where
from .sorting import argsort, searchsorted

_MODES = {"v": 0, "s": 1, "f": 2}


def _mode(mode):
    mode = _MODES[mode.lower()[0]] if isinstance(mode, str) else mode
    if mode not in (0, 1, 2):
        raise ValueError("mode must be 0, 1, or 2")
    return mode


def _correlate(a, v, mode, conjugate):
    """sum_n a[n + k] * v[n] over NumPy's range of lags k for `mode`."""
    a, v = asarray_traced(a), asarray_traced(v)
    for nd in (len(shape(a)), len(shape(v))):
        if nd != 1:
            raise ValueError(f"object {'too deep' if nd > 1 else 'of too small depth'} "
                             f"for desired array")
    n, m = shape(a)[0], shape(v)[0]
    if n == 0 or m == 0:
        raise ValueError(f"{'a' if n == 0 else 'v'} cannot be empty")
    dtype = _core.result_type(a, v)
    a, v = convert(a, dtype, weak=False), convert(v, dtype, weak=False)
    if conjugate and dtype.kind == "c":
        v = conj(v)
    short, mode = min(n, m), _mode(mode)
    # NumPy computes with the longer argument first and reverses when it swapped them,
    # which moves the 'same' window by one lag for an even shorter length.
    start, length = [(short - 1, abs(n - m) + 1),
                     ((short - 1 - short // 2) if n >= m else short // 2, max(n, m)),
                     (0, n + m - 1)][mode]
    zeros = np.zeros(m - 1, dtype)
    padded = concatenate([zeros, a, zeros]) if m > 1 else a
    windows = take(padded, np.arange(start, start + length)[:, None] + np.arange(m))
    return matmul(windows, v)


@implements(np.correlate)
def correlate(a, v, mode="valid"):
    return _correlate(a, v, mode, conjugate=True)


@implements(np.convolve)
def convolve(a, v, mode="full"):
    a, v = array(a, ndmin=1), array(v, ndmin=1)
    if shape(v)[0] > shape(a)[0]:
        a, v = v, a
    if len(shape(v)) == 1 and shape(v)[0] == 0:
        raise ValueError("v cannot be empty")
    return _correlate(a, getitem(v, slice(None, None, -1)), mode, conjugate=False)


@implements(np.polyval)
def polyval(p, x):
    p, x = asarray_traced(p), asarray_traced(x)
    y = zeros_like(x)
    for i in range(shape(p)[0] if shape(p) else 0):   # Horner's rule, as NumPy
        y = add(multiply(y, x), getitem(p, i))
    return y


@implements(np.interp)
def interp(x, xp, fp, left=None, right=None, period=None):
    fp = asarray_traced(fp)
    out = np.complex128 if fp.dtype.kind == "c" else np.float64   # NumPy's fixed dtypes
    x, xp = convert(asarray_traced(x), np.float64), convert(asarray_traced(xp), np.float64)
    fp = convert(fp, out)
    if len(shape(xp)) != 1 or len(shape(fp)) != 1:
        raise ValueError("Data points must be 1D sequences")
    if shape(xp)[0] != shape(fp)[0]:
        raise ValueError("fp and xp are not of the same length.")
    if shape(xp)[0] == 0:
        raise ValueError("array of sample points is empty")
    if period is not None:
        x, xp, fp = _periodic(x, xp, fp, period)
        left = right = None
    n = shape(xp)[0]
    first, last = getitem(fp, 0), getitem(fp, -1)
    if n == 1:
        inside = add(zeros_like(x, dtype=out), first)
    else:
        # j with xp[j] <= x < xp[j + 1], clipped to the outer segments.
        j = searchsorted(xp, x, side="right") - 1
        j = where(less(j, 0), 0, where(greater(j, n - 2), n - 2, j))
        x0, x1, f0, f1 = take(xp, j), take(xp, j + 1), take(fp, j), take(fp, j + 1)
        slope = true_divide(subtract(f1, f0), subtract(x1, x0))
        inside = add(multiply(slope, subtract(x, x0)), f0)
        # At the last sample NumPy returns fp[-1] itself; anchoring there keeps the slope
        # (zeroed where the last two samples coincide and the slope is infinite).
        flat = equal(x1, x0)
        at_end = add(multiply(where(flat, 0, slope), subtract(x, getitem(xp, -1))), last)
        inside = where(equal(x, getitem(xp, -1)), at_end, inside)
    left = first if left is None else convert(asarray_traced(left), out, weak=False)
    right = last if right is None else convert(asarray_traced(right), out, weak=False)
    return where(less(x, getitem(xp, 0)), left,
                 where(greater(x, getitem(xp, -1)), right, inside))


def _periodic(x, xp, fp, period):
    if _core.is_traced(period):
        raise _core.unsupported("numpy.interp with a traced period", "Pass it as a constant.")
    if period == 0:
        raise ValueError("period must be a non-zero value")
    period = abs(period)
    x, xp = remainder(x, period), remainder(xp, period)
    order = argsort(xp)
    xp, fp = take(xp, order), take(fp, order)
    xp = concatenate([getitem(xp, slice(-1, None)) - period, xp,
                      getitem(xp, slice(0, 1)) + period])
    fp = concatenate([getitem(fp, slice(-1, None)), fp, getitem(fp, slice(0, 1))])
    return x, xp, fp


def _wrap_one_condition(condlist, x_nd):
    """NumPy's rule for a bare condition: wrapped unless its first entry is an array."""
    if np.isscalar(condlist):
        return True
    if isinstance(condlist, _core.Tracer) and len(shape(condlist)) == 0:
        return True                   # NumPy sees a bool scalar here
    if isinstance(condlist, (_core.Tracer, np.ndarray)):
        first_is_array = len(shape(condlist)) >= 2
    else:
        first_is_array = isinstance(condlist[0], (list, np.ndarray, _core.Tracer))
    return not first_is_array and x_nd != 0


@implements(np.piecewise)
def piecewise(x, condlist, funclist, *args, **kw):
    x = asarray_traced(x)
    if _wrap_one_condition(condlist, len(shape(x))):
        condlist = [condlist]
    conds = convert(asarray_traced(condlist), np.bool_, weak=False)
    n, n2 = shape(conds)[0], len(funclist)
    if n == n2 - 1:
        otherwise = logical_not(_any(conds, axis=0, keepdims=True))
        conds, n = concatenate([conds, otherwise], axis=0), n + 1
    elif n != n2:
        raise ValueError(f"with {n} condition(s), either {n} or {n + 1} functions are "
                         f"expected")
    # Every function sees all of x (a boolean mask would give a data-dependent shape), so
    # functions must be elementwise; later conditions win, as NumPy's assignments do.
    y = zeros_like(x)
    for k, func in enumerate(funclist):
        value = func(x, *args, **kw) if callable(func) else func
        y = where(getitem(conds, k), convert(asarray_traced(value), x.dtype, weak=False), y)
    return y
