"""tracegrad.scipy.linalg: scipy.linalg's triangular and factored solvers and expm on
traced values (SciPy's own functions on concrete arrays). Built on the primitives of
tracegrad.lax.linalg; stacks of matrices broadcast as in tracegrad.numpy.linalg."""
from __future__ import annotations

import numpy as np
import scipy.linalg as _sl

from .. import lax
from ..lax import linalg as lax_linalg
from ..numpy import _core
from ..numpy._core import broadcast_to_shape, shape
from ..numpy.decompositions import cholesky as _cholesky
from ..numpy.indexing import take_along_axis
from ..numpy.linalg_common import eager_value, float_matrices
from ..numpy.products import matmul
from ..numpy.reductions import max as _max, sum as _sum
from ..numpy.shape import expand_dims, swapaxes
from ..numpy.solves import lu_solve_factored, solve
from ..numpy.sorting import argsort
from ..numpy.ufuncs import absolute, ceil, exp2, log2, maximum
from ..ir import broadcast_shapes

__all__ = ["solve_triangular", "cho_factor", "cho_solve", "lu_factor", "lu_solve", "expm"]


def _scipy(fn):
    """Concrete arguments go to SciPy's fn; traced ones to the decorated function."""
    def wrap(traced):
        def call(*args, **kwargs):
            if _core.any_traced(args, kwargs) or any(_core.is_traced(v) for a in args
                                                     if isinstance(a, tuple) for v in a):
                return traced(*args, **kwargs)
            return fn(*args, **kwargs)
        call.__name__ = call.__qualname__ = fn.__name__
        call.__doc__ = (f"tracegrad version of scipy.linalg.{fn.__name__}: identical on "
                        f"NumPy arrays, traceable and differentiable on traced values.")
        return call
    return wrap


def _as_matrix_rhs(a, b):
    """b as a stack of matrices with a's batch axes (a 1-d b is one vector)."""
    vector = len(shape(b)) == len(shape(a)) - 1
    if vector:
        b = expand_dims(b, -1)
    batch = tuple(broadcast_shapes(shape(a)[:-2], shape(b)[:-2]))
    return (broadcast_to_shape(a, batch + shape(a)[-2:]),
            broadcast_to_shape(b, batch + shape(b)[-2:]), vector)


@_scipy(_sl.solve_triangular)
def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                     check_finite=True):
    a, b = float_matrices(a, b, name="solve_triangular")
    transpose = {0: False, "N": False, 1: True, "T": True, 2: True, "C": True}[trans]
    a, b2, vector = _as_matrix_rhs(a, b)
    x = lax_linalg.triangular_solve(a, b2, left_side=True, lower=lower,
                                    transpose_a=transpose, unit_diagonal=unit_diagonal)
    return x[..., 0] if vector else x


@_scipy(_sl.cho_factor)
def cho_factor(a, lower=False, overwrite_a=False, check_finite=True):
    """(c, lower): the factor in c's `lower` (or upper) triangle; the other triangle is
    zero (SciPy leaves whatever was there: it is never read)."""
    (a,) = float_matrices(a, name="cho_factor")
    if lower:
        return _cholesky(a), True
    return _cholesky(a, upper=True), False          # reads a's upper triangle


@_scipy(_sl.cho_solve)
def cho_solve(c_and_lower, b, overwrite_b=False, check_finite=True):
    c, lower = c_and_lower
    c, b = float_matrices(c, b, name="cho_solve")
    c, b2, vector = _as_matrix_rhs(c, b)
    # lower: L L^T x = b; upper: U^T U x = b
    y = lax_linalg.triangular_solve(c, b2, left_side=True, lower=lower,
                                    transpose_a=not lower)
    x = lax_linalg.triangular_solve(c, y, left_side=True, lower=lower, transpose_a=lower)
    return x[..., 0] if vector else x


@_scipy(_sl.lu_factor)
def lu_factor(a, overwrite_a=False, check_finite=True):
    (a,) = float_matrices(a, name="lu_factor")
    lu, pivots, _ = lax_linalg.lu(a)
    return lu, pivots


@_scipy(_sl.lu_solve)
def lu_solve(lu_and_piv, b, trans=0, overwrite_b=False, check_finite=True):
    lu, pivots = lu_and_piv
    lu, b = float_matrices(lu, b, name="lu_solve")
    n = shape(lu)[-1]
    permutation = lax_linalg.lu_pivots_to_permutation(
        _core.convert(pivots, np.int32), n)
    lu, b2, vector = _as_matrix_rhs(lu, b)
    permutation = broadcast_to_shape(permutation, shape(lu)[:-1])
    if trans in (0, "N"):
        x = lu_solve_factored(lu, permutation, b2)
    else:                           # a^T x = b: U^T L^T (P x) = b
        y = lax_linalg.triangular_solve(lu, b2, left_side=True, lower=False, transpose_a=True)
        z = lax_linalg.triangular_solve(lu, y, left_side=True, lower=True, transpose_a=True,
                                        unit_diagonal=True)
        inverse = broadcast_to_shape(expand_dims(argsort(permutation, axis=-1), -1), shape(z))
        x = take_along_axis(z, inverse, axis=-2)
    return x[..., 0] if vector else x


# Padé approximant of degree 13 and its scaling threshold (Higham 2005, as SciPy and JAX).
_PADE13 = (64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800.,
           129060195264000., 10559470521600., 670442572800., 33522128640., 1323241920.,
           40840800., 960960., 16380., 182., 1.)
_THETA13 = 5.371920351148152


@_scipy(_sl.expm)
def expm(A):
    """Scaling and squaring with the degree-13 Padé approximant: the number of squarings
    depends on the 1-norm of A (a loop with a traced trip count under compile)."""
    (a,) = float_matrices(A, name="expm")
    n = shape(a)[-1]
    norm = _max(_sum(absolute(a), axis=-2), axis=-1)
    squarings = maximum(ceil(log2(norm / _THETA13)), 0)
    squarings = _max(squarings)                     # one count for the whole stack
    a = a / expand_dims(exp2(squarings), (-1, -2)) if len(shape(a)) > 2 else a / exp2(squarings)
    eye = np.eye(n, dtype=a.dtype)
    b = _PADE13
    a2 = matmul(a, a)
    a4 = matmul(a2, a2)
    a6 = matmul(a4, a2)
    u = matmul(a, matmul(a6, b[13] * a6 + b[11] * a4 + b[9] * a2) +
               b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye)
    v = matmul(a6, b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + \
        b[2] * a2 + b[0] * eye
    r = solve(v - u, v + u)
    count = eager_value(squarings)
    if count is not None:           # eager: a Python loop of the known length
        for _ in range(int(count)):
            r = matmul(r, r)
        return r
    return lax.fori_loop(0, _core.convert(squarings, np.int32), lambda i, x: matmul(x, x), r)
