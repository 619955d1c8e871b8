"""Slices at positions that are values, with JAX's names and signatures:
dynamic_slice, dynamic_update_slice and their one-axis forms.

`x[a:a + n]` needs a concrete `a` (the slice's bounds decide its shape); these take a
traced start and a static size. Negative starts count from the end
(allow_negative_indices=True, as JAX), then each start is clamped so the block stays in
bounds: `dynamic_slice_in_dim(x, 5, 3)` of a length-6 `x` is `x[3:6]`, not NumPy's
shorter `x[5:8]`."""
from __future__ import annotations

import numpy as np

from ..errors import DTypeError, ShapeError
from ..tracer import Tracer, aval_of
from .ops import apply, convert, reshape, select, slice as _slice


def _split(start_indices):
    """The starts as a list: from a sequence of scalars, or a 1-D array of them."""
    if isinstance(start_indices, (list, tuple)):
        return list(start_indices)
    aval = aval_of(start_indices)
    if aval.ndim != 1:
        raise ShapeError(f"start indices must be a sequence of scalars (one per axis) or "
                         f"a 1-D array, got {aval}")
    if not isinstance(start_indices, Tracer):
        return list(np.asarray(start_indices))
    return [reshape(_slice(start_indices, ((i, 1, 1),)), ()) for i in range(aval.shape[0])]


def _start(s, n, wrap):
    """One start as the primitives take it: an int64 scalar (a Python int when
    concrete), wrapped once if negative and `wrap`."""
    aval = aval_of(s)
    if aval.shape != () or aval.dtype.kind not in "iu":
        raise DTypeError(f"a start index must be an integer scalar, got {aval}")
    if not isinstance(s, Tracer):
        s = int(np.asarray(s))
        return s + n if wrap and s < 0 else s
    if aval.dtype != np.int64:
        s = convert(s, np.int64)
    if not wrap:
        return s
    return select(apply("lt", s, np.int64(0)), apply("add", s, np.int64(n)), s)


def _starts(operand, start_indices, allow_negative_indices, name):
    shape = aval_of(operand).shape
    starts = _split(start_indices)
    if len(starts) != len(shape):
        raise ShapeError(f"{name}: {len(starts)} start indices for an operand of shape "
                         f"{shape}; it needs one per axis")
    wrap = allow_negative_indices
    wraps = [bool(wrap)] * len(shape) if isinstance(wrap, (bool, np.bool_)) else list(wrap)
    if len(wraps) != len(shape):
        raise ShapeError(f"{name}: allow_negative_indices needs one bool per axis of "
                         f"shape {shape}, got {len(wraps)}")
    return [_start(s, n, w) for s, n, w in zip(starts, shape, wraps)]


def dynamic_slice(operand, start_indices, slice_sizes, *, allow_negative_indices=True):
    """operand[s0:s0 + k0, s1:s1 + k1, ...] for start indices s (values) and slice sizes
    k (Python ints), starts clamped so the slice stays in bounds."""
    starts = _starts(operand, start_indices, allow_negative_indices, "dynamic_slice")
    sizes = tuple(int(k) for k in slice_sizes)
    return apply("dynamic_slice", operand, *starts, slice_sizes=sizes)


def dynamic_update_slice(operand, update, start_indices, *, allow_negative_indices=True):
    """A copy of operand with `update` written over the block at the start indices
    (clamped so the block stays in bounds)."""
    if not isinstance(update, (Tracer, np.ndarray)):
        update = np.asarray(update, aval_of(operand).dtype)   # a Python scalar is weak
    starts = _starts(operand, start_indices, allow_negative_indices,
                     "dynamic_update_slice")
    return apply("dynamic_update_slice", operand, update, *starts)


def _axis(axis, ndim):
    if not -ndim <= axis < ndim:
        raise ShapeError(f"axis {axis} is out of bounds for an array of dimension {ndim}")
    return axis % ndim


def dynamic_slice_in_dim(operand, start_index, slice_size, axis=0, *,
                         allow_negative_indices=True):
    """operand[..., start_index:start_index + slice_size] along `axis`."""
    shape = aval_of(operand).shape
    axis = _axis(axis, len(shape))
    starts = [0] * len(shape)
    sizes = list(shape)
    starts[axis], sizes[axis] = start_index, int(slice_size)
    return dynamic_slice(operand, starts, sizes,
                         allow_negative_indices=allow_negative_indices)


def dynamic_index_in_dim(operand, index, axis=0, keepdims=True, *,
                         allow_negative_indices=True):
    """operand[..., index] along `axis` (the axis kept, of size 1, if keepdims)."""
    shape = aval_of(operand).shape
    axis = _axis(axis, len(shape))
    out = dynamic_slice_in_dim(operand, index, 1, axis,
                               allow_negative_indices=allow_negative_indices)
    return out if keepdims else reshape(out, shape[:axis] + shape[axis + 1:])


def dynamic_update_slice_in_dim(operand, update, start_index, axis, *,
                                allow_negative_indices=True):
    """operand with `update` written from start_index along `axis`."""
    ndim = len(aval_of(operand).shape)
    starts = [0] * ndim
    starts[_axis(axis, ndim)] = start_index
    return dynamic_update_slice(operand, update, starts,
                                allow_negative_indices=allow_negative_indices)


def dynamic_update_index_in_dim(operand, update, index, axis, *,
                                allow_negative_indices=True):
    """operand with `update` written at `index` along `axis` (update may lack the axis)."""
    shape = aval_of(operand).shape
    axis = _axis(axis, len(shape))
    u_shape = aval_of(update).shape
    if len(u_shape) == len(shape) - 1:
        update = reshape(update, u_shape[:axis] + (1,) + u_shape[axis:])
    return dynamic_update_slice_in_dim(operand, update, index, axis,
                                       allow_negative_indices=allow_negative_indices)


__all__ = ["dynamic_slice", "dynamic_update_slice", "dynamic_slice_in_dim",
           "dynamic_index_in_dim", "dynamic_update_slice_in_dim",
           "dynamic_update_index_in_dim"]
