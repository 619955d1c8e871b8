"""Shape manipulation: reshape, transpose, axes moves, broadcasting, joining."""
from __future__ import annotations

import numpy as np

from ..errors import ShapeError
from .. import lax
from . import _core
from ._core import (asarray_traced, broadcast_to_shape, convert, implements, normalize_axes,
                    normalize_axis, result_type, shape, unsupported)


@implements(np.reshape)
def reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    if order != "C":
        raise unsupported(f"numpy.reshape(..., order={order!r})", "Only order='C' traces.")
    return _core.reshape(a, newshape if shape is None else shape)


@implements(np.ravel)
def ravel(a, order="C"):
    if order != "C":
        raise unsupported(f"numpy.ravel(..., order={order!r})", "Only order='C' traces.")
    return _core.reshape(a, (-1,))


@implements(np.transpose)
def transpose(a, axes=None):
    a = asarray_traced(a)
    nd = len(shape(a))
    perm = tuple(range(nd))[::-1] if axes is None else \
        tuple(normalize_axis(int(i), nd) for i in axes)
    if len(perm) != nd or sorted(perm) != list(range(nd)):
        raise ShapeError(f"axes {axes} don't match array of dimension {nd}")
    if perm == tuple(range(nd)):
        return a
    return lax.transpose(a, perm)


@implements(np.swapaxes)
def swapaxes(a, axis1, axis2):
    nd = len(shape(a))
    perm = list(range(nd))
    i, j = normalize_axis(axis1, nd), normalize_axis(axis2, nd)
    perm[i], perm[j] = perm[j], perm[i]
    return transpose(a, perm)


@implements(np.moveaxis)
def moveaxis(a, source, destination):
    nd = len(shape(a))
    src = normalize_axes(source if isinstance(source, (tuple, list)) else (source,), nd)
    dst = normalize_axes(destination if isinstance(destination, (tuple, list))
                         else (destination,), nd)
    if len(src) != len(dst):
        raise ShapeError("`source` and `destination` arguments must have the same number "
                         "of elements")
    order = [i for i in range(nd) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(a, order)


@implements(np.expand_dims)
def expand_dims(a, axis):
    a_shape = shape(a)
    out_nd = len(a_shape) + (len(axis) if isinstance(axis, (tuple, list)) else 1)
    axes = normalize_axes(axis, out_nd)
    it = iter(a_shape)
    return _core.reshape(a, [1 if i in axes else next(it) for i in range(out_nd)])


@implements(np.squeeze)
def squeeze(a, axis=None):
    a_shape = shape(a)
    if axis is None:
        axes = tuple(i for i, n in enumerate(a_shape) if n == 1)
    else:
        axes = normalize_axes(axis, len(a_shape))
        if any(a_shape[i] != 1 for i in axes):
            raise ShapeError("cannot select an axis to squeeze out which has size not "
                             "equal to one")
    return _core.reshape(a, [n for i, n in enumerate(a_shape) if i not in axes])


@implements(np.broadcast_to)
def broadcast_to(array, shape, subok=False):
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return broadcast_to_shape(asarray_traced(array), shape)


@implements(np.broadcast_arrays)
def broadcast_arrays(*args, subok=False):
    target = np.broadcast_shapes(*[_core.shape(a) for a in args])
    return tuple(broadcast_to_shape(asarray_traced(a), target) for a in args)


def _common(arrays):
    arrays = [asarray_traced(a) for a in arrays]
    dtype = result_type(*arrays)
    return [convert(a, dtype, weak=False) for a in arrays]


@implements(np.concatenate)
def concatenate(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    if out is not None:
        raise unsupported("numpy.concatenate(..., out=...)")
    arrays = _common(arrays)
    if dtype is not None:
        arrays = [convert(a, dtype) for a in arrays]
    if axis is None:
        arrays = [_core.reshape(a, (-1,)) for a in arrays]
        axis = 0
    nd = len(shape(arrays[0]))
    if nd == 0:
        raise ShapeError("zero-dimensional arrays cannot be concatenated")
    ax = normalize_axis(axis, nd)
    if len(arrays) == 1:
        return arrays[0]
    return lax.concatenate(arrays, ax)


@implements(np.stack)
def stack(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    if out is not None:
        raise unsupported("numpy.stack(..., out=...)")
    arrays = [asarray_traced(a) for a in arrays]
    shapes = {shape(a) for a in arrays}
    if len(shapes) != 1:
        raise ShapeError("all input arrays must have the same shape")
    ax = normalize_axis(axis, len(shape(arrays[0])) + 1)
    return concatenate([expand_dims(a, ax) for a in arrays], axis=ax, dtype=dtype)


@implements(np.shape)
def shape_of(a):
    return a.shape


@implements(np.ndim)
def ndim(a):
    return a.ndim


@implements(np.size)
def size(a, axis=None):
    return a.size if axis is None else a.shape[axis]
