"""gamma and chi2 (= gamma(df/2, scale=2)): densities, and cdf, sf, their logs, ppf and
isf through tracegrad.scipy.special's regularized incomplete gamma functions and their
inverses."""
from __future__ import annotations

import numpy as np

from ... import numpy as tnp
from ..special import gammainc, gammaincc, gammainccinv, gammaincinv, gammaln
from ._common import Distribution, exp_of, finish, log_scale, safe, standardize, times_log


def _gamma_log_density(z, a, log_norm, rate):
    """(a - 1) log z - rate z - log_norm on z >= 0; -inf below (log 0)."""
    inside = tnp.greater_equal(z, 0)
    zs = safe(inside, z, 1.0)
    return tnp.where(inside, times_log(a - 1, zs) - rate * zs - log_norm, -np.inf)


def _gamma_logpdf(x, a, loc=0, scale=1):
    z, ok = standardize(x, loc, scale)
    ok = tnp.logical_and(ok, tnp.greater(a, 0))
    a = safe(ok, a, 1.0)
    out = _gamma_log_density(z, a, gammaln(a), 1.0) - log_scale(ok, scale)
    return finish(out, ok)


def _chi2_logpdf(x, df, loc=0, scale=1):
    z, ok = standardize(x, loc, scale)
    ok = tnp.logical_and(ok, tnp.greater(df, 0))
    k = 0.5 * safe(ok, df, 1.0)
    out = (_gamma_log_density(z, k, gammaln(k) + k * float(np.log(2.0)), 0.5)
           - log_scale(ok, scale))
    return finish(out, ok)


def incomplete(u, a, lower):
    """P(a, u) (lower) or Q(a, u) for u > 0; 0 or 1 at u <= 0, where the special
    function is not evaluated (its branch sees u = 1)."""
    positive = tnp.greater(u, 0)
    us = safe(positive, u, 1.0)
    inside = gammainc(a, us) if lower else gammaincc(a, us)
    return tnp.where(positive, inside, 0.0 if lower else 1.0)


def log_tail(u, a, lower):
    """log P(a, u) (lower) or log Q(a, u): log1p of minus the other tail where this one
    exceeds 1/2 (log of a value near 1 would keep only its rounding error)."""
    this, other = incomplete(u, a, lower), incomplete(u, a, not lower)
    near_one = tnp.greater(this, 0.5)
    return tnp.where(near_one, tnp.log1p(-safe(near_one, other, 0.0)),
                     tnp.log(safe(near_one, 1.0, this)))


def _tail(halve, lower, log):
    """gamma's (halve=False) or chi2's cdf, sf (lower=False) or their logs."""
    def method(x, p, loc=0, scale=1):
        z, ok = standardize(x, loc, scale)
        ok = tnp.logical_and(ok, tnp.greater(p, 0))
        p = safe(ok, p, 1.0)
        u, a = (0.5 * z, 0.5 * p) if halve else (z, p)
        return finish((log_tail if log else incomplete)(u, a, lower), ok)
    return method


def _quantile(halve, upper):
    """ppf (loc + scale * gammaincinv(a, q)) or isf (gammainccinv), chi2's at a = df/2
    times 2: NaN for q outside [0, 1] and invalid parameters."""
    def method(q, p, loc=0, scale=1):
        ok = tnp.logical_and(tnp.logical_and(tnp.greater(scale, 0), tnp.greater(p, 0)),
                             tnp.logical_and(tnp.greater_equal(q, 0), tnp.less_equal(q, 1)))
        a = safe(ok, p, 1.0)
        a = 0.5 * a if halve else a
        z = (gammainccinv if upper else gammaincinv)(a, safe(ok, q, 0.5))
        z = 2.0 * z if halve else z
        return finish(tnp.add(loc, tnp.multiply(scale, z)), ok)
    return method


def _tails(halve):
    return {"cdf": _tail(halve, True, False), "logcdf": _tail(halve, True, True),
            "sf": _tail(halve, False, False), "logsf": _tail(halve, False, True),
            "ppf": _quantile(halve, False), "isf": _quantile(halve, True)}


gamma = Distribution("gamma", logpdf=_gamma_logpdf, pdf=exp_of(_gamma_logpdf),
                     **_tails(halve=False))
chi2 = Distribution("chi2", logpdf=_chi2_logpdf, pdf=exp_of(_chi2_logpdf),
                    **_tails(halve=True))
