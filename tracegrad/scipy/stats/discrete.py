"""poisson's pmf, and its cdf and sf (regularized incomplete gamma functions of
floor(k) + 1 at mu), as compositions of traceable functions."""
from __future__ import annotations

import numpy as np

from ... import numpy as tnp
from ..special import gammaln, xlogy
from ._common import Distribution, finish, safe
from .gammas import incomplete, log_tail


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


def _tail(lower, log):
    """cdf = Q(floor(k) + 1, mu) (lower) or sf = P(floor(k) + 1, mu), and their logs;
    1 and 0 below k = 0 (the order swaps P and Q: a count's cdf is an upper tail in mu)."""
    def method(k, mu, loc=0):
        k = tnp.floor(tnp.subtract(k, loc))
        ok = tnp.greater_equal(mu, 0)
        counted = tnp.greater_equal(k, 0)
        a = safe(counted, k, 0.0) + 1.0
        # P(a, mu) is the lower tail in mu: sf is P, cdf is Q.
        out = (log_tail if log else incomplete)(safe(ok, mu, 1.0), a, not lower)
        below = (-np.inf, 0.0) if lower else (0.0, 1.0)       # (log, value) below k = 0
        out = tnp.where(counted, out, below[0] if log else below[1])
        return finish(out, ok)
    return method


poisson = Distribution("poisson", logpmf=_poisson_logpmf, pmf=_poisson_pmf,
                       cdf=_tail(True, False), logcdf=_tail(True, True),
                       sf=_tail(False, False), logsf=_tail(False, True))
