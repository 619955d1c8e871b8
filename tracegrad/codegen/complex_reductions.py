"""Complex reductions that are not sums (prod, max, min, argmax, argmin, cumprod) on
split values (complex_split.py): a pairwise tree over the reduced axis, log2(n) levels of
elementwise complex arithmetic on the real parts, so they compile like any other graph.

Adjacent elements are combined (slices with step 2), so the left operand always holds
lower indices: a tie keeps the first occurrence, and a NaN wins from wherever it is, as
NumPy's lexicographic complex order does. Products are multiplied in a different order
than NumPy's loop: equal up to rounding."""
from __future__ import annotations

import numpy as np

from . import complex_math as cm


def _to_last_axis(b, x, axes):
    """x with `axes` moved to the end and merged into one: (kept..., n)."""
    shape = x.aval.shape
    kept = [a for a in range(len(shape)) if a not in axes]
    perm = kept + list(axes)
    if perm != list(range(len(shape))):
        x = b.op("transpose", x, perm=tuple(perm))
    n = int(np.prod([shape[a] for a in axes], dtype=np.int64))
    return b.op("reshape", x, shape=tuple(shape[a] for a in kept) + (n,))


def _pad_last(b, x, value, count=1, front=False):
    """x with `count` elements of `value` added at the end (or front) of its last axis."""
    widths = ((0, 0),) * (len(x.aval.shape) - 1) + (((count, 0) if front else (0, count)),)
    return b.op("pad", x, b.lit(value, x.aval.dtype), widths=widths)


def _halves(b, x, n):
    """(even elements, odd elements) of the last axis (length n, even)."""
    lead = tuple((0, 1, m) for m in x.aval.shape[:-1])
    return tuple(b.op("slice", x, dims=lead + ((k, 2, n // 2),)) for k in (0, 1))


def _tree(b, parts, pads, combine):
    """Reduce the last axis of every array in `parts` (a tuple, one per component) with
    combine(left parts, right parts) -> parts; `pads` fill an odd length."""
    n = parts[0].aval.shape[-1]
    while n > 1:
        if n % 2:
            parts = tuple(_pad_last(b, p, v) for p, v in zip(parts, pads))
            n += 1
        pairs = [_halves(b, p, n) for p in parts]
        parts = combine(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))
        n //= 2
    return tuple(b.op("reshape", p, shape=p.aval.shape[:-1]) for p in parts)


def _keep_left(b, left, right, greater):
    """The lexicographic comparison of NumPy's complex max/min: keep the left operand
    when it is NaN or not beaten (ties keep the left, the lower index)."""
    wins = cm.less(b, right, left, strict=False) if greater else \
        cm.less(b, left, right, strict=False)
    return b.or_(b.or_(b.unary("isnan", left[0]), b.unary("isnan", left[1])), wins)


def _reduce(b, node, p):
    """reduce_prod / reduce_max / reduce_min of a complex pair over the node's axes."""
    name, axes = node.prim.name, tuple(node.params["axes"])
    parts = tuple(_to_last_axis(b, x, axes) for x in p)
    if parts[0].aval.shape[-1] == 0:                  # an empty product is 1
        shape = parts[0].aval.shape[:-1]
        return [tuple(b.broadcast(b.lit(v, parts[0].aval.dtype), shape) for v in (1.0, 0.0))]
    if name == "reduce_prod":
        combine = lambda left, right: cm.mul(b, left, right)
        pads = (1.0, 0.0)
    else:
        greater = name == "reduce_max"
        pads = (-np.inf, -np.inf) if greater else (np.inf, np.inf)

        def combine(left, right):
            keep = _keep_left(b, left, right, greater)
            return tuple(b.select(keep, lo, hi) for lo, hi in zip(left, right))
    return [_tree(b, parts, pads, combine)]


def _argreduce(b, node, p):
    greater = node.prim.name == "argmax"
    axis, index_dtype = node.params["axis"], node.params["index_dtype"]
    parts = tuple(_to_last_axis(b, x, (axis,)) for x in p)
    ramp = b.op("iota", dtype=index_dtype, shape=parts[0].aval.shape,
                dimension=len(parts[0].aval.shape) - 1)
    pads = ((-np.inf, -np.inf) if greater else (np.inf, np.inf)) + (0,)

    def combine(left, right):
        keep = _keep_left(b, left[:2], right[:2], greater)
        return tuple(b.select(keep, lo, hi) for lo, hi in zip(left, right))
    return [_tree(b, parts + (ramp,), pads, combine)[2]]


def _cumprod(b, node, p):
    """Running products by doubling (Hillis-Steele): log2(n) passes of one complex
    multiplication each, by the array shifted 1, 2, 4, ... places (ones shifted in)."""
    axis, reverse = node.params["axis"], node.params["reverse"]
    shape = p[0].aval.shape
    n = shape[axis]
    ndim = len(shape)
    perm = [a for a in range(ndim) if a != axis] + [axis]
    inverse = tuple(int(i) for i in np.argsort(perm))
    parts = tuple(b.op("transpose", x, perm=tuple(perm)) if axis != ndim - 1 else x
                  for x in p)
    lead = tuple((0, 1, m) for m in parts[0].aval.shape[:-1])
    shift = 1
    while shift < n:
        moved = []
        for x, one in zip(parts, (1.0, 0.0)):
            padded = _pad_last(b, x, one, shift, front=not reverse)
            start = shift if reverse else 0
            moved.append(b.op("slice", padded, dims=lead + ((start, 1, n),)))
        parts = cm.mul(b, parts, tuple(moved))
        shift *= 2
    if axis != ndim - 1:
        parts = tuple(b.op("transpose", x, perm=inverse) for x in parts)
    return [parts]


RULES = {"reduce_prod": _reduce, "reduce_max": _reduce, "reduce_min": _reduce,
         "argmax": _argreduce, "argmin": _argreduce, "cumprod": _cumprod}
