"""Univariate continuous distributions of scipy.stats as compositions of traceable
functions: norm (with cdf, sf, their logs, ppf and isf), t and beta (cdf, sf and their
logs through the regularized incomplete beta function). gamma and chi2 are in
gammas.py."""
from __future__ import annotations

import numpy as np

from ... import lax
from ... import numpy as tnp
from ..special import betainc, betaincc, erfc, gammaln, ndtri, xlog1py
from ._common import (Distribution, exp_of, finish, log_scale, safe, standardize,
                      times_log)

_HALF_LOG_2PI = 0.5 * float(np.log(2 * np.pi))   # Python floats keep float32 float32


# -- norm -------------------------------------------------------------------------------

def _norm_logpdf(x, loc=0, scale=1):
    z, ok = standardize(x, loc, scale)
    out = -0.5 * tnp.square(z) - _HALF_LOG_2PI - log_scale(ok, scale)
    return finish(out, ok)


def _ndtr(z):
    return 0.5 * erfc(-z * 0.5 ** 0.5)


def _log_ndtr(z):
    """log Phi(z), accurate on the whole line: above 0, log1p(-Phi(-z)) (log Phi(z) would
    round Phi(z) to 1); below a threshold, where Phi(z) underflows (float64 near -37,
    float32 near -13), the asymptotic series -z^2/2 - log(-z) - log(2 pi)/2 +
    log(1 - 1/z^2 + 3/z^4 - ...), whose 12 terms are exact to the dtype's resolution
    there. Each branch sees only inputs it is finite on, so gradients stay finite."""
    threshold = -10.0 if tnp.asarray(z).dtype == np.float32 else -20.0
    upper, tail = tnp.greater(z, 0), tnp.less(z, threshold)
    above = tnp.log1p(-_ndtr(-safe(upper, z, 1.0)))
    middle = tnp.log(_ndtr(safe(tnp.logical_or(upper, tail), -1.0, z)))
    zt = safe(tail, z, threshold)
    inv = 1.0 / tnp.square(zt)
    series, term = 1.0, 1.0
    for k in range(1, 13):
        term = -term * (2 * k - 1) * inv
        series = series + term
    below = -0.5 * tnp.square(zt) - tnp.log(-zt) - _HALF_LOG_2PI + tnp.log(series)
    return tnp.where(upper, above, tnp.where(tail, below, middle))


def _norm_cdf(x, loc=0, scale=1):
    z, ok = standardize(x, loc, scale)
    return finish(_ndtr(z), ok, True)


def _norm_logcdf(x, loc=0, scale=1):
    z, ok = standardize(x, loc, scale)
    return finish(_log_ndtr(z), ok, True)


def _norm_sf(x, loc=0, scale=1):
    z, ok = standardize(x, loc, scale)
    return finish(_ndtr(-z), ok, True)


def _norm_logsf(x, loc=0, scale=1):
    z, ok = standardize(x, loc, scale)
    return finish(_log_ndtr(-z), ok, True)


def _quantile(upper):
    def method(q, loc=0, scale=1):
        """loc + scale * ndtri(q) (ppf) or loc - scale * ndtri(q) (isf): NaN for q
        outside [0, 1] and scale <= 0, -inf and inf at the ends."""
        ok = tnp.logical_and(tnp.greater(scale, 0), tnp.logical_and(
            tnp.greater_equal(q, 0), tnp.less_equal(q, 1)))
        z = ndtri(safe(ok, q, 0.5))
        return finish(tnp.add(loc, tnp.multiply(scale, -z if upper else z)), ok)
    return method


norm = Distribution("norm", logpdf=_norm_logpdf, pdf=exp_of(_norm_logpdf),
                    cdf=_norm_cdf, logcdf=_norm_logcdf, sf=_norm_sf, logsf=_norm_logsf,
                    ppf=_quantile(False), isf=_quantile(True))


# -- t ----------------------------------------------------------------------------------

def _t_log_norm(df):
    """log Gamma((df+1)/2) - log Gamma(df/2) - log(df pi)/2. For df > 50 the two
    lgammas would cancel (losing ~log10(df) digits): there the asymptotic series of
    log(Gamma(a + 1/2) / Gamma(a)) - log(a)/2 in a = df/2, exact to 1e-16 from a = 25."""
    large = tnp.greater(df, 50.0)
    a = 0.5 * safe(large, df, 100.0)
    inv = 1.0 / a
    inv2 = tnp.square(inv)
    series = inv * (-1 / 8 + inv2 * (1 / 192 + inv2 * (-1 / 640 + inv2 * (
        17 / 14336 - inv2 * 31 / 18432))))
    asymptotic = series - _HALF_LOG_2PI
    d = safe(large, 1.0, df)
    direct = gammaln(0.5 * (d + 1)) - gammaln(0.5 * d) - 0.5 * tnp.log(np.pi * d)
    return tnp.where(large, asymptotic, direct)


def _t_logpdf(x, df, loc=0, scale=1):
    """df = inf is the normal distribution, as in SciPy."""
    z, ok = standardize(x, loc, scale)
    ok = tnp.logical_and(ok, tnp.greater(df, 0))
    normal = tnp.equal(df, np.inf)
    df = safe(tnp.logical_and(ok, tnp.logical_not(normal)), df, 1.0)
    out = _t_log_norm(df) - 0.5 * (df + 1) * tnp.log1p(tnp.square(z) / df)
    out = tnp.where(normal, -0.5 * tnp.square(z) - _HALF_LOG_2PI, out)
    return finish(out - log_scale(ok, scale), ok)


def _t_tail(z, df):
    """P(T > |z|) = I_(df / (df + z^2))(df / 2, 1 / 2) / 2, taken as betaincc(1/2, df/2,
    z^2 / (df + z^2)) where z^2 < df (there the first argument would round near 1)."""
    z2 = tnp.square(z)
    near = tnp.less(z2, df)
    # Each form sees arguments in its range only (z = inf only in the far one).
    zn, zf = safe(near, z2, 0.5), safe(near, 1.0, z2)
    df_near, df_far = safe(near, df, 1.0), safe(near, 1.0, df)
    inner = betaincc(0.5, 0.5 * df_near, zn / (df_near + zn))
    outer = betainc(0.5 * df_far, 0.5, df_far / (df_far + zf))
    return 0.5 * tnp.where(near, inner, outer)


def _t_tails(log, lower):
    def method(x, df, loc=0, scale=1):
        """df = inf is the normal distribution, as in SciPy."""
        z, ok = standardize(x, loc, scale)
        ok = tnp.logical_and(ok, tnp.greater(df, 0))
        normal = tnp.equal(df, np.inf)
        d = safe(tnp.logical_and(ok, tnp.logical_not(normal)), df, 1.0)
        # The upper tail is P(T > z): the tail beyond |z| for z > 0, its complement below.
        s = z if lower else -z
        positive = tnp.greater(s, 0)
        tail = _t_tail(z, d)
        if log:
            out = tnp.where(positive, tnp.log1p(-tail), tnp.log(tail))
            gauss = _log_ndtr(s)
        else:
            out = tnp.where(positive, 1.0 - tail, tail)
            gauss = _ndtr(s)
        # At z = 0 the tail is a function of z^2, whose derivative there is 0: add a term
        # that is exactly 0 but has the derivative in z, the density (over 1/2 for logs).
        at_zero = tnp.equal(z, 0)
        slope = tnp.exp(_t_log_norm(d)) * ((2.0 if log else 1.0) * (1.0 if lower else -1.0))
        out = out + tnp.where(at_zero, (z - lax.stop_gradient(z)) * slope, 0.0)
        out = tnp.where(normal, gauss, out)
        return finish(out, ok)
    return method


t = Distribution("t", logpdf=_t_logpdf, pdf=exp_of(_t_logpdf),
                 cdf=_t_tails(False, True), logcdf=_t_tails(True, True),
                 sf=_t_tails(False, False), logsf=_t_tails(True, False))


# -- beta -------------------------------------------------------------------------------

def _beta_logpdf(x, a, b, loc=0, scale=1):
    z, ok = standardize(x, loc, scale)
    ok = tnp.logical_and(ok, tnp.logical_and(tnp.greater(a, 0), tnp.greater(b, 0)))
    a, b = safe(ok, a, 1.0), safe(ok, b, 1.0)
    inside = tnp.logical_and(tnp.greater_equal(z, 0), tnp.less_equal(z, 1))
    zs = safe(inside, z, 0.5)
    betaln = gammaln(a) + gammaln(b) - gammaln(a + b)
    out = (times_log(a - 1, zs) + times_log(b - 1, -zs, tnp.log1p, xlog1py, -1.0)
           - betaln - log_scale(ok, scale))
    return finish(out, ok, inside)


def _beta_tails(log, lower):
    def method(x, a, b, loc=0, scale=1):
        """I_z(a, b) (cdf) or 1 - I_z(a, b) (sf) on [0, 1], the ends outside; the logs as
        log1p of minus the other tail where a tail exceeds 1/2."""
        z, ok = standardize(x, loc, scale)
        ok = tnp.logical_and(ok, tnp.logical_and(tnp.greater(a, 0), tnp.greater(b, 0)))
        a, b = safe(ok, a, 1.0), safe(ok, b, 1.0)
        inside = tnp.logical_and(tnp.greater(z, 0), tnp.less(z, 1))
        zs = safe(inside, z, 0.5)
        this = (betainc if lower else betaincc)(a, b, zs)
        if log:
            other = (betaincc if lower else betainc)(a, b, zs)
            near_one = tnp.greater(this, 0.5)
            this = tnp.where(near_one, tnp.log1p(-safe(near_one, other, 0.0)),
                             tnp.log(safe(near_one, 1.0, this)))
        above = tnp.greater_equal(z, 1)
        beyond = (0.0 if lower else -np.inf) if log else (1.0 if lower else 0.0)
        before = (-np.inf if lower else 0.0) if log else (0.0 if lower else 1.0)
        # (One scalar per where: where(c, 1.0, 0.0) would be float64, as NumPy's.)
        out = tnp.where(above, beyond, tnp.where(inside, this, before))
        return finish(tnp.where(tnp.isnan(z), np.nan, out), ok)
    return method


beta = Distribution("beta", logpdf=_beta_logpdf, pdf=exp_of(_beta_logpdf),
                    cdf=_beta_tails(False, True), logcdf=_beta_tails(True, True),
                    sf=_beta_tails(False, False), logsf=_beta_tails(True, False))
