"""Reductions composed from the core ones: ptp, average (weights), count_nonzero and the
NaN-ignoring family (nansum, nanmean, nanmax, nanmin)."""
from __future__ import annotations

import numpy as np

from ..errors import ShapeError
from ..ir import is_float
from . import _core
from ._core import asarray_traced, convert, implements, normalize_axes, reject_kwargs, shape
from .reductions import all as _all, max as _max, mean as _mean, min as _min, \
    sum as _sum
from .ufuncs import isnan, logical_not, multiply, not_equal, subtract, true_divide
from .ufuncs import where as _where


# NumPy 2's amax/amin are separate functions from max/min: register them for dispatch.
amax = implements(np.amax)(_max)
amin = implements(np.amin)(_min)


@implements(np.ptp)
def ptp(a, axis=None, out=None, keepdims=False):
    reject_kwargs("ptp", out=out)
    return subtract(_max(a, axis=axis, keepdims=keepdims),
                    _min(a, axis=axis, keepdims=keepdims))


@implements(np.count_nonzero)
def count_nonzero(a, axis=None, *, keepdims=False):
    return _sum(not_equal(a, 0), axis=axis, keepdims=keepdims, dtype=np.intp)


@implements(np.average)
def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    a = asarray_traced(a)
    if weights is None:
        avg = _mean(a, axis=axis, keepdims=keepdims)
        if returned:
            axes = normalize_axes(axis, len(shape(a)))
            count = float(np.prod([shape(a)[i] for i in axes]))
            return avg, np.full(shape(avg), count, avg.dtype)
        return avg
    w = asarray_traced(weights)
    kind = np.dtype(a.dtype).kind
    dtype = np.result_type(a.dtype, w.dtype, "f8") if kind in "biu" else \
        np.result_type(a.dtype, w.dtype)
    if shape(w) != shape(a):
        # 1-D weights along one axis, as NumPy allows.
        if axis is None or len(shape(w)) != 1 or isinstance(axis, (tuple, list)):
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        ax = _core.normalize_axis(axis, len(shape(a)))
        if shape(w)[0] != shape(a)[ax]:
            raise ShapeError("Length of weights not compatible with specified axis.")
        view = [1] * len(shape(a))
        view[ax] = shape(w)[0]
        w = _core.broadcast_to_shape(_core.reshape(w, view), shape(a))
    a, w = convert(a, dtype, weak=False), convert(w, dtype, weak=False)
    total_w = _sum(w, axis=axis, keepdims=keepdims)
    avg = true_divide(_sum(multiply(a, w), axis=axis, keepdims=keepdims), total_w)
    return (avg, total_w) if returned else avg


def _is_float(a):
    return is_float(a.dtype)


@implements(np.nansum)
def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    reject_kwargs("nansum", out=out, initial=initial, where=where)
    a = asarray_traced(a)
    if _is_float(a):
        a = _where_nan(a, 0.0)
    return _sum(a, axis=axis, dtype=dtype, keepdims=keepdims)


def _where_nan(a, value):
    return _where(isnan(a), value, a)


@implements(np.nanmean)
def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    reject_kwargs("nanmean", out=out, where=where)
    a = asarray_traced(a)
    if not _is_float(a):
        return _mean(a, axis=axis, dtype=dtype, keepdims=keepdims)
    present = logical_not(isnan(a))
    total = _sum(_where_nan(a, 0.0), axis=axis, dtype=dtype, keepdims=keepdims)
    count = _sum(present, axis=axis, dtype=total.dtype, keepdims=keepdims)
    return true_divide(total, count)          # 0/0 = NaN for all-NaN slices, as NumPy


def _nan_extremum(np_fn, reduce, fill):
    def traced(a, axis=None, out=None, keepdims=False, initial=None, where=True):
        reject_kwargs(np_fn.__name__, out=out, initial=initial, where=where)
        a = asarray_traced(a)
        if not _is_float(a):
            return reduce(a, axis=axis, keepdims=keepdims)
        nan = isnan(a)
        result = reduce(_where(nan, fill, a), axis=axis, keepdims=keepdims)
        # An all-NaN slice gives NaN (NumPy also warns).
        return _where(_all(nan, axis=axis, keepdims=keepdims), np.nan, result)
    traced.__name__ = np_fn.__name__
    return implements(np_fn)(traced)


nanmax = _nan_extremum(np.nanmax, _max, -np.inf)
nanmin = _nan_extremum(np.nanmin, _min, np.inf)
