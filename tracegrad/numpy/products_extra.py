"""cross and matrix_transpose: products and transposes composed from slices and stacks."""
from __future__ import annotations

import warnings

import numpy as np

from ..errors import ShapeError
from . import _core
from ._core import asarray_traced, convert, implements, result_type, shape
from .indexing import getitem
from .shape import broadcast_arrays, moveaxis, stack, swapaxes
from .ufuncs import multiply, negative, subtract


@implements(np.cross)
def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    dtype = result_type(a, b)
    a = moveaxis(convert(asarray_traced(a), dtype, weak=False), axisa, -1)
    b = moveaxis(convert(asarray_traced(b), dtype, weak=False), axisb, -1)
    na, nb = shape(a)[-1], shape(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("incompatible dimensions for cross product\n(dimension must be "
                         "2 or 3)")

    def part(x, i, n):
        # A missing z component of a 2-vector is zero.
        return getitem(x, (Ellipsis, i)) if i < n else None

    ax, ay, az = (part(a, i, na) for i in range(3))
    bx, by, bz = (part(b, i, nb) for i in range(3))

    def mul(x, y):
        return None if x is None or y is None else multiply(x, y)

    def sub(x, y):
        if y is None:
            return x
        return negative(y) if x is None else subtract(x, y)

    if na == 2 or nb == 2:
        warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of "
                      "3-dimensional vectors instead. (deprecated in NumPy 2.0)",
                      DeprecationWarning, stacklevel=3)
    z = sub(mul(ax, by), mul(ay, bx))
    if na == 2 and nb == 2:
        return z
    x = sub(mul(ay, bz), mul(az, by))
    y = sub(mul(az, bx), mul(ax, bz))
    parts = broadcast_arrays(*[convert(p, dtype, weak=False) for p in (x, y, z)])
    out = stack(parts, axis=-1)
    return moveaxis(out, -1, _core.normalize_axis(axisc, len(shape(out))))


def _matrix_transpose(x):
    x = asarray_traced(x)
    if len(shape(x)) < 2:
        raise ShapeError(f"Input array must be at least 2-dimensional, but it is "
                         f"{len(shape(x))}")
    return swapaxes(x, -1, -2)


matrix_transpose = implements(np.matrix_transpose)(_matrix_transpose)
