"""Primitives that move data without arithmetic: broadcast, reshape, transpose, slice,
pad, concatenate, gather, scatter_add, iota."""
from __future__ import annotations

import math

import numpy as np

from ..errors import DTypeError, ShapeError
from .aval import Aval, dtype_string
from .kinds import IOTA, LOAD, SCATTER, VIEW
from .primitive import Primitive


def _broadcast_in_dim_rule(x, *, shape, dims):
    ok = len(dims) == x.ndim and all(
        0 <= d < len(shape) and (x.shape[i] == shape[d] or x.shape[i] == 1)
        for i, d in enumerate(dims)) and list(dims) == sorted(set(dims))
    if not ok:
        raise ShapeError(f"broadcast_in_dim: cannot broadcast shape {x.shape} to "
                         f"{tuple(shape)} along dims {tuple(dims)}")
    return [x.update(shape=shape)]


# Up to this many elements a broadcast is written out (a copy costs less than
# np.broadcast_to's Python); beyond, it is a read-only view.
_COPY_BROADCAST_BELOW = 4096


def _broadcast_in_dim_impl(x, *, shape, dims):
    x = np.asarray(x)
    expanded = x.reshape([x.shape[dims.index(d)] if d in dims else 1
                          for d in range(len(shape))])
    if math.prod(shape) < _COPY_BROADCAST_BELOW:
        out = np.empty(shape, x.dtype)
        out[...] = expanded
        return [out]
    return [np.broadcast_to(expanded, shape)]


Primitive("broadcast_in_dim", _broadcast_in_dim_rule, _broadcast_in_dim_impl, VIEW)


def _reshape_rule(x, *, shape):
    if int(np.prod(shape, dtype=np.int64)) != x.size:
        raise ShapeError(f"reshape: cannot reshape array of shape {x.shape} "
                         f"(size {x.size}) into shape {tuple(shape)}")
    return [x.update(shape=shape)]


Primitive("reshape", _reshape_rule, lambda x, *, shape: [np.reshape(x, shape)], VIEW)


def _transpose_rule(x, *, perm):
    if sorted(perm) != list(range(x.ndim)):
        raise ShapeError(f"transpose: axes {tuple(perm)} are not a permutation of the "
                         f"{x.ndim} axes of shape {x.shape}")
    return [x.update(shape=[x.shape[p] for p in perm])]


Primitive("transpose", _transpose_rule, lambda x, *, perm: [np.transpose(x, perm)],
          VIEW)


def _slice_rule(x, *, dims):
    """dims: one (start, step, count) per axis; element i is start + i*step."""
    if len(dims) != x.ndim:
        raise ShapeError(f"slice: {len(dims)} slices for shape {x.shape}")
    for (start, step, count), n in zip(dims, x.shape):
        last = start + (count - 1) * step
        if step == 0 or count < 0 or (count > 0 and not (0 <= start < n and 0 <= last < n)):
            raise ShapeError(f"slice: (start={start}, step={step}, count={count}) is out "
                             f"of bounds for an axis of length {n}")
    return [x.update(shape=[c for _, _, c in dims])]


def _slice_impl(x, *, dims):
    index = []
    for start, step, count in dims:
        stop = start + count * step
        index.append(slice(start, None if stop < 0 else stop, step) if count else slice(0, 0))
    return [np.asarray(x)[tuple(index)]]


Primitive("slice", _slice_rule, _slice_impl, VIEW)


def _pad_rule(x, value, *, widths):
    if value.shape != () or value.dtype != x.dtype:
        raise DTypeError("pad: the padding value must be a scalar of the operand's dtype")
    if len(widths) != x.ndim or any(lo < 0 or hi < 0 for lo, hi in widths):
        raise ShapeError(f"pad: widths {widths} do not fit shape {x.shape}")
    return [x.update(shape=[n + lo + hi for n, (lo, hi) in zip(x.shape, widths)],
                     weak=x.weak and value.weak)]


def _pad_impl(x, value, *, widths):
    return [np.pad(x, widths, mode="constant", constant_values=value)]


Primitive("pad", _pad_rule, _pad_impl, LOAD)


def _concatenate_rule(*xs, axis):
    first = xs[0]
    for x in xs:
        if x.dtype != first.dtype:
            raise DTypeError("concatenate: operands must share one dtype, got " +
                             ", ".join(dtype_string(a.dtype) for a in xs))
        if x.ndim != first.ndim or any(a != b for i, (a, b) in
                                       enumerate(zip(x.shape, first.shape)) if i != axis):
            raise ShapeError("concatenate: shapes " + ", ".join(str(a.shape) for a in xs) +
                             f" differ outside axis {axis}")
    shape = list(first.shape)
    shape[axis] = sum(x.shape[axis] for x in xs)
    return [Aval(shape, first.dtype, all(x.weak for x in xs))]


Primitive("concatenate", _concatenate_rule,
          lambda *xs, axis: [np.concatenate(xs, axis=axis)], LOAD)


def _index_tuple(idx):
    return tuple(np.asarray(idx)[..., i] for i in range(np.shape(idx)[-1]))


def _gather_rule(x, idx):
    """x[idx[..., 0], ..., idx[..., k-1], :, ...]: indexes the leading k axes of x."""
    if idx.dtype.kind not in "iu" or idx.ndim < 1 or idx.shape[-1] > x.ndim:
        raise ShapeError(f"gather: indices of type {idx} cannot index shape {x.shape}")
    k = idx.shape[-1]
    return [x.update(shape=idx.shape[:-1] + x.shape[k:])]


Primitive("gather", _gather_rule, lambda x, idx: [np.asarray(x)[_index_tuple(idx)]],
          LOAD)


def _scatter_add_rule(x, idx, updates):
    (expected,) = _gather_rule(x, idx)
    if updates.shape != expected.shape or updates.dtype != x.dtype:
        raise ShapeError(f"scatter_add: updates {updates} do not fit {expected}")
    return [x]


def _scatter_add_impl(x, idx, updates):
    out = np.array(x, copy=True)
    np.add.at(out, _index_tuple(idx), updates)
    return [out]


Primitive("scatter_add", _scatter_add_rule, _scatter_add_impl, SCATTER)


def _iota_rule(*, dtype, shape, dimension):
    return [Aval(shape, dtype)]


def _iota_impl(*, dtype, shape, dimension):
    ramp = np.arange(shape[dimension], dtype=dtype)
    view = [1] * len(shape)
    view[dimension] = shape[dimension]
    return [np.broadcast_to(ramp.reshape(view), shape).copy()]


Primitive("iota", _iota_rule, _iota_impl, IOTA)
