"""Derivatives of the linear-algebra primitives (ir/linalg.py), both modes: the standard
matrix-calculus rules, as JAX's lax.linalg writes them (JVPs), and their transposes by
hand (VJPs). Written with triangular solves and products, so they are differentiable
again and compile with the program.

Conventions (as JAX): eigh's and svd's rules divide by differences of eigenvalues
(squared singular values): finite where the spectrum is distinct, inf/NaN where two
coincide. svd with full_matrices=True of a non-square matrix and qr of a wide matrix (or
complete qr of a tall one) have no derivative (the extra columns are not unique)."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from ..errors import UnsupportedError
from ..lax import linalg as lax_linalg
from ..numpy.factored import solve_with_factors
from .jvp_rules import defjvp
from .rules import defvjp, nondifferentiable

nondifferentiable("lu_pivots_to_permutation")


def _t(x):
    return tnp.swapaxes(x, -1, -2)


def _eye_like(x):
    n = x.shape[-1]
    return np.eye(n, dtype=x.dtype)


def _diag_embed(d):
    """Stack of diagonal matrices with the vectors d on their diagonals."""
    return tnp.expand_dims(d, -1) * _eye_like(d)


def _zeros_or(ct, like):
    return ct if ct is not None else tnp.zeros_like(like)


def _symmetric_from_lower(t):
    """The symmetric matrix a function that reads only the lower triangle sees."""
    return tnp.tril(t) + _t(tnp.tril(t, -1))


def _lower_transpose(g):
    """The transpose of _symmetric_from_lower: a cotangent on the lower triangle."""
    return tnp.tril(g + _t(g)) - g * _eye_like(g)


# ---- cholesky --------------------------------------------------------------------------

def _phi(x):
    """Lower triangle with the diagonal halved."""
    return tnp.tril(x, -1) + 0.5 * x * _eye_like(x)


@defjvp("cholesky")
def _cholesky_jvp(tangents, L, a):
    # L' = L phi(L^-1 S' L^-T) (Murray 2016), S' the symmetric tangent read from below
    (t,) = tangents
    s = _symmetric_from_lower(t)
    right = lax_linalg.triangular_solve(L, s, left_side=False, lower=True, transpose_a=True)
    inner = lax_linalg.triangular_solve(L, right, left_side=True, lower=True)
    return tnp.matmul(L, _phi(inner))


@defvjp("cholesky")
def _cholesky_vjp(ct, L, a):
    p = _phi(tnp.matmul(_t(L), ct))
    left = lax_linalg.triangular_solve(L, p, left_side=True, lower=True, transpose_a=True)
    m = lax_linalg.triangular_solve(L, left, left_side=False, lower=True)
    return (_lower_transpose(m),)


# ---- triangular_solve -------------------------------------------------------------------

def _mask(g, lower, unit_diagonal):
    k = 1 if unit_diagonal else 0
    return tnp.tril(g, -k) if lower else tnp.triu(g, k)


@defjvp("triangular_solve")
def _triangular_solve_jvp(tangents, x, a, b, *, left_side, lower, transpose_a,
                          unit_diagonal):
    ta, tb = tangents
    rhs = tb
    if ta is not None:
        da = _mask(ta, lower, unit_diagonal)
        da = _t(da) if transpose_a else da
        term = tnp.matmul(da, x) if left_side else tnp.matmul(x, da)
        rhs = -term if rhs is None else rhs - term
    return lax_linalg.triangular_solve(a, rhs, left_side=left_side, lower=lower,
                                       transpose_a=transpose_a, unit_diagonal=unit_diagonal)


@defvjp("triangular_solve")
def _triangular_solve_vjp(ct, x, a, b, *, left_side, lower, transpose_a, unit_diagonal):
    ct_b = lax_linalg.triangular_solve(a, ct, left_side=left_side, lower=lower,
                                       transpose_a=not transpose_a,
                                       unit_diagonal=unit_diagonal)
    ct_op = -(tnp.matmul(ct_b, _t(x)) if left_side else tnp.matmul(_t(x), ct_b))
    ct_a = _mask(_t(ct_op) if transpose_a else ct_op, lower, unit_diagonal)
    return ct_a, ct_b


# ---- lu --------------------------------------------------------------------------------

def _factors(lu):
    return tnp.tril(lu, -1) + _eye_like(lu), tnp.triu(lu)


def _rows(x, order):
    """x[..., order, :] for a stack of row orders."""
    index = tnp.broadcast_to(tnp.expand_dims(order, -1), x.shape)
    return tnp.take_along_axis(x, index, axis=-2)


@defjvp("lu")
def _lu_jvp(tangents, outs, a):
    # lu' = L tril(W, -1) + triu(W) U with W = L^-1 P a' U^-1
    (t,) = tangents
    lu, _, permutation = outs
    L, U = _factors(lu)
    left = lax_linalg.triangular_solve(lu, _rows(t, permutation), left_side=True,
                                       lower=True, unit_diagonal=True)
    w = lax_linalg.triangular_solve(lu, left, left_side=False, lower=False)
    return [tnp.matmul(L, tnp.tril(w, -1)) + tnp.matmul(tnp.triu(w), U), None, None]


@defvjp("lu")
def _lu_vjp(ct, outs, a):
    ct_lu = ct[0]
    if ct_lu is None:
        return (None,)
    lu, _, permutation = outs
    L, U = _factors(lu)
    w = tnp.tril(tnp.matmul(_t(L), ct_lu), -1) + tnp.triu(tnp.matmul(ct_lu, _t(U)))
    left = lax_linalg.triangular_solve(lu, w, left_side=True, lower=True, transpose_a=True,
                                       unit_diagonal=True)
    rows = lax_linalg.triangular_solve(lu, left, left_side=False, lower=False,
                                       transpose_a=True)
    return (_rows(rows, tnp.argsort(permutation, axis=-1)),)


# ---- det -------------------------------------------------------------------------------

def adjugate(a):
    """adj(a) = det(a) a^-1, finite where a is singular with one zero pivot in the last
    place (rank n-1, as JAX's cofactor solve): the zero factor of the determinant is
    never divided by. Where an earlier pivot is zero the result is 0 (right for rank
    < n-1)."""
    n = a.shape[-1]
    if n <= 1:
        return tnp.ones_like(a)
    lu, pivots, permutation = lax_linalg.lu(a)
    d = tnp.diagonal(lu, axis1=-2, axis2=-1)
    swaps = tnp.count_nonzero(pivots != np.arange(n, dtype=np.int32), axis=-1)
    sign = (1 - 2 * (swaps % 2)).astype(a.dtype)
    partial = sign * tnp.prod(d[..., :-1], axis=-1)        # det without the last pivot
    det = partial * d[..., -1]
    regular = tnp.all(d[..., :-1] != 0, axis=-1)
    safe_partial = tnp.where(regular, partial, 1)
    last = np.zeros((n, n), dtype=bool)
    last[-1, -1] = True
    # U with u_nn := 1/partial: solving with it multiplies the last unknown by partial
    lu_scaled = tnp.where(last, tnp.expand_dims(1 / safe_partial, (-1, -2)), lu)
    eye = tnp.broadcast_to(_eye_like(a), a.shape)
    y = lax_linalg.triangular_solve(lu, _rows(eye, permutation), left_side=True, lower=True,
                                    unit_diagonal=True)
    scale = tnp.where(np.arange(n)[:, None] < n - 1, tnp.expand_dims(det, (-1, -2)), 1)
    x = lax_linalg.triangular_solve(lu_scaled, y * scale, left_side=True, lower=False)
    return tnp.where(tnp.expand_dims(regular, (-1, -2)), x, 0)


@defjvp("det")
def _det_jvp(tangents, det, a):
    (t,) = tangents
    return tnp.sum(_t(adjugate(a)) * t, axis=(-2, -1))


@defvjp("det")
def _det_vjp(ct, det, a):
    return (tnp.expand_dims(ct, (-1, -2)) * _t(adjugate(a)),)


# ---- eigh ------------------------------------------------------------------------------

def _gaps(w):
    """F[i, j] = 1 / (w[j] - w[i]) off the diagonal, 0 on it."""
    eye = np.eye(w.shape[-1], dtype=w.dtype)
    return 1 / (eye + tnp.expand_dims(w, -2) - tnp.expand_dims(w, -1)) - eye


@defjvp("eigh")
def _eigh_jvp(tangents, outs, a):
    (t,) = tangents
    w, v = outs
    vsv = tnp.matmul(tnp.matmul(_t(v), _symmetric_from_lower(t)), v)
    dw = tnp.diagonal(vsv, axis1=-2, axis2=-1)
    return [dw, tnp.matmul(v, _gaps(w) * vsv)]


@defvjp("eigh")
def _eigh_vjp(ct, outs, a):
    w, v = outs
    ct_w, ct_v = ct
    inner = _diag_embed(_zeros_or(ct_w, w))
    if ct_v is not None:
        inner = inner + _gaps(w) * tnp.matmul(_t(v), ct_v)
    return (_lower_transpose(tnp.matmul(tnp.matmul(v, inner), _t(v))),)


# ---- svd -------------------------------------------------------------------------------

def _svd_parts(outs, a, full_matrices, compute_uv):
    """(s, u, vt) of the reduced SVD."""
    m, n = a.shape[-2:]
    if compute_uv and full_matrices and m != n:
        raise UnsupportedError(
            "the derivative of svd with full_matrices=True of a non-square matrix is not "
            "defined (the extra singular vectors are not unique); use "
            "full_matrices=False (as JAX)")
    if compute_uv:
        return outs
    u, s, vt = lax_linalg.svd(a, full_matrices=False)
    return s, u, vt


def _square_gaps(s):
    """F[i, j] = 1 / (s[j]^2 - s[i]^2) off the diagonal, 0 on it."""
    row, col = tnp.expand_dims(s, -2), tnp.expand_dims(s, -1)
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    return 1 / ((row + col) * (row - col) + eye) - eye


@defjvp("svd")
def _svd_jvp(tangents, outs, a, *, full_matrices, compute_uv):
    (t,) = tangents
    s, u, vt = _svd_parts(outs, a, full_matrices, compute_uv)
    v = _t(vt)
    ds_matrix = tnp.matmul(tnp.matmul(_t(u), t), v)
    ds = tnp.diagonal(ds_matrix, axis1=-2, axis2=-1)
    if not compute_uv:
        return [ds]
    row, col = tnp.expand_dims(s, -2), tnp.expand_dims(s, -1)
    f = _square_gaps(s)
    dss, sds = ds_matrix * row, col * ds_matrix
    du = tnp.matmul(u, f * (dss + _t(dss)))
    dv = tnp.matmul(v, f * (sds + _t(sds)))
    m, n = a.shape[-2:]
    if m > n:
        dav = tnp.matmul(t, v)
        du = du + (dav - tnp.matmul(u, tnp.matmul(_t(u), dav))) / row
    if n > m:
        dau = tnp.matmul(_t(t), u)
        dv = dv + (dau - tnp.matmul(v, tnp.matmul(vt, dau))) / row
    return [ds, du, _t(dv)]


@defvjp("svd")
def _svd_vjp(ct, outs, a, *, full_matrices, compute_uv):
    s, u, vt = _svd_parts(outs, a, full_matrices, compute_uv)
    ct_s = _zeros_or(ct[0], s)
    inner = _diag_embed(ct_s)
    ct_u, ct_vt = (ct[1], ct[2]) if compute_uv else (None, None)
    row, col = tnp.expand_dims(s, -2), tnp.expand_dims(s, -1)
    f = _square_gaps(s)
    if ct_u is not None:
        j = f * tnp.matmul(_t(u), ct_u)
        inner = inner + (j + _t(j)) * row
    if ct_vt is not None:
        k = f * tnp.matmul(vt, _t(ct_vt))
        inner = inner + col * (k + _t(k))
    grad = tnp.matmul(tnp.matmul(u, inner), vt)
    m, n = a.shape[-2:]
    if m > n and ct_u is not None:
        outside = ct_u - tnp.matmul(u, tnp.matmul(_t(u), ct_u))
        grad = grad + tnp.matmul(outside / row, vt)
    if n > m and ct_vt is not None:
        outside = ct_vt - tnp.matmul(tnp.matmul(ct_vt, _t(vt)), vt)
        grad = grad + tnp.matmul(u, outside / col)
    return (grad,)


# ---- qr --------------------------------------------------------------------------------

def _check_qr(a, full_matrices):
    m, n = a.shape[-2:]
    if m < n or (full_matrices and m != n):
        raise UnsupportedError(
            f"the derivative of qr of a {m}x{n} matrix"
            f"{' in complete mode' if m >= n else ''} is not defined here (the extra "
            f"columns of q are not unique); as in JAX, only matrices with at least as many "
            f"rows as columns, in mode='reduced', are differentiable")


@defjvp("qr")
def _qr_jvp(tangents, outs, a, *, full_matrices):
    _check_qr(a, full_matrices)
    (t,) = tangents
    q, r = outs
    dx_rinv = lax_linalg.triangular_solve(r, t, left_side=False, lower=False)
    c = tnp.matmul(_t(q), dx_rinv)
    low = tnp.tril(c, -1)
    omega = low - _t(low)
    return [tnp.matmul(q, omega - c) + dx_rinv, tnp.matmul(c - omega, r)]


@defvjp("qr")
def _qr_vjp(ct, outs, a, *, full_matrices):
    _check_qr(a, full_matrices)
    q, r = outs
    ct_q, ct_r = _zeros_or(ct[0], q), _zeros_or(ct[1], r)
    m_ = tnp.matmul(ct_r, _t(r)) - tnp.matmul(_t(q), ct_q)
    ct_c = m_ - tnp.tril(m_ - _t(m_), -1)
    return (lax_linalg.triangular_solve(r, ct_q + tnp.matmul(q, ct_c), left_side=False,
                                        lower=False, transpose_a=True),)



# ---- solves and log-determinants from LU factors (numpy/factored.py) ----------------
# Differentiated through the matrix a, with the same factors: x = a^-1 b gives
# x' = a^-1 (b' - a' x), and back ct_b = a^-T ct, ct_a = -ct_b x^T (a^-T b: transposed).

@defjvp("lu_solve_call")
def _lu_solve_call_jvp(tangents, outs, *inputs, graph, transpose):
    a, lu, permutation, _ = inputs[-4:]
    ta, tb = tangents[-4], tangents[-1]
    (x,) = outs
    rhs = tb
    if ta is not None:
        term = tnp.matmul(_t(ta) if transpose else ta, x)
        rhs = -term if rhs is None else rhs - term
    if rhs is None:
        return [None]
    return [solve_with_factors(a, lu, permutation, rhs, transpose)]


@defvjp("lu_solve_call")
def _lu_solve_call_vjp(cts, outs, *inputs, graph, transpose):
    a, lu, permutation, _ = inputs[-4:]
    (ct,), (x,) = cts, outs
    if ct is None:
        return [None] * len(inputs)
    ct_b = solve_with_factors(a, lu, permutation, ct, not transpose)
    ct_a = -(tnp.matmul(x, _t(ct_b)) if transpose else tnp.matmul(ct_b, _t(x)))
    return [None] * (len(inputs) - 4) + [ct_a, None, None, ct_b]


def _inverse_transposed(a, lu, permutation):
    eye = tnp.broadcast_to(tnp.eye(a.shape[-1], dtype=a.dtype), a.shape)
    return solve_with_factors(a, lu, permutation, eye, transpose=True)


@defjvp("lu_logdet_call")
def _lu_logdet_call_jvp(tangents, outs, *inputs, graph):
    a, lu, permutation = inputs[-3:]
    ta = tangents[-3]
    if ta is None:
        return [None]
    # d log|det a| = tr(a^-1 a')
    return [tnp.trace(solve_with_factors(a, lu, permutation, ta), axis1=-2, axis2=-1)]


@defvjp("lu_logdet_call")
def _lu_logdet_call_vjp(cts, outs, *inputs, graph):
    a, lu, permutation = inputs[-3:]
    (ct,) = cts
    if ct is None:
        return [None] * len(inputs)
    ct_a = tnp.expand_dims(tnp.expand_dims(ct, -1), -1) * \
        _inverse_transposed(a, lu, permutation)
    return [None] * (len(inputs) - 3) + [ct_a, None, None]
