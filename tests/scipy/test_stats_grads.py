"""Derivatives of tracegrad.scipy.stats w.r.t. x and every parameter == central finite
differences (first order, reverse and forward mode; second order in reverse), and
gradients stay finite where a masked-out branch would be infinite."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.scipy.stats as stats

from .stats_cases import DISTS, TAILS, smooth_cases

METHODS = [pytest.param(d, m, id=f"{d.name}.{m}") for d in DISTS for m in d.methods]


@pytest.mark.parametrize("mode", ["rev", "fwd"])
@pytest.mark.parametrize("dist, method", METHODS)
def test_derivatives_match_finite_differences(dist, method, mode):
    fn = dist.fn(method)
    # The tails of t and beta go through betainc's 120-level continued fraction: second
    # order eagerly takes long, and betainc's own op-table row checks it.
    deep = dist.name in ("t", "beta") and method in TAILS
    for args in smooth_cases(dist, np.random.default_rng(2)):
        tg.check_grads(lambda *a: fn(stats, *a), args,
                       order=1 if mode == "fwd" or deep else 2,
                       modes=(mode,), atol=1e-5, rtol=1e-4, eps=1e-6)


def test_poisson_derivatives_in_mu_match_finite_differences():
    k = np.array([0.0, 1.0, 3.0, 8.0])[:, None]
    for method in ("logpmf", "cdf", "logcdf", "sf", "logsf"):
        fn = getattr(stats.poisson, method)
        tg.check_grads(lambda mu: fn(k, mu), (np.array([0.4, 2.0, 9.0]),),  # noqa: B023
                       modes=("rev", "fwd"), eps=1e-6)


def test_norm_logcdf_gradient_is_finite_and_right_in_the_far_tail():
    # d/dz log Phi(z) = phi(z) / Phi(z) ~ -z for z -> -inf; 0 for z -> +inf.
    z = np.array([-200.0, -40.0, -20.5, -19.5, -5.0, 0.0, 5.0, 40.0])
    g = tg.grad(lambda z: stats.norm.logcdf(z).sum())(z)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g[:2], -z[:2] + 1 / -z[:2], rtol=1e-4)
    assert g[-1] == 0.0
    tg.check_grads(stats.norm.logcdf, (z[1:-1],), modes=("rev", "fwd"), eps=1e-6)


@pytest.mark.parametrize("name, params", [("gamma", (1.0,)), ("chi2", (2.0,)),
                                          ("beta", (1.0, 2.5)), ("beta", (3.0, 1.0))])
def test_derivatives_where_an_exponent_is_zero(name, params):
    # gamma(a=1), chi2(df=2), beta(a or b = 1): the exponent of x (or 1 - x) is 0, where
    # the derivative in the parameter is still log x.
    x = np.array([0.2, 0.5, 0.9]) * (1 if name == "beta" else 4)
    tg.check_grads(lambda x, *p: getattr(stats, name).logpdf(x, *p), (x,) + params,
                   modes=("rev", "fwd"), eps=1e-6)


@pytest.mark.parametrize("dist", [d for d in DISTS if d.name in ("gamma", "chi2", "beta")],
                         ids=lambda d: d.name)
def test_gradients_off_the_support_are_zero_not_nan(dist):
    # log p = -inf off the support; its derivative in every argument is 0 there, and the
    # masked-out log(x < 0) must not leak NaN into the parameters' gradients.
    params = (2.5, 3.0)[: len(dist.shapes(np.random.default_rng(0), ()))]
    x = np.array([-0.5, 1.5 if dist.name == "beta" else -2.0])
    grads = tg.grad(lambda x, *p: getattr(stats, dist.name).logpdf(x, *p).sum(),
                    argnums=tuple(range(1 + len(params))))(x, *params)
    for g in grads:
        np.testing.assert_array_equal(g, np.zeros_like(g))


def test_t_tails_have_the_density_as_derivative_at_the_centre():
    # The tails are functions of z^2 there; the derivative at z = 0 is still the density.
    import scipy.stats
    loc, scale = 0.5, 2.0
    density = scipy.stats.t.pdf(loc, 3.5, loc, scale)
    for method, want in [("cdf", density), ("sf", -density), ("logcdf", 2 * density),
                         ("logsf", -2 * density)]:
        g = tg.grad(lambda x: getattr(stats.t, method)(x, 3.5, loc, scale))(loc)  # noqa: B023
        np.testing.assert_allclose(g, want, rtol=1e-13)
