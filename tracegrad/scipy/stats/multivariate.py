"""multivariate_normal and dirichlet densities as compositions of traceable functions."""
from __future__ import annotations

import numpy as np

from ... import numpy as tnp
from ...numpy import _core
from ..linalg import solve_triangular
from ..special import gammaln
from ._common import Distribution, as_float, times_log

_LOG_2PI = float(np.log(2 * np.pi))


def _squeeze_output(out):
    """SciPy drops every length-1 axis of a multivariate density's result."""
    return tnp.reshape(out, tuple(n for n in tnp.shape(out) if n != 1))


def _mvn_parameters(mean, cov):
    """(mean (d,), cov (d, d)) from SciPy's accepted forms: mean None or broadcastable to
    (d,); cov a scalar (times the identity), a vector (the diagonal) or a matrix."""
    cov = as_float(cov)
    if mean is None:
        dim = 1 if tnp.ndim(cov) == 0 else tnp.shape(cov)[0]
        mean = tnp.zeros(dim, dtype=cov.dtype)
    mean = as_float(mean)
    dim = tnp.size(mean) if tnp.ndim(mean) else (1 if tnp.ndim(cov) == 0 else
                                                 tnp.shape(cov)[0])
    mean = tnp.broadcast_to(tnp.reshape(mean, (-1,)), (dim,))
    if tnp.ndim(cov) == 0:
        cov = cov * tnp.eye(dim, dtype=cov.dtype)
    elif tnp.ndim(cov) == 1:
        cov = tnp.diag(tnp.broadcast_to(cov, (dim,)))
    if tnp.shape(cov) != (dim, dim):
        raise ValueError(f"multivariate_normal: cov has shape {tnp.shape(cov)}, "
                         f"expected ({dim}, {dim}) for a mean of {dim} entries")
    return mean, cov


def _mvn_logpdf(x, mean=None, cov=1, allow_singular=False):
    """Cholesky-based: with cov = L L^T, the log density is -(d log 2 pi + 2 sum log
    diag L + |L^-1 (x - mean)|^2) / 2. A cov that is not positive definite gives NaN
    (SciPy raises; a traced value cannot be checked before it is known)."""
    if allow_singular:
        raise _core.unsupported("multivariate_normal with allow_singular=True",
                                "Pass a positive definite cov.")
    mean, cov = _mvn_parameters(mean, cov)
    dim = tnp.shape(mean)[0]
    x = as_float(x)
    if tnp.ndim(x) == 0:
        x = tnp.reshape(x, (1,))
    elif tnp.ndim(x) == 1:
        x = tnp.reshape(x, (-1, 1) if dim == 1 else (1, -1))
    batch = tnp.shape(x)[:-1]
    dev = tnp.reshape(tnp.subtract(x, mean), (-1, dim))
    chol = tnp.linalg.cholesky(cov)
    # One triangular solve for all points: L Z = dev^T.
    white = solve_triangular(chol, tnp.transpose(dev), lower=True)
    maha = tnp.sum(tnp.square(white), axis=0)
    log_det = 2.0 * tnp.sum(tnp.log(tnp.diagonal(chol)))
    out = -0.5 * (dim * _LOG_2PI + log_det + maha)
    return _squeeze_output(tnp.reshape(out, batch))


def _mvn_pdf(x, mean=None, cov=1, allow_singular=False):
    return tnp.exp(_mvn_logpdf(x, mean, cov, allow_singular))


multivariate_normal = Distribution("multivariate_normal", logpdf=_mvn_logpdf,
                                   pdf=_mvn_pdf)


def _dirichlet_logpdf(x, alpha):
    """sum (alpha_i - 1) log x_i - log B(alpha), components on x's first axis (SciPy's
    layout; x with one entry fewer than alpha gets 1 - sum as its last). SciPy raises
    for x off the simplex; on traced values that cannot be checked, so x must lie on
    it (entries outside [0, 1] give -inf)."""
    alpha = as_float(alpha)
    x = as_float(x)
    if tnp.ndim(alpha) != 1:
        raise ValueError("dirichlet: alpha must be one-dimensional")
    k = tnp.shape(alpha)[0]
    if tnp.shape(x)[0] == k - 1:
        x = tnp.concatenate([x, 1.0 - tnp.sum(x, axis=0, keepdims=True)], axis=0)
    elif tnp.shape(x)[0] != k:
        raise ValueError(f"dirichlet: x has {tnp.shape(x)[0]} entries on its first axis; "
                         f"alpha has {k}")
    a = tnp.reshape(alpha, (k,) + (1,) * (tnp.ndim(x) - 1))
    inside = tnp.all(tnp.logical_and(tnp.greater_equal(x, 0), tnp.less_equal(x, 1)),
                     axis=0)
    log_b = tnp.sum(gammaln(alpha)) - gammaln(tnp.sum(alpha))
    out = tnp.sum(times_log(a - 1, tnp.where(inside, x, 0.5)), axis=0) - log_b
    out = tnp.where(inside, out, -np.inf)
    return _squeeze_output(out)


def _dirichlet_pdf(x, alpha):
    return tnp.exp(_dirichlet_logpdf(x, alpha))


dirichlet = Distribution("dirichlet", logpdf=_dirichlet_logpdf, pdf=_dirichlet_pdf)
