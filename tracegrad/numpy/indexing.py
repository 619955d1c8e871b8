"""NumPy indexing on traced arrays: integers, slices (any step), None, Ellipsis, integer
arrays and concrete boolean masks, mixed in one tuple, with NumPy's placement rules for
advanced indices. Basic indexing is one `slice` plus a `reshape`; advanced indexing is a
`gather` on the indexed axes moved to the front."""
from __future__ import annotations

import numpy as np

from ..errors import ShapeError
from .. import lax
from ..tracer import Tracer
from . import _core
from ._core import convert, implements, unsupported
from .shape import stack, transpose
from .ufuncs import add, less, where


def _expand(key, nd):
    """Split a key into entries: ('slice', dim, slice) | ('int', dim, i) |
    ('array', dim, idx) | ('new',)."""
    if not isinstance(key, tuple):
        key = (key,)
    key = list(key)
    # A concrete boolean mask becomes integer arrays (its shape is known now).
    expanded = []
    for k in key:
        if isinstance(k, Tracer) and k.dtype == np.bool_:
            raise ShapeError(
                f"boolean mask indexing of a traced array has a data-dependent shape "
                f"(at {_core.describe_location(_core.user_location())}). Use "
                f"tracegrad.numpy.where(mask, x, 0) (or a masked sum: (x * mask).sum()) "
                f"to keep the shape fixed.")
        if isinstance(k, (np.ndarray, list)) and np.asarray(k).dtype == np.bool_:
            expanded.extend(np.nonzero(np.asarray(k)))
        else:
            expanded.append(k)
    key = expanded
    consumed = sum(1 for k in key if k is not None and k is not Ellipsis)
    if sum(1 for k in key if k is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if consumed > nd:
        raise IndexError(f"too many indices for array: array is {nd}-dimensional, but "
                         f"{consumed} were indexed")
    entries, dim = [], 0
    for k in key:
        if k is Ellipsis:
            for _ in range(nd - consumed):
                entries.append(("slice", dim, slice(None)))
                dim += 1
        elif k is None:
            entries.append(("new",))
        elif isinstance(k, slice):
            entries.append(("slice", dim, k))
            dim += 1
        elif isinstance(k, (int, np.integer)) and not isinstance(k, bool):
            entries.append(("int", dim, int(k)))
            dim += 1
        elif isinstance(k, Tracer) or isinstance(k, (np.ndarray, list, tuple)):
            idx = k if isinstance(k, Tracer) else np.asarray(k)
            if idx.dtype.kind not in "iu":
                raise IndexError("arrays used as indices must be of integer (or boolean) "
                                 "type")
            entries.append(("array", dim, idx))
            dim += 1
        else:
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), "
                             f"numpy.newaxis (`None`) and integer or boolean arrays are "
                             f"valid indices; got {k!r}")
    while dim < nd:
        entries.append(("slice", dim, slice(None)))
        dim += 1
    return entries


def _wrap_negative(idx, n):
    """Negative indices count from the end, as in NumPy."""
    if isinstance(idx, Tracer):
        return where(less(idx, 0), add(idx, n), idx)
    idx = np.asarray(idx)
    if idx.size and (idx.max() >= n or idx.min() < -n):
        bad = idx.max() if idx.max() >= n else idx.min()
        raise IndexError(f"index {bad} is out of bounds for axis with size {n}")
    return np.where(idx < 0, idx + n, idx)


def getitem(x, key):
    x_shape = x.shape
    entries = _expand(key, len(x_shape))
    has_array = any(e[0] == "array" for e in entries)
    # 1. Slices (and integers, when there are no index arrays) in one `slice`.
    dims = []
    for e in entries:
        if e[0] == "slice":
            start, stop, step = e[2].indices(x_shape[e[1]])
            count = len(range(start, stop, step))
            dims.append((start if count else 0, step, count))
        elif e[0] == "int":
            n = x_shape[e[1]]
            if not -n <= e[2] < n:
                raise IndexError(f"index {e[2]} is out of bounds for axis {e[1]} with "
                                 f"size {n}")
            dims.append((e[2] % n, 1, 1) if not has_array else (0, 1, n))
        elif e[0] == "array":
            dims.append((0, 1, x_shape[e[1]]))
    if any(d != (0, 1, n) for d, n in zip(dims, x_shape)):
        x = lax.slice(x, dims)
    sliced_shape = x.shape
    if not has_array:
        out_shape = []
        for e in entries:
            if e[0] == "slice":
                out_shape.append(sliced_shape[e[1]])
            elif e[0] == "new":
                out_shape.append(1)
        return _core.reshape(x, out_shape)
    # 2. Advanced indices: integers count as 0-d index arrays.
    adv = [i for i, e in enumerate(entries) if e[0] in ("array", "int")]
    adv_dims = [entries[i][1] for i in adv]
    other_dims = [d for d in range(len(sliced_shape)) if d not in adv_dims]
    indices = [_wrap_negative(entries[i][2], x_shape[entries[i][1]]) for i in adv]
    batch = np.broadcast_shapes(*[_core.shape(i) for i in indices])
    stacked = [convert(_core.broadcast_to_shape(_core.reshape(i, _core.shape(i)), batch),
                       np.intp, weak=False) for i in indices]
    index = stack(stacked, axis=-1)
    moved = transpose(x, adv_dims + other_dims)
    gathered = lax.gather(moved, index)
    # 3. Place new axes and the broadcast index dims as NumPy does.
    rest = []
    for e in entries:
        if e[0] == "slice":
            rest.append(sliced_shape[e[1]])
        elif e[0] == "new":
            rest.append(1)
    gathered = _core.reshape(gathered, tuple(batch) + tuple(rest))
    adjacent = adv == list(range(adv[0], adv[0] + len(adv)))
    if adjacent and adv[0] > 0:
        position = sum(1 for e in entries[:adv[0]] if e[0] in ("slice", "new"))
        nb = len(batch)
        perm = list(range(nb, nb + position)) + list(range(nb)) + \
            list(range(nb + position, nb + len(rest)))
        gathered = transpose(gathered, perm)
    return gathered


@implements(np.take)
def take(a, indices, axis=None, out=None, mode=None):
    if out is not None or mode not in (None, "raise"):
        raise unsupported(f"numpy.take(..., out=/mode={mode!r})")
    a = _core.asarray_traced(a)
    if axis is None:
        a, axis = _core.reshape(a, (-1,)), 0
    axis = _core.normalize_axis(axis, len(_core.shape(a)))
    return getitem(a, (slice(None),) * axis + (indices,))


@implements(np.take_along_axis)
def take_along_axis(arr, indices, axis):
    arr = _core.asarray_traced(arr)
    if axis is None:
        arr, axis = _core.reshape(arr, (-1,)), 0
    nd = len(_core.shape(arr))
    axis = _core.normalize_axis(axis, nd)
    if len(_core.shape(indices)) != nd:
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    key = []
    for d in range(nd):
        if d == axis:
            key.append(indices)
        else:
            view = [1] * nd
            view[d] = _core.shape(arr)[d]
            key.append(np.arange(_core.shape(arr)[d]).reshape(view))
    return getitem(arr, tuple(key))
