"""Differences and sums along an axis: append, diff, ediff1d, trapezoid, unwrap, and the
hsplit/vsplit/dsplit shorthands. Each follows NumPy's own source step by step (its
promotions included), built from slicing, concatenation and ufuncs."""
from __future__ import annotations

import numpy as np

from . import _core
from ._core import asarray_traced, convert, implements, normalize_axis, shape
from .indexing import getitem
from .reductions import cumsum, sum as _sum
from .shape import concatenate, ravel, reshape
from .shape_extra import split
from .ufuncs import absolute, greater, logical_and, mod, not_equal, subtract, where, equal

_NoValue = np._NoValue


def _along(nd, axis, key):
    """An index selecting `key` on one axis and everything on the others."""
    return (slice(None),) * axis + (key,) + (slice(None),) * (nd - axis - 1)


@implements(np.append)
def append(arr, values, axis=None):
    arr = asarray_traced(arr)
    if axis is None:
        if len(shape(arr)) != 1:
            arr = ravel(arr)
        values = ravel(asarray_traced(values))
        axis = len(shape(arr)) - 1
    return concatenate((arr, values), axis=axis)


@implements(np.diff)
def diff(a, n=1, axis=-1, prepend=_NoValue, append=_NoValue):
    if n == 0:
        return a
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    a = asarray_traced(a)
    nd = len(shape(a))
    if nd == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    axis = normalize_axis(axis, nd)
    parts = []
    for edge in (prepend, a, append):
        if edge is _NoValue:
            continue
        edge = asarray_traced(edge)
        if len(shape(edge)) == 0:     # a scalar edge is one slice along the axis
            edge = _core.broadcast_to_shape(edge, shape(a)[:axis] + (1,) + shape(a)[axis + 1:])
        parts.append(edge)
    if len(parts) > 1:
        a = concatenate(parts, axis)
    op = not_equal if a.dtype == np.bool_ else subtract
    for _ in range(n):
        a = op(getitem(a, _along(nd, axis, slice(1, None))),
               getitem(a, _along(nd, axis, slice(None, -1))))
    return a


def _edge_1d(edge, dtype, name):
    edge = asarray_traced(edge)
    if not np.can_cast(edge.dtype, dtype, casting="same_kind"):
        raise TypeError(f"dtype of `{name}` must be compatible with input `ary` under the "
                        f"`same_kind` rule.")
    return convert(ravel(edge), dtype, weak=False)


@implements(np.ediff1d)
def ediff1d(ary, to_end=None, to_begin=None):
    ary = ravel(asarray_traced(ary))
    parts = [subtract(getitem(ary, slice(1, None)), getitem(ary, slice(None, -1)))]
    if to_begin is not None:
        parts.insert(0, _edge_1d(to_begin, ary.dtype, "to_begin"))
    if to_end is not None:
        parts.append(_edge_1d(to_end, ary.dtype, "to_end"))
    # NumPy fills a result of ary's dtype: the difference is cast back (bool, ints).
    return convert(concatenate(parts) if len(parts) > 1 else parts[0], ary.dtype, weak=False)


@implements(np.trapezoid)
def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = asarray_traced(y)
    nd = len(shape(y))
    axis = normalize_axis(axis, nd)
    if x is None:
        d = dx
    else:
        x = asarray_traced(x)
        if len(shape(x)) == 1:
            d = diff(x)
            d = reshape(d, tuple(shape(d)[0] if i == axis else 1 for i in range(nd)))
        else:
            d = diff(x, axis=axis)
    upper = getitem(y, _along(nd, axis, slice(1, None)))
    lower = getitem(y, _along(nd, axis, slice(None, -1)))
    return _sum(d * (upper + lower) / 2.0, axis)


@implements(np.unwrap)
def unwrap(p, discont=None, axis=-1, *, period=2 * np.pi):
    p = asarray_traced(p)
    nd = len(shape(p))
    dd = diff(p, axis=axis)
    axis = normalize_axis(axis, nd)
    if discont is None:
        discont = period / 2
    dtype = _core.result_type(dd, period)
    if np.issubdtype(dtype, np.integer):
        interval_high, rem = divmod(period, 2)
        boundary_ambiguous = rem == 0
    else:
        interval_high, boundary_ambiguous = period / 2, True
    interval_low = -interval_high
    ddmod = mod(dd - interval_low, period) + interval_low
    if boundary_ambiguous:
        # A jump of exactly half a period keeps its sign (NumPy's copyto with where=).
        ddmod = where(logical_and(equal(ddmod, interval_low), greater(dd, 0)),
                      interval_high, ddmod)
    ph_correct = where(absolute(dd) < discont, 0, ddmod - dd)
    head = getitem(p, _along(nd, axis, slice(None, 1)))
    tail = getitem(p, _along(nd, axis, slice(1, None))) + cumsum(ph_correct, axis)
    return concatenate([convert(head, dtype, weak=False), convert(tail, dtype, weak=False)],
                       axis)


def _split_family(np_fn, min_nd, axis_for, message):
    def traced(ary, indices_or_sections):
        nd = len(_core.shape(ary))
        if nd < min_nd:
            raise ValueError(message)
        return split(ary, indices_or_sections, axis_for(nd))
    traced.__name__ = np_fn.__name__
    return implements(np_fn)(traced)


hsplit = _split_family(np.hsplit, 1, lambda nd: 1 if nd > 1 else 0,
                       "hsplit only works on arrays of 1 or more dimensions")
vsplit = _split_family(np.vsplit, 2, lambda nd: 0,
                       "vsplit only works on arrays of 2 or more dimensions")
dsplit = _split_family(np.dsplit, 3, lambda nd: 2,
                       "dsplit only works on arrays of 3 or more dimensions")
