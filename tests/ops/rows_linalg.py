"""Op-table rows for numpy.linalg and scipy.linalg (tracegrad.numpy.linalg,
tracegrad.scipy.linalg). Inputs are well conditioned (diagonally weighted general
matrices, symmetric positive definite ones for cholesky/eigh, distinct spectra), stacks
broadcast, and eigenvectors and singular vectors are compared after fixing their signs
(each column made positive in its first row), so the rows are sign-invariant as the
gradient checks need; det has a singular case (its gradient is the cofactor matrix)."""
import numpy as np
import scipy.linalg as sl

import tracegrad as tg
import tracegrad.scipy.linalg as tsl

from .op_table import Row

def general(*shapes):
    """One case per list of shapes: normal entries, plus n on the diagonal of a square
    first argument (well conditioned)."""
    def cases(rng, dtype):
        out = []
        for case in shapes:
            args = [rng.normal(size=s) for s in case]
            if args[0].shape[-1] == args[0].shape[-2]:
                args[0] = args[0] + case[0][-1] * np.eye(case[0][-1])
            out.append(tuple(x.astype(dtype) for x in args))
        return out
    return cases


def spd(*shapes):
    """Symmetric positive definite matrices with distinct eigenvalues."""
    def cases(rng, dtype):
        out = []
        for s in shapes:
            a = rng.normal(size=s)
            out.append(((a @ np.swapaxes(a, -1, -2) + s[-1] * np.eye(s[-1])).astype(dtype),))
        return out
    return cases


def fixed(*cases_):
    return lambda rng, dtype: [tuple(np.asarray(a, dtype) for a in c) for c in cases_]


def signs(v):
    """Columns of v with a positive first row (eigenvectors and singular vectors are
    unique up to sign)."""
    return v * np.sign(v[..., :1, :])


def scipy_or_ours(xp, args):
    """scipy.linalg on NumPy arguments, tracegrad.scipy.linalg otherwise."""
    if xp is np and not any(isinstance(a, tg.Tracer) for a in args):
        return sl
    return tsl


LOOSE = dict(rtol=1e-9, atol=1e-11)     # float64: LAPACK and the NumPy reference round apart
TOL32 = dict(rtol=2e-4, atol=2e-5)


def row(name, fn, cases, **kw):
    """A row whose float32 tolerance is looser (LAPACK in float32)."""
    return [Row(name, fn, cases, dtypes=(np.float64,), **{**LOOSE, **kw}),
            Row(name + "[f32]", fn, cases, dtypes=(np.float32,), grad_order=0,
                **{**TOL32, **{k: v for k, v in kw.items() if k not in ("grad_order", "rtol", "atol")}})]


ROWS = [
    *row("linalg.solve", lambda xp, a, b: xp.linalg.solve(a, b),
         general([(3, 3), (3, 2)], [(2, 4, 4), (4,)], [(2, 1, 3, 3), (4, 3, 2)]),
         grad_argnums=(0, 1)),
    *row("linalg.inv", lambda xp, a: xp.linalg.inv(a), general([(3, 3)], [(2, 4, 4)])),
    *row("linalg.det", lambda xp, a: xp.linalg.det(a), general([(3, 3)], [(2, 4, 4)])),
    # Singular (rank n-1): the gradient is the cofactor matrix; its derivative there is
    # not defined by the LU-based rule (as in JAX), so first order only.
    *row("linalg.det_singular", lambda xp, a: xp.linalg.det(a),
         fixed([[[1.0, 2.0], [2.0, 4.0]]], [[[2.0, 1.0, 0.0], [4.0, 2.0, 0.0], [1.0, 1.0, 1.0]]]),
         grad_order=1),
    *row("linalg.slogdet", lambda xp, a: tuple(xp.linalg.slogdet(a)),
         general([(3, 3)], [(2, 4, 4)])),
    *row("linalg.cholesky", lambda xp, a: (xp.linalg.cholesky(a),
                                           xp.linalg.cholesky(a, upper=True)),
         spd((3, 3), (2, 4, 4))),
    *row("linalg.eigh", lambda xp, a: (xp.linalg.eigh(a)[0], signs(xp.linalg.eigh(a)[1]),
                                       signs(xp.linalg.eigh(a, UPLO="U")[1])),
         spd((3, 3), (2, 4, 4))),
    *row("linalg.eigvalsh", lambda xp, a: xp.linalg.eigvalsh(a), spd((4, 4), (2, 3, 3))),
    *row("linalg.svd", lambda xp, a: (lambda u, s, vt: (signs(u), s, signs(
        np.swapaxes(vt, -1, -2))))(*xp.linalg.svd(a, full_matrices=a.shape[-1] == a.shape[-2])),
         general([(2, 3, 3)], [(5, 3)], [(3, 5)])),
    *row("linalg.svdvals", lambda xp, a: xp.linalg.svd(a, compute_uv=False),
         general([(2, 3, 3)], [(5, 3)], [(3, 5)])),
    *row("linalg.qr", lambda xp, a: tuple(xp.linalg.qr(a)) + (xp.linalg.qr(a, mode="r"),),
         general([(5, 3)], [(2, 3, 3)])),
    *row("linalg.qr_complete", lambda xp, a: tuple(xp.linalg.qr(a, mode="complete")),
         general([(5, 3)], [(3, 5)]), grad_order=0),
    *row("linalg.pinv", lambda xp, a: xp.linalg.pinv(a), general([(5, 3)], [(2, 3, 4)])),
    *row("linalg.lstsq", lambda xp, a, b: (lambda x, r, k, s: (x, r, s))(
        *xp.linalg.lstsq(a, b)), general([(5, 3), (5,)], [(5, 3), (5, 2)], [(3, 4), (3,)]),
         grad_argnums=(0, 1)),
    *row("linalg.matrix_power", lambda xp, a: (xp.linalg.matrix_power(a, 3),
                                               xp.linalg.matrix_power(a, -2),
                                               xp.linalg.matrix_power(a, 0)),
         general([(3, 3)], [(2, 2, 2)])),
    *row("linalg.norm_spectral", lambda xp, a: (
        xp.linalg.norm(a, 2, axis=(1, 2)), xp.linalg.norm(a, -2, axis=(2, 1)),
        xp.linalg.norm(a, "nuc", axis=(0, 2), keepdims=True)), general([(2, 3, 4)])),
    *row("linalg.tensorinv", lambda xp, a: xp.linalg.tensorinv(a, ind=2),
         lambda rng, dt: [((rng.normal(size=(6, 6)) + 6 * np.eye(6)).reshape(2, 3, 6)
                           .astype(dt),)]),
    *row("linalg.tensorsolve", lambda xp, a, b: xp.linalg.tensorsolve(a, b),
         lambda rng, dt: [((rng.normal(size=(6, 6)) + 6 * np.eye(6)).reshape(2, 3, 2, 3)
                           .astype(dt), rng.normal(size=(2, 3)).astype(dt))],
         grad_argnums=(0, 1)),
    *row("scipy.linalg.solve_triangular", lambda xp, a, b: (
        scipy_or_ours(xp, (a, b)).solve_triangular(a, b, lower=True),
        scipy_or_ours(xp, (a, b)).solve_triangular(a, b, trans=1, unit_diagonal=True)),
        general([(3, 3), (3,)], [(4, 4), (4, 2)]), grad_argnums=(0, 1), dispatches=False),
    *row("scipy.linalg.cho_solve", lambda xp, a, b: (
        np.tril(scipy_or_ours(xp, (a, b)).cho_factor(a, lower=True)[0]),
        scipy_or_ours(xp, (a, b)).cho_solve(scipy_or_ours(xp, (a, b)).cho_factor(a), b)),
        lambda rng, dt: [spd(s)(rng, dt)[0] + (rng.normal(size=r).astype(dt),)
                         for s, r in (((3, 3), (3,)), ((4, 4), (4, 2)))],
        grad_argnums=(0, 1), dispatches=False),
    *row("scipy.linalg.lu_solve", lambda xp, a, b: (
        scipy_or_ours(xp, (a, b)).lu_factor(a)[0],
        scipy_or_ours(xp, (a, b)).lu_solve(scipy_or_ours(xp, (a, b)).lu_factor(a), b),
        scipy_or_ours(xp, (a, b)).lu_solve(scipy_or_ours(xp, (a, b)).lu_factor(a), b,
                                           trans=1)),
        general([(3, 3), (3,)], [(4, 4), (4, 2)]), grad_argnums=(0, 1), dispatches=False),
    Row("scipy.linalg.lu_factor_pivots",
        lambda xp, a: scipy_or_ours(xp, (a,)).lu_factor(a)[1],
        general([(3, 3)], [(5, 5)]), grad_order=0, dispatches=False),
    *row("scipy.linalg.expm", lambda xp, a: scipy_or_ours(xp, (a,)).expm(a),
         lambda rng, dt: [((0.3 * rng.normal(size=(3, 3))).astype(dt),),   # no squaring
                          ((3.0 * rng.normal(size=(4, 4))).astype(dt),)],  # squarings
         dispatches=False),
]
