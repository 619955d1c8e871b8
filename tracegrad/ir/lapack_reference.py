"""LAPACK's getrf and BLAS's trsm for the reference interpreter (and so for eager
calls), through SciPy's wrappers of the same LAPACK that compiled programs call: NumPy
exposes neither, and the blocked NumPy versions this replaced were 3-5x slower.
(SciPy is a dependency already: Numba's own linear algebra needs it.)

getrf keeps an exact zero pivot (info > 0 is not an error here: the caller decides);
trsm never raises: a zero on the diagonal gives inf/NaN, as in compiled code."""
from __future__ import annotations

import numpy as np
from scipy.linalg import blas, lapack


def getrf(m):
    """(lu, pivots): m[perm] = L U, row i swapped with row pivots[i] in turn (0-based)."""
    (getrf_,) = lapack.get_lapack_funcs(("getrf",), (m,))
    lu, pivots, info = getrf_(m)
    if info < 0:
        raise ValueError(f"getrf: argument {-info} is invalid")
    return lu, pivots.astype(np.int32)


def trsm(a, b, left_side, lower, transpose_a, unit_diagonal):
    """x with op(a) x = b (left_side) or x op(a) = b, reading one triangle of a."""
    (trsm_,) = blas.get_blas_funcs(("trsm",), (a, b))
    with np.errstate(all="ignore"):
        return trsm_(1.0, a, b, side=0 if left_side else 1, lower=int(lower),
                     trans_a=int(transpose_a), diag=int(unit_diagonal))
