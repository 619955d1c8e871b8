"""Functional index updates in JAX's style: `x.at[idx].set(v)`, `.add(v)`, `.mul(v)`,
`.get()`. They return a new array and never modify x; on NumPy arrays use
`tracegrad.numpy.at(x)[idx].set(v)`. Any NumPy index works (slices, integers, integer
arrays, concrete masks); v is cast to x's dtype and broadcast to the indexed shape.

Updates at repeated indices follow NumPy: `add` and `mul` accumulate every occurrence
(like `np.add.at`), `set` keeps the last one (like `x[idx] = v`).

On traced values everything is a scatter_add of the updates into the flattened array
plus a select; the flat positions an index reaches are computed by NumPy when the index
is concrete, and by indexing a traced position ramp when it is traced."""
from __future__ import annotations

import numpy as np

from .. import lax
from ..tracer import Tracer
from . import _core
from ._core import convert, is_traced, shape
from .indexing import getitem
from .reductions import any as _any, prod as _prod
from .ufuncs import bitwise_and, equal, greater, logical_not, multiply, where


class IndexUpdateHelper:
    """`x.at`: indexing it gives the updater for those elements."""

    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array

    def __getitem__(self, index):
        return IndexUpdateRef(self.array, index)

    def __repr__(self):
        return f"_IndexUpdateHelper({self.array!r})"


class IndexUpdateRef:
    __slots__ = ("array", "index")

    def __init__(self, array, index):
        self.array = array
        self.index = index

    def get(self):
        if isinstance(self.array, Tracer) or is_traced(self.index):
            return getitem(_lift(self.array, self.index), self.index)
        return np.asarray(self.array)[self.index]

    def set(self, values):
        return self._update("set", values)

    def add(self, values):
        return self._update("add", values)

    def mul(self, values):
        return self._update("mul", values)

    multiply = mul

    def _update(self, how, values):
        if not any(is_traced(v) for v in (self.array, self.index, values)):
            return _numpy_update(np.asarray(self.array), self.index, values, how)
        return _traced_update(self.array, self.index, values, how)


def at(array):
    """`at(x)[idx].set(v)`: the functional update of `x.at[idx]`, for any array."""
    return IndexUpdateHelper(array)


def _numpy_update(array, index, values, how):
    out = np.array(array, copy=True)
    if how == "set":
        out[index] = values
    elif how == "add":
        np.add.at(out, index, np.asarray(values).astype(out.dtype))
    else:
        np.multiply.at(out, index, np.asarray(values).astype(out.dtype))
    return out


def _lift(array, index):
    """A NumPy array indexed by a traced index must itself be traced to be indexed."""
    if isinstance(array, Tracer):
        return array
    like = next(i for i in (index if isinstance(index, tuple) else (index,))
                if isinstance(i, Tracer))
    array = np.asarray(array)
    return lax.convert(array, array.dtype, like=like)


def _positions(x_shape, index, like):
    """Flat positions of the indexed elements, shaped like x[index]."""
    size = int(np.prod(x_shape, dtype=np.int64))
    if not is_traced(index):
        return np.arange(size, dtype=np.intp).reshape(x_shape)[index]
    ramp = lax.iota(np.intp, (size,), 0, like=like)
    return getitem(_core.reshape(ramp, x_shape), index)


def _traced_update(array, index, values, how):
    like = next(v for v in (array, values) + (index if isinstance(index, tuple) else
                                              (index,)) if isinstance(v, Tracer))
    x = array if isinstance(array, Tracer) else np.asarray(array)
    x_shape, dtype = shape(x), x.dtype
    positions = _positions(x_shape, index, like)
    m = int(np.prod(shape(positions), dtype=np.int64))
    flat_pos = _core.reshape(positions, (m,))
    v = _core.broadcast_to_shape(convert(_core.asarray_traced(values), dtype, weak=False),
                                 shape(positions))
    flat_v = _core.reshape(v, (m,))
    flat_x = _core.reshape(x, (-1,))
    size = shape(flat_x)[0]

    def scatter(target, pos, upd):
        return lax.scatter_add(target, _core.reshape(pos, (-1, 1)), upd, like=like)

    if how == "add":
        out = scatter(flat_x, flat_pos, flat_v)
        return _core.reshape(out, x_shape)
    if isinstance(flat_pos, np.ndarray):
        out = _update_concrete_positions(flat_x, flat_pos, flat_v, how, size, dtype,
                                         scatter)
    else:
        out = _update_traced_positions(flat_x, flat_pos, flat_v, how, size, dtype, m,
                                       scatter)
    return _core.reshape(out, x_shape)


def _occurrence_rank(pos):
    """For each entry, how many earlier entries hit the same position."""
    rank = np.zeros(pos.shape, dtype=np.intp)
    seen = {}
    for i, p in enumerate(pos.tolist()):
        rank[i] = seen.get(p, 0)
        seen[p] = rank[i] + 1
    return rank


def _update_concrete_positions(flat_x, pos, flat_v, how, size, dtype, scatter):
    rank = _occurrence_rank(pos)
    if how == "set":
        # The last write to each position wins, as in x[idx] = v.
        last = rank == np.bincount(pos, minlength=size)[pos] - 1
        keep = np.nonzero(last)[0]
        hit = np.zeros(size, dtype=bool)
        hit[pos[keep]] = True
        written = scatter(np.zeros(size, dtype), pos[keep], getitem_flat(flat_v, keep))
        return where(hit, written, flat_x)
    # mul: one round per repeat, each round touching distinct positions.
    out = flat_x
    for r in range(int(rank.max()) + 1 if rank.size else 0):
        sel = np.nonzero(rank == r)[0]
        hit = np.zeros(size, dtype=bool)
        hit[pos[sel]] = True
        factor = scatter(np.zeros(size, dtype), pos[sel], getitem_flat(flat_v, sel))
        out = where(hit, multiply(out, factor), out)
    return out


def getitem_flat(v, sel):
    return getitem(v, sel) if isinstance(v, Tracer) else np.asarray(v)[sel]


def _update_traced_positions(flat_x, pos, flat_v, how, size, dtype, m, scatter):
    # Repeats cannot be resolved while tracing, so compare all pairs (m x m): entry i is
    # the last write to its position when no later entry j > i hits the same position.
    same = equal(_core.reshape(pos, (m, 1)), _core.reshape(pos, (1, m)))
    later = np.triu(np.ones((m, m), dtype=bool), 1)
    is_last = logical_not(_any(bitwise_and(same, later), axis=1))
    value = flat_v
    if how == "mul":
        # Each entry carries the product of all updates to its position.
        value = _prod(where(same, _core.reshape(flat_v, (1, m)), np.ones((), dtype)),
                      axis=1)
    written = scatter(np.zeros(size, dtype), pos, where(is_last, value,
                                                         np.zeros((), dtype)))
    hit = greater(scatter(np.zeros(size, np.intp), pos, np.ones(m, np.intp)), 0)
    if how == "mul":
        return where(hit, multiply(flat_x, written), flat_x)
    return where(hit, written, flat_x)
