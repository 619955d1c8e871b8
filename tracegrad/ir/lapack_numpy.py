"""LAPACK's getrf and trsm in NumPy (the IR depends on NumPy only, and NumPy exposes
neither): blocked, so the work is in NumPy's matrix products and small solves.

getrf is LAPACK's algorithm (partial pivoting, the first largest entry of a column is
its pivot, an exact zero pivot is kept), so pivots and factors agree with LAPACK's up to
rounding. trsm never raises: a zero on the diagonal gives inf/NaN, as LAPACK's trsm."""
from __future__ import annotations

import numpy as np

BLOCK = 64


def getrf(m):
    """(lu, pivots): m[perm] = L U, row i swapped with row pivots[i] in turn (0-based)."""
    a = np.array(m, copy=True)
    n = a.shape[0]
    pivots = np.arange(n, dtype=np.int32)
    for j0 in range(0, n, BLOCK):
        j1 = min(j0 + BLOCK, n)
        for j in range(j0, j1):             # the panel, one column at a time
            p = j + int(np.argmax(np.abs(a[j:, j])))
            pivots[j] = p
            if p != j:
                a[[j, p]] = a[[p, j]]
            if a[j, j] != 0:
                a[j + 1:, j] /= a[j, j]
            a[j + 1:, j + 1:j1] -= np.outer(a[j + 1:, j], a[j, j + 1:j1])
        if j1 < n:                          # U12 = L11^-1 A12, then the trailing update
            unit_lower = np.tril(a[j0:j1, j0:j1], -1) + np.eye(j1 - j0, dtype=a.dtype)
            a[j0:j1, j1:] = _solve_block(unit_lower, a[j0:j1, j1:], lower=True)
            a[j1:, j1:] -= a[j1:, j0:j1] @ a[j0:j1, j1:]
    return a, pivots


def trsm(a, b, left_side, lower, transpose_a, unit_diagonal):
    """x with op(a) x = b (left_side) or x op(a) = b, reading one triangle of a."""
    t = np.tril(a) if lower else np.triu(a)
    if unit_diagonal:
        t = t.copy()
        np.fill_diagonal(t, 1)
    if transpose_a:
        t, lower = t.T, not lower
    if not left_side:                       # x t = b  <=>  t^T x^T = b^T
        return _substitute(t.T, b.T, not lower).T
    return _substitute(t, b, lower)


def _substitute(t, b, lower):
    """Block forward (lower) or back substitution."""
    n = t.shape[0]
    x = np.empty(np.broadcast_shapes(b.shape), np.result_type(t, b))
    starts = list(range(0, n, BLOCK))
    for i0 in (starts if lower else reversed(starts)):
        i1 = min(i0 + BLOCK, n)
        done = slice(0, i0) if lower else slice(i1, n)
        rhs = b[i0:i1] - t[i0:i1, done] @ x[done]
        x[i0:i1] = _solve_block(t[i0:i1, i0:i1], rhs, lower)
    return x


def _solve_block(t, rhs, lower):
    try:
        return np.linalg.solve(t, rhs)
    except np.linalg.LinAlgError:           # a zero on the diagonal: substitute (inf/NaN)
        x = np.empty_like(rhs)
        order = range(len(t)) if lower else reversed(range(len(t)))
        with np.errstate(all="ignore"):
            for i in order:
                known = slice(0, i) if lower else slice(i + 1, len(t))
                x[i] = (rhs[i] - t[i, known] @ x[known]) / t[i, i]
        return x
