"""Shape functions composed from reshape, slicing, concatenation and gathers: atleast_*d,
the *stack family, split, tile, repeat, flip, roll, rot90, pad, kron."""
from __future__ import annotations

import numpy as np

from .. import lax
from . import _core
from ._core import asarray_traced, broadcast_to_shape, convert, implements, normalize_axes, \
    normalize_axis, shape, unsupported
from .indexing import getitem, take
from .shape import concatenate, swapaxes
from .ufuncs import multiply


def _atleast(np_fn, fix):
    def traced(*arys):
        out = [fix(asarray_traced(a)) for a in arys]
        return out[0] if len(out) == 1 else tuple(out)
    traced.__name__ = np_fn.__name__
    return implements(np_fn)(traced)


def _fix_1d(a):
    return _core.reshape(a, (1,)) if len(shape(a)) == 0 else a


def _fix_2d(a):
    nd = len(shape(a))
    return _core.reshape(a, (1, 1) if nd == 0 else (1,) + shape(a)) if nd < 2 else a


def _fix_3d(a):
    s = shape(a)
    return _core.reshape(a, {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}[len(s)]) \
        if len(s) < 3 else a


atleast_1d = _atleast(np.atleast_1d, _fix_1d)
atleast_2d = _atleast(np.atleast_2d, _fix_2d)
atleast_3d = _atleast(np.atleast_3d, _fix_3d)


@implements(np.vstack)
def vstack(tup, *, dtype=None, casting="same_kind"):
    return concatenate([_fix_2d(asarray_traced(a)) for a in tup], axis=0, dtype=dtype)


@implements(np.hstack)
def hstack(tup, *, dtype=None, casting="same_kind"):
    arrays = [_fix_1d(asarray_traced(a)) for a in tup]
    return concatenate(arrays, axis=0 if len(shape(arrays[0])) == 1 else 1, dtype=dtype)


@implements(np.dstack)
def dstack(tup):
    return concatenate([_fix_3d(asarray_traced(a)) for a in tup], axis=2)


@implements(np.column_stack)
def column_stack(tup):
    arrays = [asarray_traced(a) for a in tup]
    return concatenate([_core.reshape(a, (-1, 1)) if len(shape(a)) < 2 else a
                        for a in arrays], axis=1)


# -- split -------------------------------------------------------------------------------

def _split_points(n, indices_or_sections, exact):
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        if exact and n % sections:
            raise ValueError("array split does not result in an equal division")
        each, extra = divmod(n, sections)
        sizes = [each + 1] * extra + [each] * (sections - extra)
        return np.concatenate([[0], np.cumsum(sizes)]).tolist()
    return [0] + [int(i) for i in indices_or_sections] + [n]


def _split(a, indices_or_sections, axis, exact):
    if _core.is_traced(indices_or_sections):
        raise unsupported("numpy.split with traced indices_or_sections (the pieces' shapes "
                          "would depend on values)", "Pass the split points as constants "
                          "(a Python list or a NumPy array), or mark them static.")
    a = asarray_traced(a)
    axis = normalize_axis(axis, len(shape(a)))
    points = _split_points(shape(a)[axis], indices_or_sections, exact)
    lead = (slice(None),) * axis
    return [getitem(a, lead + (slice(start, stop),))
            for start, stop in zip(points[:-1], points[1:])]


@implements(np.split)
def split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, exact=True)


@implements(np.array_split)
def array_split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, exact=False)


# -- repetition ---------------------------------------------------------------------------

@implements(np.tile)
def tile(A, reps):
    A = asarray_traced(A)
    reps = (int(reps),) if isinstance(reps, (int, np.integer)) else tuple(int(r) for r in reps)
    nd = max(len(reps), len(shape(A)))
    a_shape = (1,) * (nd - len(shape(A))) + shape(A)
    reps = (1,) * (nd - len(reps)) + reps
    # (d0, d1, ...) -> (1, d0, 1, d1, ...) -> broadcast (r0, d0, r1, d1, ...) -> merge.
    interleaved = _core.reshape(A, [v for d in a_shape for v in (1, d)])
    wide = broadcast_to_shape(interleaved, [v for r, d in zip(reps, a_shape) for v in (r, d)])
    return _core.reshape(wide, [r * d for r, d in zip(reps, a_shape)])


@implements(np.repeat)
def repeat(a, repeats, axis=None):
    if _core.is_traced(repeats):
        raise unsupported("numpy.repeat with traced repeats (the output size depends on "
                          "them)", "Pass repeats as a constant.")
    a = asarray_traced(a)
    if axis is None:
        a, axis = _core.reshape(a, (-1,)), 0
    axis = normalize_axis(axis, len(shape(a)))
    # Which source element each output position copies: NumPy computes it for us.
    source = np.repeat(np.arange(shape(a)[axis]), repeats)
    return take(a, source, axis=axis)


# -- flips and rotations -----------------------------------------------------------------

@implements(np.flip)
def flip(m, axis=None):
    m = asarray_traced(m)
    axes = normalize_axes(axis, len(shape(m)))
    return getitem(m, tuple(slice(None, None, -1) if i in axes else slice(None)
                            for i in range(len(shape(m)))))


@implements(np.fliplr)
def fliplr(m):
    if len(shape(m)) < 2:
        raise ValueError("Input must be >= 2-d.")
    return flip(m, 1)


@implements(np.flipud)
def flipud(m):
    if len(shape(m)) < 1:
        raise ValueError("Input must be >= 1-d.")
    return flip(m, 0)


@implements(np.roll)
def roll(a, shift, axis=None):
    a = asarray_traced(a)
    if axis is None:
        return _core.reshape(roll(_core.reshape(a, (-1,)), shift, 0), shape(a))
    shifts = np.broadcast_to(shift, np.broadcast_shapes(np.shape(shift), np.shape(axis)))
    axes = np.broadcast_to(axis, shifts.shape)
    total = {}
    for s, ax in zip(np.ravel(shifts), np.ravel(axes)):
        ax = normalize_axis(int(ax), len(shape(a)))
        total[ax] = total.get(ax, 0) + int(s)
    for ax, s in total.items():
        n = shape(a)[ax]
        if n == 0 or s % n == 0:
            continue
        s %= n
        lead = (slice(None),) * ax
        a = concatenate([getitem(a, lead + (slice(n - s, n),)),
                         getitem(a, lead + (slice(0, n - s),))], axis=ax)
    return a


@implements(np.rot90)
def rot90(m, k=1, axes=(0, 1)):
    m = asarray_traced(m)
    nd = len(shape(m))
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    a0, a1 = normalize_axis(axes[0], nd), normalize_axis(axes[1], nd)
    if a0 == a1:
        raise ValueError("Axes must be different.")
    k %= 4
    if k == 0:
        return m
    if k == 2:
        return flip(flip(m, a0), a1)
    # NumPy's construction: a flip along one axis, then swapping the two axes.
    return swapaxes(flip(m, a1), a0, a1) if k == 1 else flip(swapaxes(m, a0, a1), a1)


# -- pad ---------------------------------------------------------------------------------

def _pad_widths(pad_width, nd):
    return [tuple(int(w) for w in row) for row in
            np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (nd, 2))]


@implements(np.pad)
def pad(array, pad_width, mode="constant", **kwargs):
    array = asarray_traced(array)
    nd = len(shape(array))
    widths = _pad_widths(pad_width, nd)
    if mode == "constant":
        values = kwargs.pop("constant_values", 0)
        if kwargs:
            raise TypeError(f"unsupported keyword arguments for mode 'constant': {kwargs}")
        return _pad_constant(array, widths, values)
    if mode not in ("edge", "reflect", "symmetric", "wrap"):
        raise unsupported(f"numpy.pad(..., mode={mode!r})",
                          "Supported modes: constant, edge, reflect, symmetric, wrap.")
    if kwargs.get("reflect_type", "even") != "even" or set(kwargs) - {"reflect_type"}:
        raise unsupported(f"numpy.pad(..., {', '.join(kwargs)}) in mode {mode!r}")
    # Every non-constant mode copies existing elements: NumPy tells us which ones.
    for ax, (lo, hi) in enumerate(widths):
        if lo or hi:
            n = shape(array)[ax]
            if n == 0:
                raise ValueError(f"can't extend empty axis {ax} using modes other than "
                                 f"'constant' or 'empty'")
            source = np.pad(np.arange(n), (lo, hi), mode=mode)
            array = take(array, source, axis=ax)
    return array


def _pad_constant(array, widths, values):
    if _core.is_traced(values) or np.ndim(values) == 0:
        value = convert(values if _core.is_traced(values) else np.asarray(values)
                        .astype(array.dtype), array.dtype, weak=False)
        if not any(lo or hi for lo, hi in widths):
            return array
        return lax.pad(array, value, widths)
    # Different values per axis and side: one concatenation per axis.
    per_axis = np.broadcast_to(np.asarray(values), (len(widths), 2))
    for ax, (lo, hi) in enumerate(widths):
        parts = []
        for width, value in ((lo, per_axis[ax][0]), (hi, per_axis[ax][1])):
            block = list(shape(array))
            block[ax] = width
            parts.append(np.full(block, value, dtype=array.dtype))
        array = concatenate([parts[0], array, parts[1]], axis=ax)
    return array


# -- kron --------------------------------------------------------------------------------

@implements(np.kron)
def kron(a, b):
    a, b = asarray_traced(a), asarray_traced(b)
    nd = max(len(shape(a)), len(shape(b)))
    sa = (1,) * (nd - len(shape(a))) + shape(a)
    sb = (1,) * (nd - len(shape(b))) + shape(b)
    # a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...), then merge pairs.
    wide_a = _core.reshape(a, [v for d in sa for v in (d, 1)])
    wide_b = _core.reshape(b, [v for d in sb for v in (1, d)])
    return _core.reshape(multiply(wide_a, wide_b), [x * y for x, y in zip(sa, sb)])
