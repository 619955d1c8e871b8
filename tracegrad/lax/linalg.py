"""tracegrad.lax.linalg: the linear-algebra primitives with JAX's lax.linalg signatures
(typed: no dtype promotion, no broadcasting of batch axes). The NumPy and SciPy
functions in tracegrad.numpy.linalg and tracegrad.scipy.linalg are built on these."""
from __future__ import annotations

from .ops import apply

__all__ = ["cholesky", "triangular_solve", "lu", "lu_pivots_to_permutation", "det", "eigh",
           "svd", "qr"]


def cholesky(x):
    """The lower Cholesky factor of each matrix, read from its lower triangle (NaNs for a
    matrix that is not positive definite)."""
    return apply("cholesky", x)


def triangular_solve(a, b, *, left_side=False, lower=False, transpose_a=False,
                     unit_diagonal=False):
    """x with op(a) @ x = b (left_side) or x @ op(a) = b, op(a) = a or a.T; reads only
    a's `lower` or upper triangle (and not its diagonal if unit_diagonal)."""
    return apply("triangular_solve", a, b, left_side=bool(left_side), lower=bool(lower),
                 transpose_a=bool(transpose_a), unit_diagonal=bool(unit_diagonal))


def lu(x):
    """(lu, pivots, permutation) of square matrices, LAPACK's getrf: x[permutation] ==
    L @ U with L = tril(lu, -1) + I (unit diagonal) and U = triu(lu); row i was
    swapped with row pivots[i] in turn (0-based, int32)."""
    return tuple(apply("lu", x))


def lu_pivots_to_permutation(pivots, permutation_size):
    """The permutation that LAPACK-style row swaps `pivots` stand for."""
    return apply("lu_pivots_to_permutation", pivots, size=int(permutation_size))


def det(x):
    """Determinant of each square matrix (its gradient is the cofactor matrix)."""
    return apply("det", x)


def eigh(x):
    """(v, w): eigenvectors (columns) and ascending eigenvalues of symmetric matrices,
    read from the lower triangle (JAX's order; numpy.linalg.eigh returns (w, v))."""
    w, v = apply("eigh", x)
    return v, w


def svd(x, *, full_matrices=True, compute_uv=True):
    """(u, s, vh), or s alone with compute_uv=False; s descending."""
    outs = apply("svd", x, full_matrices=bool(full_matrices), compute_uv=bool(compute_uv))
    if not compute_uv:
        return outs[0]
    s, u, vh = outs
    return u, s, vh


def qr(x, *, full_matrices=True):
    """(q, r): q with orthonormal columns (m x m, or m x min(m, n) when not
    full_matrices), r upper triangular."""
    q, r = apply("qr", x, full_matrices=bool(full_matrices))
    return q, r
