"""Diagonals and triangles: diagonal, diag, diagflat, trace, triu, tril. Diagonals are
gathers with constant index ramps; building a matrix from a diagonal and masking a
triangle are selects against a constant mask, so gradients flow through them."""
from __future__ import annotations

import numpy as np

from . import _core
from ._core import asarray_traced, broadcast_to_shape, implements, normalize_axis, shape
from .creation import zeros_like
from .indexing import getitem
from .reductions import sum as _sum
from .shape import concatenate, moveaxis
from .ufuncs import where


@implements(np.diagonal)
def diagonal(a, offset=0, axis1=0, axis2=1):
    a = asarray_traced(a)
    nd = len(shape(a))
    if nd < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    ax1, ax2 = normalize_axis(axis1, nd), normalize_axis(axis2, nd)
    if ax1 == ax2:
        raise ValueError("axis1 and axis2 cannot be the same")
    a = moveaxis(a, (ax1, ax2), (-2, -1))
    rows, cols = shape(a)[-2:]
    # Element i of the diagonal is a[i, i + offset] (or a[i - offset, i] below it).
    start_r, start_c = (0, offset) if offset >= 0 else (-offset, 0)
    length = max(0, min(rows - start_r, cols - start_c))
    ramp = np.arange(length)
    return getitem(a, (Ellipsis, ramp + start_r, ramp + start_c))


@implements(np.trace)
def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    _core.reject_kwargs("trace", out=out)
    return _sum(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)


def _from_diagonal(v, k):
    """The square matrix with v on diagonal k and zeros elsewhere."""
    n = shape(v)[0]
    size = n + abs(k)
    fill = np.zeros(abs(k), dtype=v.dtype)
    padded = concatenate([v, fill])
    # Row i holds v[i] when k >= 0 (at column i + k); column j holds v[j] when k < 0.
    spread = _core.reshape(padded, (size, 1) if k >= 0 else (1, size))
    mask = np.eye(size, k=k, dtype=bool)
    return where(mask, broadcast_to_shape(spread, (size, size)),
                 zeros_like(broadcast_to_shape(spread, (size, size))))


@implements(np.diag)
def diag(v, k=0):
    v = asarray_traced(v)
    nd = len(shape(v))
    if nd == 1:
        return _from_diagonal(v, k)
    if nd == 2:
        return diagonal(v, k)
    raise ValueError("Input must be 1- or 2-d.")


@implements(np.diagflat)
def diagflat(v, k=0):
    return _from_diagonal(_core.reshape(asarray_traced(v), (-1,)), k)


def _triangle(np_fn, keep_lower):
    def traced(m, k=0):
        m = asarray_traced(m)
        if len(shape(m)) < 2:
            # NumPy treats a 1-D input as a row repeated to a square.
            n = shape(m)[0] if shape(m) else 1
            m = broadcast_to_shape(_core.reshape(m, (1, n)), (n, n))
        rows, cols = shape(m)[-2:]
        lower = np.tri(rows, cols, k=k if keep_lower else k - 1, dtype=bool)
        mask = lower if keep_lower else ~lower
        return where(mask, m, zeros_like(m))
    traced.__name__ = np_fn.__name__
    return implements(np_fn)(traced)


tril = _triangle(np.tril, keep_lower=True)
triu = _triangle(np.triu, keep_lower=False)

