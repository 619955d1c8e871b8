"""Blocks of static size at positions that are values (XLA's DynamicSlice and
DynamicUpdateSlice): `dynamic_slice(x, *starts, slice_sizes)` reads one, and
`dynamic_update_slice(x, update, *starts)` writes `update` over one.

Starts are integer scalars, one per axis. Each is clamped to [0, n - size] so the block
always lies inside the array: the shape is static, so an out-of-range start cannot shorten
the block as a NumPy slice would. (Negative starts counting from the end is the lax
functions' business; here a negative start clamps to 0.)"""
from __future__ import annotations

import numpy as np

from ..errors import DTypeError, ShapeError
from .aval import Aval, dtype_string
from .kinds import LOAD
from .primitive import Primitive


def clamped_starts(starts, shape, sizes) -> list:
    """The starts in effect: each clamped so the block fits."""
    return [min(max(int(s), 0), n - size) for s, n, size in zip(starts, shape, sizes)]


def _check_starts(name, x, starts):
    if len(starts) != x.ndim:
        raise ShapeError(f"{name}: {len(starts)} start indices for an array of "
                         f"shape {x.shape}; it needs one per axis")
    for s in starts:
        if s.shape != () or s.dtype.kind not in "iu":
            raise DTypeError(f"{name}: start indices must be integer scalars, got "
                             f"{dtype_string(s.dtype)}{list(s.shape)}")


def _dynamic_slice_rule(x, *starts, slice_sizes):
    _check_starts("dynamic_slice", x, starts)
    if len(slice_sizes) != x.ndim or not all(0 <= k <= n for k, n in
                                              zip(slice_sizes, x.shape)):
        raise ShapeError(f"dynamic_slice: slice sizes {tuple(slice_sizes)} do not fit "
                         f"shape {x.shape}")
    return [x.update(shape=slice_sizes)]


def _avals(*arrays):
    return [Aval(np.shape(a), np.asarray(a).dtype) for a in arrays]


def _dynamic_slice_impl(x, *starts, slice_sizes):
    x = np.asarray(x)
    _dynamic_slice_rule(*_avals(x, *starts), slice_sizes=slice_sizes)   # concrete calls too
    begin = clamped_starts(starts, x.shape, slice_sizes)
    return [x[tuple(slice(b, b + k) for b, k in zip(begin, slice_sizes))]]


Primitive("dynamic_slice", _dynamic_slice_rule, _dynamic_slice_impl, LOAD)


def _dynamic_update_slice_rule(x, update, *starts):
    _check_starts("dynamic_update_slice", x, starts)
    if update.dtype != x.dtype:
        raise DTypeError(f"dynamic_update_slice: the update's dtype "
                         f"{dtype_string(update.dtype)} differs from the operand's "
                         f"{dtype_string(x.dtype)}")
    if update.ndim != x.ndim or not all(k <= n for k, n in zip(update.shape, x.shape)):
        raise ShapeError(f"dynamic_update_slice: an update of shape {update.shape} does "
                         f"not fit in shape {x.shape}")
    return [x.update(weak=x.weak and update.weak)]


def _dynamic_update_slice_impl(x, update, *starts):
    _dynamic_update_slice_rule(*_avals(x, update, *starts))
    out = np.array(x, copy=True)
    update = np.asarray(update)
    begin = clamped_starts(starts, out.shape, update.shape)
    out[tuple(slice(b, b + k) for b, k in zip(begin, update.shape))] = update
    return [out]


Primitive("dynamic_update_slice", _dynamic_update_slice_rule, _dynamic_update_slice_impl,
          LOAD)
