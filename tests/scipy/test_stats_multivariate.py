"""multivariate_normal and dirichlet from tracegrad.scipy.stats: values == scipy.stats in
SciPy's accepted argument forms and output shapes, compiled == interpreted, float32
stays float32, derivatives == central finite differences."""
import numpy as np
import pytest
import scipy.stats

import tracegrad as tg
import tracegrad.scipy.stats as stats


def _spd(rng, d):
    a = rng.normal(size=(d, d))
    return a @ a.T + d * np.eye(d)


def _mvn_cases(rng):
    """(x, mean, cov): SciPy's forms of mean (None, scalar, vector) and cov (scalar,
    diagonal, matrix) and x's shapes (one point, a batch, a stack, d == 1)."""
    m3, c3 = rng.normal(size=3), _spd(rng, 3)
    return [(rng.normal(size=(6, 3)), m3, c3), (rng.normal(size=3), m3, c3),
            (rng.normal(size=(2, 4, 3)), m3, c3), (rng.normal(size=(1, 3)), m3, c3),
            (rng.normal(size=(5, 3)), None, c3), (rng.normal(size=(5, 3)), m3, 2.5),
            (rng.normal(size=(5, 3)), m3, np.array([0.5, 1.0, 3.0])),
            (rng.normal(size=7), 0.5, 2.0),
            (rng.normal(size=(4, 1)), np.array([0.2]), np.array([[1.5]])),
            (np.float64(0.3), 0.0, 1.0)]


def _call(method, x, mean, cov):
    return getattr(stats.multivariate_normal, method)(x, mean, cov)


@pytest.mark.parametrize("method", ["logpdf", "pdf"])
def test_mvn_matches_scipy_in_every_argument_form(method):
    for x, mean, cov in _mvn_cases(np.random.default_rng(0)):
        want = getattr(scipy.stats.multivariate_normal, method)(x, mean, cov)
        f = lambda x, c: _call(method, x, mean, c)              # noqa: E731
        compiled = tg.compile(f)(x, cov)
        interpreted = tg.make_ir(f)(x, cov).evaluate(x, cov)
        for got in (compiled, interpreted):
            assert np.shape(got) == np.shape(want), (np.shape(x), np.shape(cov))
            np.testing.assert_allclose(got, want, rtol=1e-12)


def test_mvn_float32_stays_float32():
    rng = np.random.default_rng(1)
    x, mean, cov = rng.normal(size=(50, 4)), rng.normal(size=4), _spd(rng, 4)
    got = tg.compile(stats.multivariate_normal.logpdf)(*(a.astype(np.float32)
                                                         for a in (x, mean, cov)))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, scipy.stats.multivariate_normal.logpdf(x, mean, cov),
                               rtol=1e-5)


def test_mvn_derivatives_in_x_mean_and_a_cholesky_factor():
    rng = np.random.default_rng(2)
    x, mean = rng.normal(size=(5, 3)), rng.normal(size=3)
    factor = np.tril(rng.normal(size=(3, 3))) + 2 * np.eye(3)

    def f(x, mean, factor):
        return stats.multivariate_normal.logpdf(x, mean, factor @ factor.T)
    tg.check_grads(f, (x, mean, factor), order=2, modes=("rev", "fwd"), eps=1e-6)


def test_mvn_rejects_allow_singular_on_traced_values():
    with pytest.raises(tg.UnsupportedError, match="allow_singular"):
        tg.make_ir(lambda x: stats.multivariate_normal.logpdf(x, allow_singular=True))(
            np.zeros(2))


def _dirichlet_cases(rng):
    alpha = np.array([0.7, 2.0, 3.5, 1.0])
    x = rng.dirichlet(alpha, size=5).T
    return alpha, [x, x[:, 0], x[:3], x[:, :1]]      # SciPy's layouts, one fewer entry


@pytest.mark.parametrize("method", ["logpdf", "pdf"])
def test_dirichlet_matches_scipy(method):
    alpha, xs = _dirichlet_cases(np.random.default_rng(3))
    for x in xs:
        f = getattr(stats.dirichlet, method)
        want = getattr(scipy.stats.dirichlet, method)(x, alpha)
        for got in (tg.compile(f)(x, alpha), tg.make_ir(f)(x, alpha).evaluate(x, alpha)):
            assert np.shape(got) == np.shape(want)
            np.testing.assert_allclose(got, want, rtol=1e-12)
    got32 = tg.compile(stats.dirichlet.logpdf)(xs[0].astype(np.float32),
                                               alpha.astype(np.float32))
    assert got32.dtype == np.float32
    np.testing.assert_allclose(got32, scipy.stats.dirichlet.logpdf(xs[0], alpha),
                               rtol=1e-5)


def test_dirichlet_off_the_simplex_box_is_minus_inf():
    got = tg.compile(stats.dirichlet.logpdf)(np.array([[0.5, 1.2], [0.5, -0.2]]),
                                             np.array([2.0, 2.0]))
    assert np.isfinite(got[0]) and got[1] == -np.inf


def test_dirichlet_derivatives_in_x_and_alpha():
    # Compiled, so finite differences evaluate the composite: SciPy's own would reject
    # the perturbed points, which leave the simplex.
    alpha, xs = _dirichlet_cases(np.random.default_rng(4))
    tg.check_grads(tg.compile(stats.dirichlet.logpdf), (xs[0], alpha), order=2,
                   modes=("rev", "fwd"), eps=1e-7, rtol=1e-4, atol=1e-5)


def test_frozen_distributions_bind_traced_parameters():
    rng = np.random.default_rng(5)
    x, mean, cov = rng.normal(size=(4, 2)), rng.normal(size=2), _spd(rng, 2)
    pairs = [(lambda p: stats.norm(p[0], scale=p[1]).logcdf(x[:, 0]),
              scipy.stats.norm(mean[0], scale=cov[0, 0]).logcdf(x[:, 0])),
             (lambda p: stats.gamma(p[1], loc=p[0]).pdf(x[:, 1] + 3),
              scipy.stats.gamma(cov[0, 0], loc=mean[0]).pdf(x[:, 1] + 3)),
             (lambda p: stats.poisson(p[1]).logpmf(np.arange(4.0)),
              scipy.stats.poisson(cov[0, 0]).logpmf(np.arange(4.0)))]
    for f, want in pairs:
        np.testing.assert_allclose(tg.compile(f)((mean[0], cov[0, 0])), want, rtol=1e-12)
    got = tg.compile(lambda m, c: stats.multivariate_normal(m, c).logpdf(x))(mean, cov)
    np.testing.assert_allclose(got, scipy.stats.multivariate_normal(mean, cov).logpdf(x),
                               rtol=1e-12)
    assert repr(stats.norm(0.0, 1.0)) == "<frozen tracegrad.scipy.stats.norm>"


def test_parameters_may_be_lists_holding_traced_values():
    x = np.ones((3, 2))
    got = tg.compile(lambda m0, c: stats.multivariate_normal.logpdf(
        x, [m0, 1.0], [[c, 0.0], [0.0, 1.0]]))(0.5, 2.0)
    want = scipy.stats.multivariate_normal.logpdf(x, [0.5, 1.0], [[2.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(got, want, rtol=1e-13)
