"""JVP rules of the nonlinear reductions and scans (reduce_sum and cumsum are linear:
linear.py)."""
from __future__ import annotations

from .. import numpy as tnp
from .jvp_rules import defjvp
from .rules import VJP_RULES
from .vjp_reductions import cumprod_partials
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
    # dy_j = sum_{i <= j} t_i * prod_{k <= j, k != i} x_k: the VJP's table, summed over i.
    (t,) = tangents
    if _shape(x)[axis] == 0:
        return t
    to_scan, from_scan, partials = cumprod_partials(x, axis, reverse, t.dtype)
    return from_scan(tnp.sum(partials * tnp.expand_dims(to_scan(t), -1), axis=-2))
