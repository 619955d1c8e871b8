"""numpy.linalg's solvers on traced values, composed of LU, triangular solves and the SVD:
solve, inv, det, slogdet, lstsq, pinv, matrix_power, tensorsolve, tensorinv.

A singular matrix raises NumPy's LinAlgError in eager calls; compiled programs give
inf/NaN instead (linalg_common.py)."""
from __future__ import annotations

import math

import numpy as np
from numpy.linalg import _linalg as _np_linalg

from ..ir import broadcast_shapes
from ..lax import linalg as lax_linalg
from . import _core, factored
from ._core import broadcast_to_shape, implements, shape
from .creation import eye
from .diagonals import diagonal
from .linalg_common import LinAlgError, check_nonsingular, eager_value, float_matrices
from .products import matmul
from .reductions import max as _max, prod, sum as _sum
from .reductions_extra import count_nonzero
from .shape import expand_dims, swapaxes, transpose
from .ufuncs import greater, multiply, not_equal, sign, where


def lu_solve_factored(lu, permutation, b):
    """x with a @ x = b, from a's LU factors (a[permutation] = L U), for b a stack of
    matrices whose batch axes equal lu's."""
    return factored.lu_solve(lu, permutation, b)


def _solve_matrices(a, b):
    """a^-1 b for stacks a (..., n, n) and b (..., n, k) with broadcasting batch axes;
    differentiated with a's factors (factored.py)."""
    lu, _, permutation = lax_linalg.lu(a)
    check_nonsingular(lu)
    batch = tuple(broadcast_shapes(shape(a)[:-2], shape(b)[:-2]))
    n = shape(a)[-1]
    return factored.solve_with_factors(
        broadcast_to_shape(a, batch + (n, n)), broadcast_to_shape(lu, batch + (n, n)),
        broadcast_to_shape(permutation, batch + (n,)),
        broadcast_to_shape(b, batch + shape(b)[-2:]))


@implements(np.linalg.solve)
def solve(a, b):
    a, b = float_matrices(a, b, name="solve")
    if len(shape(b)) == 1:          # NumPy 2: a 1-d b is one vector (for every matrix)
        return _solve_matrices(a, expand_dims(b, -1))[..., 0]
    if shape(b)[-2] != shape(a)[-1]:
        raise ValueError(f"solve: Input operand 1 has a mismatch in its core dimension 0 "
                         f"({shape(b)[-2]} is different from {shape(a)[-1]})")
    return _solve_matrices(a, b)


@implements(np.linalg.inv)
def inv(a):
    (a,) = float_matrices(a, name="inv")
    n = shape(a)[-1]
    return _solve_matrices(a, eye(n, dtype=a.dtype))


@implements(np.linalg.det)
def det(a):
    (a,) = float_matrices(a, name="det")
    return lax_linalg.det(a)


def _permutation_sign(pivots, dtype):
    swaps = count_nonzero(not_equal(pivots, np.arange(shape(pivots)[-1], dtype=np.int32)),
                          axis=-1)
    return _core.convert(1 - 2 * (swaps % 2), dtype)


@implements(np.linalg.slogdet)
def slogdet(a):
    (a,) = float_matrices(a, name="slogdet")
    lu, pivots, permutation = lax_linalg.lu(a)
    d = diagonal(lu, axis1=-2, axis2=-1)
    sign_ = multiply(_permutation_sign(pivots, a.dtype), prod(sign(d), axis=-1))
    return _np_linalg.SlogdetResult(sign_, factored.logdet_with_factors(a, lu, permutation))


def _inverse_singular_values(s, cutoff):
    """1/s where s > cutoff, else 0 (no division by the discarded ones)."""
    large = greater(s, cutoff)
    return where(large, 1 / where(large, s, 1), 0), large


@implements(np.linalg.pinv)
def pinv(a, rcond=None, hermitian=False, *, rtol=np._NoValue):
    (a,) = float_matrices(a, square=False, name="pinv")
    if rcond is None:
        rcond = 1e-15 if rtol is np._NoValue else \
            (max(shape(a)[-2:]) * np.finfo(a.dtype).eps if rtol is None else rtol)
    elif rtol is not np._NoValue:
        raise ValueError("`rtol` and `rcond` can't be both set.")
    m, n = shape(a)[-2:]
    if m == 0 or n == 0:
        return _core.convert(np.zeros(shape(a)[:-2] + (n, m)), a.dtype)
    u, s, vt = lax_linalg.svd(a, full_matrices=False)
    rcond = _core.convert(np.asarray(rcond), a.dtype) if not _core.is_traced(rcond) else rcond
    cutoff = multiply(expand_dims(rcond, -1), _max(s, axis=-1, keepdims=True))
    s_inv, _ = _inverse_singular_values(s, cutoff)
    return matmul(swapaxes(vt, -1, -2), multiply(expand_dims(s_inv, -1), swapaxes(u, -1, -2)))


@implements(np.linalg.lstsq)
def lstsq(a, b, rcond=None):
    """Through the SVD. Residuals: NumPy returns them only when rank == N < M; a traced
    rank is not known while tracing, so under compile they are returned whenever M > N
    (eager calls follow NumPy)."""
    a, b = float_matrices(a, b, square=False, name="lstsq")
    if len(shape(a)) != 2 or len(shape(b)) not in (1, 2):
        raise LinAlgError(f"{len(shape(a))}-dimensional array given. Array must be two-"
                          f"dimensional")
    m, n = shape(a)
    vector = len(shape(b)) == 1
    b2 = expand_dims(b, -1) if vector else b
    if shape(b2)[0] != m:
        raise LinAlgError("Incompatible dimensions")
    if rcond is None:
        rcond = np.finfo(a.dtype).eps * max(m, n)
    u, s, vt = lax_linalg.svd(a, full_matrices=False)
    cutoff = multiply(_core.convert(np.asarray(rcond), a.dtype), _max(s) if min(m, n) else 0)
    s_inv, large = _inverse_singular_values(s, cutoff)
    x = matmul(transpose(vt), multiply(expand_dims(s_inv, -1), matmul(transpose(u), b2)))
    rank = _core.convert(count_nonzero(large), np.int32)
    residuals = None
    if m > n:
        r = b2 - matmul(a, x)
        residuals = _sum(multiply(r, r), axis=0)
        known_rank = eager_value(rank)
        if known_rank is not None and int(known_rank) < n:
            residuals = None
    if residuals is None:
        residuals = _core.convert(np.zeros(0), a.dtype)
    return (x[:, 0] if vector else x), residuals, rank, s


@implements(np.linalg.matrix_power)
def matrix_power(a, n):
    a = _core.asarray_traced(a)
    if len(shape(a)) < 2 or shape(a)[-1] != shape(a)[-2]:
        raise LinAlgError("Last 2 dimensions of the array must be square")
    try:
        n = int(n) if int(n) == n else n
    except TypeError:
        pass
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("exponent must be an integer")
    if n == 0:
        return broadcast_to_shape(_core.convert(np.eye(shape(a)[-1]), a.dtype), shape(a))
    if n < 0:
        a = inv(a)
        n = -n
    result, power_of_a = None, a      # binary exponentiation: O(log n) products
    while n:
        if n & 1:
            result = power_of_a if result is None else matmul(result, power_of_a)
        n >>= 1
        if n:
            power_of_a = matmul(power_of_a, power_of_a)
    return result


@implements(np.linalg.tensorinv)
def tensorinv(a, ind=2):
    a = _core.asarray_traced(a)
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    old = shape(a)
    rows = math.prod(old[:ind])
    inverse = inv(_core.reshape(a, (rows, -1)))
    return _core.reshape(inverse, old[ind:] + old[:ind])


@implements(np.linalg.tensorsolve)
def tensorsolve(a, b, axes=None):
    a, b = _core.asarray_traced(a), _core.asarray_traced(b)
    nd = len(shape(a))
    if axes is not None:
        order = [k for k in range(nd) if k not in [x % nd for x in axes]]
        a = transpose(a, order + [x % nd for x in axes])
    old = shape(a)[-(nd - len(shape(b))):] if nd != len(shape(b)) else ()
    size = math.prod(old)
    if math.prod(shape(a)) != size * size:
        raise LinAlgError("Input arrays must satisfy the requirement "
                          "prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])")
    x = solve(_core.reshape(a, (size, size)), _core.reshape(b, (-1,)))
    return _core.reshape(x, old)


__all__ = ["solve", "inv", "det", "slogdet", "pinv", "lstsq", "matrix_power", "tensorinv",
           "tensorsolve", "lu_solve_factored"]
