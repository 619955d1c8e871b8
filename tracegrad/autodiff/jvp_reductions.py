"""JVP rules of the nonlinear reductions and scans (reduce_sum and cumsum are linear:
linear.py)."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from .jvp_rules import apply_primitive, defjvp
from .rules import VJP_RULES
from .shapes import shape_of as _shape, expand_reduced as _expand


def _extremum(tangents, y, x, *, axes):
    # JAX's convention: the mean of the tangents of the tied extrema.
    (t,) = tangents
    winners = tnp.equal(x, _expand(y, _shape(x), axes))
    share = tnp.where(winners, 1.0, 0.0).astype(t.dtype)
    count = tnp.sum(share, axis=axes)
    return tnp.sum(t * share, axis=axes) / count


defjvp("reduce_max", "reduce_min")(_extremum)


@defjvp("reduce_prod")
def _reduce_prod(tangents, y, x, *, axes):
    # d prod / d x_i is the product of the other elements. The VJP rule computes exactly
    # that (from prefix and suffix products, exact with zeros in x) when seeded with a
    # cotangent of ones; the JVP is its inner product with the tangent.
    (t,) = tangents
    (others,) = VJP_RULES["reduce_prod"](tnp.ones_like(y), y, x, axes=axes)
    return tnp.sum(t * others, axis=axes)


@defjvp("cumprod")
def _cumprod(tangents, y, x, *, axis, reverse):
    # dy_j = sum_{i <= j} t_i * prod_{k <= j, k != i} x_k. Built as an (n, n) table per
    # position, exact with zeros in x (no division); O(n^2) along the scanned axis.
    (t,) = tangents
    n = _shape(x)[axis]
    if n == 0:
        return t
    xm = tnp.moveaxis(x, axis, -1)
    tm = tnp.moveaxis(t, axis, -1)
    if reverse:
        xm, tm = xm[..., ::-1], tm[..., ::-1]
    eye = np.eye(n, dtype=bool)
    # table[..., i, k] = x_k, with 1 at k == i; cumprod over k gives prod_{k<=j, k!=i}.
    table = tnp.where(eye, 1.0, tnp.expand_dims(xm, -2)).astype(t.dtype)
    partial = apply_primitive("cumprod", [table], dict(axis=len(_shape(table)) - 1,
                                                       reverse=False))
    upper = np.triu(np.ones((n, n), dtype=bool))          # i <= j
    weights = tnp.where(upper, partial, 0.0) * tnp.expand_dims(tm, -1)
    out = tnp.sum(weights, axis=-2)
    if reverse:
        out = out[..., ::-1]
    return tnp.moveaxis(out, -1, axis)
