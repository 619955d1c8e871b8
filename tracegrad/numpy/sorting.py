"""Sorting and order statistics: sort, argsort (one `sort` primitive gives both),
median, quantile and percentile (linear interpolation between sorted neighbours), and
searchsorted (a counting composite, not differentiable)."""
from __future__ import annotations

import numpy as np

from .. import lax
from . import _core
from ._core import asarray_traced, convert, implements, normalize_axes, \
    normalize_axis, shape, unsupported
from .indexing import getitem
from .reductions import sum as _sum
from .shape import moveaxis
from .ufuncs import (add, bitwise_and, bitwise_or, isnan, less, less_equal, logical_not,
                     multiply, subtract, where)


def _sorted_and_order(a, axis):
    a = asarray_traced(a)
    if axis is None:
        a, axis = _core.reshape(a, (-1,)), 0
    axis = normalize_axis(axis, len(shape(a)))
    values, order = lax.sort(convert(a, a.dtype, weak=False), axis)
    return values, order


def _check_kind(fn, kind, order):
    if order is not None:
        raise unsupported(f"numpy.{fn}(..., order=...) (structured arrays)")


@implements(np.sort)
def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    _check_kind("sort", kind, order)
    return _sorted_and_order(a, axis)[0]


@implements(np.argsort)
def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    # Always a stable sort: ties keep their order (NumPy's default kind may not).
    _check_kind("argsort", kind, order)
    return _sorted_and_order(a, axis)[1]


# -- quantiles ---------------------------------------------------------------------------

def _quantile(a, q, axis, keepdims, method, fn_name):
    if method != "linear":
        raise unsupported(f"numpy.{fn_name}(..., method={method!r})",
                          "Only method='linear' traces.")
    if _core.is_traced(q):
        raise unsupported(f"numpy.{fn_name} with traced quantiles",
                          "Pass q as a constant.")
    a = asarray_traced(a)
    q_arr = np.asarray(q, dtype=np.float64)
    if np.any((q_arr < 0) | (q_arr > 1)):
        raise ValueError("Quantiles must be in the range [0, 1]")
    float_dtype = a.dtype if np.dtype(a.dtype).kind == "f" else np.dtype(np.float64)
    out_dtype = _core.result_type(np.empty(0, float_dtype), q)
    nd = len(shape(a))
    axes = normalize_axes(axis, nd)
    # Move the reduced axes last and merge them into one, then sort it.
    kept = [i for i in range(nd) if i not in axes]
    moved = moveaxis(a, axes, tuple(range(nd - len(axes), nd))) if axes else a
    n = int(np.prod([shape(a)[i] for i in axes], dtype=np.int64))
    merged = _core.reshape(moved, [shape(a)[i] for i in kept] + [n])
    values = convert(_sorted_and_order(merged, -1)[0], out_dtype)
    # NumPy's linear method: virtual index q*(n-1) between floor and ceil neighbours.
    position = q_arr * (n - 1)
    below = np.floor(position).astype(np.intp)
    above = np.minimum(below + 1, n - 1)
    t = np.asarray(position - below, dtype=out_dtype)
    lo = moveaxis(getitem(values, (Ellipsis, below.reshape(-1))), -1, 0)
    hi = moveaxis(getitem(values, (Ellipsis, above.reshape(-1))), -1, 0)
    t = t.reshape((-1,) + (1,) * len(kept))
    diff = subtract(hi, lo)
    # Like NumPy's _lerp: interpolate from the nearer end for accuracy.
    result = where(t >= 0.5, subtract(hi, multiply(diff, 1 - t)), add(lo, multiply(diff, t)))
    if np.dtype(out_dtype).kind == "f":
        # Sorting puts NaNs last; any NaN in a slice makes its quantile NaN.
        has_nan = isnan(getitem(values, (Ellipsis, slice(n - 1, n))))
        result = where(moveaxis(has_nan, -1, 0), np.nan, result)
    result = _core.reshape(result, q_arr.shape + tuple(shape(a)[i] for i in kept))
    if keepdims:
        result = _core.reshape(result, q_arr.shape + tuple(
            1 if i in axes else shape(a)[i] for i in range(nd)))
    return convert(result, out_dtype, weak=False)


@implements(np.quantile)
def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False, *, weights=None, interpolation=None):
    _core.reject_kwargs("quantile", out=out, weights=weights)
    return _quantile(a, q, axis, keepdims, interpolation or method, "quantile")


@implements(np.percentile)
def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None, interpolation=None):
    _core.reject_kwargs("percentile", out=out, weights=weights)
    if _core.is_traced(q):
        raise unsupported("numpy.percentile with traced percentiles",
                          "Pass q as a constant.")
    q_frac = np.true_divide(q, 100) if not isinstance(q, (int, float)) else q / 100
    return _quantile(a, q_frac, axis, keepdims, interpolation or method, "percentile")


@implements(np.median)
def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    _core.reject_kwargs("median", out=out)
    return _quantile(a, 0.5, axis, keepdims, "linear", "median")


# -- searchsorted -----------------------------------------------------------------------

@implements(np.searchsorted)
def searchsorted(a, v, side="left", sorter=None):
    a = asarray_traced(a)
    if len(shape(a)) != 1:
        raise ValueError("object too deep for desired array")
    if sorter is not None:
        a = getitem(a, np.asarray(sorter)) if not _core.is_traced(sorter) else \
            getitem(a, sorter)
    dtype = _core.result_type(a, v)
    a = convert(a, dtype, weak=False)
    v_expanded = _core.reshape(convert(asarray_traced(v), dtype, weak=False),
                               shape(v) + (1,))
    # Count the elements that sort before v, in NumPy's order where NaN is largest.
    if side == "left":
        before = less(a, v_expanded)
        if np.dtype(dtype).kind == "f":
            before = bitwise_or(before, bitwise_and(isnan(v_expanded),
                                                    logical_not(isnan(a))))
    elif side == "right":
        before = less_equal(a, v_expanded)
        if np.dtype(dtype).kind == "f":
            before = bitwise_or(before, isnan(v_expanded))
    else:
        raise ValueError(f"side must be 'left' or 'right' (got {side!r})")
    return _sum(before, axis=-1, dtype=np.intp)
