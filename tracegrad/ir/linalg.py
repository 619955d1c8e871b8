"""Matrix decompositions and triangular solves: the few primitives the linear-algebra
functions (tracegrad.numpy.linalg, tracegrad.scipy.linalg) are composed of, as JAX's
lax.linalg. Every one works on stacks of matrices (the last two axes), in float32 and
float64; complex matrices are not supported yet.

They never raise on the values of their operands: a matrix that is not positive definite
gives a Cholesky factor of NaNs, a singular triangular solve gives inf/NaN (as LAPACK,
and as JAX). The same holds in compiled code, which calls the same LAPACK routines, so
the reference implementations here are the oracle for it. NumPy's LinAlgError is raised
by the namespace functions on concrete values (eager mode), not here.

Each reads only what LAPACK reads: cholesky and eigh the lower triangle (as NumPy),
triangular_solve the triangle it is told."""
from __future__ import annotations

import numpy as np

from ..errors import DTypeError, ShapeError
from . import lapack_reference
from .aval import Aval, dtype_string
from .kinds import LINALG
from .primitive import Primitive


def _check_matrix(name, x, square=True):
    if x.dtype not in (np.float32, np.float64):
        what = "complex matrices are not supported yet" if x.dtype.kind == "c" else \
            "it needs float32 or float64 matrices"
        raise DTypeError(f"{name} of a {dtype_string(x.dtype)} array: {what}")
    if x.ndim < 2:
        raise ShapeError(f"{name}: needs a matrix (or a stack of them), got shape {x.shape}")
    if square and x.shape[-1] != x.shape[-2]:
        raise ShapeError(f"{name}: needs square matrices, got shape {x.shape}")


def _stack(x, fn, out_shapes, dtypes):
    """fn applied to each matrix of the stack x: one array per output."""
    batch = x.shape[:-2]
    outs = [np.empty(batch + s, d) for s, d in zip(out_shapes, dtypes)]
    for idx in np.ndindex(*batch):
        for out, value in zip(outs, fn(x[idx])):
            out[idx] = value
    return outs


# ---- cholesky ------------------------------------------------------------------------

def _cholesky_rule(a):
    _check_matrix("cholesky", a)
    return [Aval(a.shape, a.dtype)]


def _cholesky_impl(a):
    a = np.asarray(a)
    try:
        return [np.linalg.cholesky(a)]
    except np.linalg.LinAlgError:       # some matrix of the stack: NaNs for that one only
        def one(m):
            try:
                return [np.linalg.cholesky(m)]
            except np.linalg.LinAlgError:
                return [np.full_like(m, np.nan)]
        return _stack(a, one, [a.shape[-2:]], [a.dtype])


Primitive("cholesky", _cholesky_rule, _cholesky_impl, LINALG)


# ---- triangular_solve ------------------------------------------------------------------

def _triangular_solve_rule(a, b, *, left_side, lower, transpose_a, unit_diagonal):
    _check_matrix("triangular_solve", a)
    _check_matrix("triangular_solve", b, square=False)
    if a.dtype != b.dtype:
        raise DTypeError(f"triangular_solve: operands must share one dtype, got "
                         f"{dtype_string(a.dtype)} and {dtype_string(b.dtype)}")
    side = b.shape[-2] if left_side else b.shape[-1]
    if a.shape[:-2] != b.shape[:-2] or a.shape[-1] != side:
        raise ShapeError(f"triangular_solve: shapes {a.shape} and {b.shape} do not fit "
                         f"({'left' if left_side else 'right'} side)")
    return [Aval(b.shape, b.dtype)]


def _triangular_solve_impl(a, b, *, left_side, lower, transpose_a, unit_diagonal):
    a, b = np.asarray(a), np.asarray(b)
    out = np.empty(b.shape, b.dtype)
    if b.size == 0:
        return [out]
    for idx in np.ndindex(*b.shape[:-2]):
        out[idx] = lapack_reference.trsm(a[idx], b[idx], left_side, lower, transpose_a,
                                         unit_diagonal)
    return [out]


Primitive("triangular_solve", _triangular_solve_rule, _triangular_solve_impl, LINALG)


# ---- lu --------------------------------------------------------------------------------

def _lu_rule(a):
    _check_matrix("lu", a)
    return [Aval(a.shape, a.dtype), Aval(a.shape[:-1], np.dtype(np.int32)),
            Aval(a.shape[:-1], np.dtype(np.int32))]


def pivots_to_permutation(pivots):
    """Row i was swapped with row pivots[i], in order: where each row ends up."""
    pivots = np.asarray(pivots)
    perm = np.broadcast_to(np.arange(pivots.shape[-1], dtype=np.int32), pivots.shape).copy()
    for idx in np.ndindex(*pivots.shape[:-1]):
        p = perm[idx]
        for i, j in enumerate(pivots[idx]):
            p[i], p[j] = p[j], p[i]
    return perm


def _lu_impl(a):
    a = np.asarray(a)
    lu, piv = _stack(a, lapack_reference.getrf, [a.shape[-2:], a.shape[-1:]],
                     [a.dtype, np.int32])
    return [lu, piv, pivots_to_permutation(piv)]


Primitive("lu", _lu_rule, _lu_impl, LINALG, multiple_results=True)


def _pivots_rule(pivots, *, size):
    if pivots.dtype != np.int32 or pivots.ndim < 1 or pivots.shape[-1] > size:
        raise ShapeError(f"lu_pivots_to_permutation: needs int32 pivots of at most {size} "
                         f"per row, got {dtype_string(pivots.dtype)}{list(pivots.shape)}")
    return [Aval(pivots.shape[:-1] + (size,), np.dtype(np.int32))]


def _pivots_impl(pivots, *, size):
    pivots = np.asarray(pivots)
    padded = np.broadcast_to(np.arange(size, dtype=np.int32),
                             pivots.shape[:-1] + (size,)).copy()
    padded[..., :pivots.shape[-1]] = pivots
    if np.any((pivots < 0) | (pivots >= size)):
        raise ValueError(f"lu_pivots_to_permutation: pivots out of range [0, {size})")
    return [pivots_to_permutation(padded)]


# lu_solve's pivots come from the user (scipy's lu_factor): they are turned into the
# permutation they stand for.
Primitive("lu_pivots_to_permutation", _pivots_rule, _pivots_impl, LINALG)


# ---- det -------------------------------------------------------------------------------

def _det_rule(a):
    _check_matrix("det", a)
    return [Aval(a.shape[:-2], a.dtype)]


# A primitive of its own (not the product of lu's pivots) so that its derivative can be
# the cofactor matrix, finite where the matrix is singular (autodiff/linalg_rules.py).
Primitive("det", _det_rule, lambda a: [np.asarray(np.linalg.det(a))], LINALG)


# ---- eigh ------------------------------------------------------------------------------

def _eigh_rule(a):
    _check_matrix("eigh", a)
    return [Aval(a.shape[:-1], a.dtype), Aval(a.shape, a.dtype)]


def _eigh_impl(a):
    w, v = np.linalg.eigh(np.asarray(a))
    return [w, v]


# -> eigenvalues (ascending), eigenvectors (columns), as numpy.linalg.eigh.
Primitive("eigh", _eigh_rule, _eigh_impl, LINALG, multiple_results=True)


# ---- svd -------------------------------------------------------------------------------

def svd_shapes(shape, full_matrices):
    m, n = shape[-2:]
    k = min(m, n)
    batch = tuple(shape[:-2])
    u_cols, vt_rows = (m, n) if full_matrices else (k, k)
    return batch + (k,), batch + (m, u_cols), batch + (vt_rows, n)


def _svd_rule(a, *, full_matrices, compute_uv):
    _check_matrix("svd", a, square=False)
    s, u, vt = svd_shapes(a.shape, full_matrices)
    if not compute_uv:
        return [Aval(s, a.dtype)]
    return [Aval(s, a.dtype), Aval(u, a.dtype), Aval(vt, a.dtype)]


def _svd_impl(a, *, full_matrices, compute_uv):
    a = np.asarray(a)
    if not compute_uv:
        return [np.linalg.svd(a, compute_uv=False)]
    u, s, vt = np.linalg.svd(a, full_matrices=full_matrices)
    return [s, u, vt]


# -> singular values (descending)[, U, V^T], as numpy.linalg.svd (s first).
Primitive("svd", _svd_rule, _svd_impl, LINALG, multiple_results=True)


# ---- qr --------------------------------------------------------------------------------

def _qr_rule(a, *, full_matrices):
    _check_matrix("qr", a, square=False)
    m, n = a.shape[-2:]
    k = m if full_matrices else min(m, n)
    batch = tuple(a.shape[:-2])
    return [Aval(batch + (m, k), a.dtype), Aval(batch + (k, n), a.dtype)]


def _qr_impl(a, *, full_matrices):
    q, r = np.linalg.qr(np.asarray(a), mode="complete" if full_matrices else "reduced")
    return [q, r]


Primitive("qr", _qr_rule, _qr_impl, LINALG, multiple_results=True)
