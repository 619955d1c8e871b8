"""VJP rules of the nonlinear reductions and scans (reduce_sum and cumsum are linear:
linear.py)."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from .. import lax
from .rules import defvjp
from .shapes import shape_of as _shape, expand_reduced as _expand


def _extremum(ct, y, x, *, axes):
    # JAX's convention: the cotangent is shared evenly among tied extrema.
    x_shape = _shape(x)
    winners = tnp.equal(x, _expand(y, x_shape, axes))
    share = tnp.where(winners, 1.0, 0.0).astype(ct.dtype)
    count = tnp.sum(share, axis=axes, keepdims=True)
    return (_expand(ct, x_shape, axes) * share / count,)


defvjp("reduce_max", "reduce_min")(_extremum)


def _cumulative(prim, x, axis, reverse):
    return lax.cumulative(prim, x, axis, reverse)


def _exclusive_cumprod(x, axis, reverse):
    """Product of the elements strictly before (or after, if reverse) each position."""
    n = _shape(x)[axis]
    ones = tnp.ones_like(x[(slice(None),) * axis + (slice(0, 1),)])
    if reverse:
        rest = x[(slice(None),) * axis + (slice(1, n),)]
        return tnp.concatenate([_cumulative("cumprod", rest, axis, True), ones], axis=axis)
    rest = x[(slice(None),) * axis + (slice(0, n - 1),)]
    return tnp.concatenate([ones, _cumulative("cumprod", rest, axis, False)], axis=axis)


@defvjp("reduce_prod")
def _reduce_prod(ct, y, x, *, axes):
    # d prod / d x_i = product of all other elements, from exclusive prefix and suffix
    # products: exact with zeros in x (no division).
    x_shape = _shape(x)
    if not axes or any(x_shape[a] == 0 for a in axes):
        return (_expand(ct, x_shape, axes) * tnp.ones_like(x),)
    kept = [i for i in range(len(x_shape)) if i not in axes]
    moved = tnp.transpose(x, tuple(kept) + tuple(axes))
    flat = tnp.reshape(moved, tuple(x_shape[i] for i in kept) +
                       (int(np.prod([x_shape[a] for a in axes])),))
    last = len(kept)
    others = _exclusive_cumprod(flat, last, False) * _exclusive_cumprod(flat, last, True)
    others = tnp.reshape(others, tuple(x_shape[i] for i in kept) +
                         tuple(x_shape[i] for i in axes))
    others = tnp.transpose(others, tuple(int(i) for i in np.argsort(kept + list(axes))))
    return (_expand(ct, x_shape, axes) * others,)


def cumprod_partials(x, axis, reverse, dtype):
    """(to_scan, from_scan, partials): d y_j / d x_i = prod_{k <= j, k != i} x_k as an
    (n, n) table per position in partials[..., i, j], zero below the diagonal (j < i);
    exact with zeros in x (no division), O(n^2) along the axis. to_scan moves `axis` last
    (reversed if `reverse`), from_scan moves it back; the table is in scan order."""
    n = _shape(x)[axis]

    def to_scan(a):
        a = tnp.moveaxis(a, axis, -1)
        return a[..., ::-1] if reverse else a

    def from_scan(a):
        return tnp.moveaxis(a[..., ::-1] if reverse else a, -1, axis)
    eye = np.eye(n, dtype=bool)
    # table[..., i, k] = x_k, with 1 at k == i; cumprod over k gives prod_{k<=j, k!=i}.
    table = tnp.where(eye, 1.0, tnp.expand_dims(to_scan(x), -2)).astype(dtype)
    partial = _cumulative("cumprod", table, len(_shape(table)) - 1, False)
    upper = np.triu(np.ones((n, n), dtype=bool))          # j >= i
    return to_scan, from_scan, tnp.where(upper, partial, 0.0)


@defvjp("cumprod")
def _cumprod(ct, y, x, *, axis, reverse):
    if _shape(x)[axis] == 0:
        return (ct,)
    to_scan, from_scan, partials = cumprod_partials(x, axis, reverse, ct.dtype)
    return (from_scan(tnp.sum(partials * tnp.expand_dims(to_scan(ct), -2), axis=-1)),)
