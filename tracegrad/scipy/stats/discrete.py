"""poisson's pmf as a composition of traceable functions. Its cdf is a regularized upper
incomplete gamma function, which tracegrad.scipy.special does not have yet."""
from __future__ import annotations

import numpy as np

from ... import numpy as tnp
from ..special import gammaln, xlogy
from ._common import Distribution, finish, safe


def _poisson_logpmf(k, mu, loc=0):
    """k log mu - log k! - mu on the non-negative integers (log 0 = -inf elsewhere, as in
    SciPy); differentiable in mu."""
    k = tnp.subtract(k, loc)
    ok = tnp.greater_equal(mu, 0)
    mu = safe(ok, mu, 1.0)
    support = tnp.logical_and(tnp.greater_equal(k, 0), tnp.equal(tnp.floor(k), k))
    ks = safe(support, k, 0)
    out = xlogy(ks, mu) - gammaln(ks + 1.0) - mu
    return finish(out, ok, support)


def _poisson_pmf(k, mu, loc=0):
    return tnp.exp(_poisson_logpmf(k, mu, loc))


poisson = Distribution("poisson", logpmf=_poisson_logpmf, pmf=_poisson_pmf)
