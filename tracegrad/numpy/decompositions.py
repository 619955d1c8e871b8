"""numpy.linalg's decompositions on traced values: cholesky, eigh, eigvalsh, svd, qr.
Results are NumPy's named tuples. Derivatives: docs/numpy.md (eigenvectors and singular
vectors are differentiable where the spectrum is distinct, as in JAX)."""
from __future__ import annotations

import numpy as np
from numpy.linalg import _linalg as _np_linalg

from ..lax import linalg as lax_linalg
from ._core import implements, unsupported
from .linalg_common import check_positive_definite, float_matrices
from .shape import swapaxes


def _lower_of(a, uplo):
    """The matrix whose lower triangle holds what NumPy reads for `UPLO`."""
    if uplo not in ("L", "U"):
        raise ValueError("UPLO argument must be 'L' or 'U'")
    return a if uplo == "L" else swapaxes(a, -1, -2)


@implements(np.linalg.cholesky)
def cholesky(a, /, *, upper=False):
    (a,) = float_matrices(a, name="cholesky")
    # upper=True reads the upper triangle (NumPy's UPLO='U'): U = cholesky(a^T)^T
    factor = lax_linalg.cholesky(swapaxes(a, -1, -2) if upper else a)
    check_positive_definite(a, factor)
    return swapaxes(factor, -1, -2) if upper else factor


@implements(np.linalg.eigh)
def eigh(a, UPLO="L"):
    (a,) = float_matrices(a, name="eigh")
    v, w = lax_linalg.eigh(_lower_of(a, UPLO))
    return _np_linalg.EighResult(w, v)


@implements(np.linalg.eigvalsh)
def eigvalsh(a, UPLO="L"):
    return eigh(a, UPLO).eigenvalues


@implements(np.linalg.svd)
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    # hermitian=True is a hint for speed in NumPy; the general SVD gives the same
    # singular values (singular vectors may differ in sign).
    (a,) = float_matrices(a, square=False, name="svd")
    if not compute_uv:
        return lax_linalg.svd(a, compute_uv=False)
    u, s, vh = lax_linalg.svd(a, full_matrices=full_matrices)
    return _np_linalg.SVDResult(u, s, vh)


@implements(np.linalg.qr)
def qr(a, mode="reduced"):
    if mode not in ("reduced", "complete", "r"):
        if mode == "raw":
            raise unsupported("numpy.linalg.qr(..., mode='raw')",
                              "Use mode='reduced', 'complete' or 'r'.")
        raise ValueError(f"Unrecognized mode '{mode}'")
    (a,) = float_matrices(a, square=False, name="qr")
    q, r = lax_linalg.qr(a, full_matrices=mode == "complete")
    return r if mode == "r" else _np_linalg.QRResult(q, r)
