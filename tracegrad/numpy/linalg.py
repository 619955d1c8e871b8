"""tracegrad.numpy.linalg: numpy.linalg on traced values (`np.linalg.*` on a traced value
dispatches here): the decompositions (decompositions.py), the solvers (solves.py), norms
and matrix_transpose. Conventions (singular matrices, repeated eigenvalues): docs/numpy.md."""
from __future__ import annotations
from ..ir import is_float

import numpy as np

from . import _core
from ._core import asarray_traced, convert, implements, normalize_axes, shape
from .decompositions import cholesky, eigh, eigvalsh, qr, svd
from .linalg_common import LinAlgError
from .products_extra import _matrix_transpose
from .shape import transpose
from .solves import det, inv, lstsq, matrix_power, pinv, slogdet, solve, tensorinv, tensorsolve
from .reductions import max as _max, min as _min, sum as _sum
from .ufuncs import absolute, multiply, not_equal, power, sqrt

matrix_transpose = implements(np.linalg.matrix_transpose)(_matrix_transpose)


@implements(np.linalg.norm)
def norm(x, ord=None, axis=None, keepdims=False):
    x = asarray_traced(x)
    if not is_float(x.dtype):
        x = convert(x, np.float64, weak=False)
    nd = len(shape(x))
    if axis is None and ord is None:
        # The 2-norm of the flattened array (Frobenius for matrices).
        axes = tuple(range(nd))
        return sqrt(_sum(_squared(x), axis=axes, keepdims=keepdims))
    if axis is None:
        axes = tuple(range(nd))
    else:
        axes = normalize_axes(axis, nd)
    if len(axes) == 1:
        return _vector_norm(x, ord, axes, keepdims)
    if len(axes) == 2:
        return _matrix_norm(x, ord, axes, keepdims)
    raise ValueError("Improper number of dimensions to norm.")


def _squared(x):
    a = absolute(x)
    return multiply(a, a)


def _vector_norm(x, ord, axes, keepdims):
    if ord is None or ord == 2:
        return sqrt(_sum(_squared(x), axis=axes, keepdims=keepdims))
    if ord == np.inf:
        return _max(absolute(x), axis=axes, keepdims=keepdims)
    if ord == -np.inf:
        return _min(absolute(x), axis=axes, keepdims=keepdims)
    if ord == 0:
        return _sum(convert(not_equal(x, 0), x.dtype), axis=axes, keepdims=keepdims)
    if ord == 1:
        return _sum(absolute(x), axis=axes, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")
    p = float(ord)
    return power(_sum(power(absolute(x), p), axis=axes, keepdims=keepdims), 1.0 / p)


def _matrix_norm(x, ord, axes, keepdims):
    row_axis, col_axis = axes
    if row_axis == col_axis:
        raise ValueError("Duplicate axes given.")
    if ord in (None, "fro", "f"):
        return sqrt(_sum(_squared(x), axis=axes, keepdims=keepdims))
    if ord in (1, -1, np.inf, -np.inf):
        # Max/min absolute column sum (ord=±1) or row sum (ord=±inf).
        summed_axis, over_axis = (row_axis, col_axis) if ord in (1, -1) else \
            (col_axis, row_axis)
        sums = _sum(absolute(x), axis=summed_axis, keepdims=True)
        pick = _max if ord in (1, np.inf) else _min
        result = pick(sums, axis=over_axis, keepdims=True)
        if keepdims:
            return result
        return _core.reshape(result, [n for i, n in enumerate(shape(x)) if i not in axes])
    if ord in (2, -2, "nuc"):
        # From the singular values of the matrices moved to the last two axes.
        rest = [i for i in range(len(shape(x))) if i not in axes]
        s = svd(transpose(x, rest + [row_axis, col_axis]), compute_uv=False)
        pick = {2: _max, -2: _min, "nuc": _sum}[ord]
        result = pick(s, axis=-1)
        if not keepdims:
            return result
        kept = [1 if i in axes else n for i, n in enumerate(shape(x))]
        return _core.reshape(result, kept)
    raise ValueError("Invalid norm order for matrices.")


__all__ = ["norm", "matrix_transpose", "cholesky", "eigh", "eigvalsh", "svd", "qr", "solve",
           "inv", "det", "slogdet", "lstsq", "pinv", "matrix_power", "tensorsolve",
           "tensorinv", "LinAlgError"]

