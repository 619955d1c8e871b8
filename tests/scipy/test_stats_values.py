"""tracegrad.scipy.stats on traced values == scipy.stats: float64 to rounding, float32
to float32's resolution (staying float32), through the interpreter and compiled, with
broadcasting, support edges and invalid parameters. SciPy's own answers the concrete
calls, which is checked too."""
import warnings

import numpy as np
import pytest
import scipy.stats

import tracegrad as tg
import tracegrad.scipy.stats as stats

from .stats_cases import DISTS, Accurate, cases

ORACLE = Accurate(scipy.stats)

METHODS = [pytest.param(d, m, id=f"{d.name}.{m}") for d in DISTS for m in d.methods]


def _quiet(fn, module, args):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # SciPy's inf - inf, ...
        return np.asarray(fn(module, *args))


def _oracle(fn, args):
    return _quiet(fn, ORACLE, [np.asarray(a, np.float64) for a in args])


def _check(got, want, rtol, atol, what):
    got = np.asarray(got)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != SciPy's {want.shape}"
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=f"{what}: NaNs")
    np.testing.assert_array_equal(np.isposinf(got), np.isposinf(want), err_msg=what)
    np.testing.assert_array_equal(np.isneginf(got), np.isneginf(want), err_msg=what)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True,
                               err_msg=what)


@pytest.mark.parametrize("dist, method", METHODS)
def test_float64_interpreted_and_compiled_match_scipy(dist, method):
    fn = dist.fn(method)
    all_cases = cases(dist, np.random.default_rng(0))
    many = tg.compile(lambda cs: [fn(stats, *c) for c in cs])(all_cases)
    for args, compiled in zip(all_cases, many):
        want = _oracle(fn, args)
        interpreted = tg.make_ir(lambda *a: fn(stats, *a))(*args).evaluate(*args)
        what = f"{dist.name}.{method}{tuple(np.shape(a) for a in args)}"
        _check(interpreted, want, 1e-13, 1e-14, what + " interpreted")
        _check(compiled, want, 1e-12, 1e-14, what + " compiled")
        assert np.asarray(compiled).dtype == np.float64
        np.testing.assert_array_equal(_quiet(fn, stats, args),  # concrete: SciPy's own
                                      _quiet(fn, scipy.stats, args))


@pytest.mark.parametrize("dist, method", METHODS)
def test_float32_stays_float32_and_matches_scipy(dist, method):
    fn = dist.fn(method)
    all_cases = cases(dist, np.random.default_rng(1), np.float32)
    many = tg.compile(lambda cs: [fn(stats, *c) for c in cs])(all_cases)
    for args, got in zip(all_cases, many):
        assert np.asarray(got).dtype == np.float32
        # float32 inputs carry a relative error of ~6e-8 each, amplified by |d log p|.
        _check(got, _oracle(fn, args), 2e-5, 2e-5, f"{dist.name}.{method} float32")


@pytest.mark.parametrize("dtype, lo", [(np.float64, -60.0), (np.float32, -30.0)])
def test_norm_logcdf_is_accurate_far_in_the_tail(dtype, lo):
    z = np.linspace(lo, 8.0, 301).astype(dtype)
    for method in ("logcdf", "logsf"):
        x = z if method == "logcdf" else -z
        got = tg.compile(getattr(stats.norm, method))(x)
        want = getattr(scipy.stats.norm, method)(x.astype(np.float64))
        assert got.dtype == dtype and np.all(np.isfinite(got))
        rtol = 1e-14 if dtype == np.float64 else 2e-6
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * 1e-2)


def test_poisson_matches_scipy_on_and_off_the_integers():
    k = np.array([-2.0, -1.0, 0.0, 1.0, 2.0, 2.5, 5.0, 17.0, 40.0])
    for mu, loc in [(0.0, 0), (np.array([[0.3], [4.0], [25.0], [-1.0]]), 0),
                    (np.array([2.0, 7.5, 0.0]), np.array([[0.0], [2.0]]))]:
        for method in ("logpmf", "pmf", "cdf", "logcdf", "sf", "logsf"):
            fn = getattr(stats.poisson, method)
            want = getattr(ORACLE.poisson, method)(k[..., None, None], mu, loc)
            got = tg.compile(lambda kk, m, l: fn(kk, m, l))(k[..., None, None], mu,
                                                              np.asarray(loc, float))
            _check(got, np.asarray(want), 1e-13, 1e-300, f"poisson.{method} mu={mu}")


def test_poisson_accepts_integer_counts():
    k = np.arange(6)
    got = tg.compile(lambda m: stats.poisson.logpmf(k, m))(np.float32(2.5))
    assert got.dtype == np.result_type(k, np.float32)     # NumPy's promotion: float64
    np.testing.assert_allclose(got, scipy.stats.poisson.logpmf(k, 2.5), rtol=1e-13)


def test_t_logpdf_for_large_and_infinite_df():
    # The lgamma difference would lose ~log10(df) digits; df = inf is the normal.
    x = np.array([0.3, -2.0, 7.0])[:, None]
    df = np.array([49.0, 51.0, 1e3, 1e6, 1e10, 1e15, np.inf])
    got = tg.compile(stats.t.logpdf)(x, df)
    np.testing.assert_allclose(got, scipy.stats.t.logpdf(x, df), rtol=1e-12)
    assert np.all(np.isfinite(tg.grad(lambda d: stats.t.logpdf(x, d).sum())(df)))


@pytest.mark.parametrize("scale", [np.array([-1.0, 0.0, 2.0]), 2.0, -1.0],
                         ids=["array", "positive", "negative"])
def test_concrete_parameters_with_a_traced_x(scale):
    x = np.array([0.5, -1.0, 3.0])
    for name, params in [("norm", ()), ("gamma", (2.0,)), ("t", (4.0,))]:
        f = lambda x: getattr(stats, name).logpdf(x, *params, 0.5, scale)   # noqa: E731
        want = _oracle(lambda s, x: getattr(s, name).logpdf(x, *params, 0.5, scale), (x,))
        _check(tg.compile(f)(x), want, 1e-13, 1e-14, f"{name} scale={scale}")
        x32 = x.astype(np.float32)
        assert tg.compile(f)(x32).dtype == np.result_type(x32, scale)


@pytest.mark.parametrize("name", ["gamma", "chi2"])
def test_gamma_family_ppf_and_isf_match_scipy_and_differentiate(name):
    q = np.array([0.0, 1e-300, 1e-20, 0.02, 0.5, 0.7, 0.999, 1.0, -0.1, 1.1, np.nan])
    shape = np.array([[0.5], [3.0], [-1.0]])
    for method in ("ppf", "isf"):
        fn = getattr(getattr(stats, name), method)
        got = tg.compile(fn)(q, shape, 0.3, 1.7)
        want = _oracle(lambda s, *a: getattr(getattr(s, name), method)(*a),
                       (q, shape, 0.3, 1.7))
        _check(got, want, 1e-12, 1e-300, f"{name}.{method}")
        tg.check_grads(fn, (np.array([0.05, 0.9]), 2.5, 0.3, 1.7), order=1,
                       modes=("rev",), eps=1e-7, rtol=1e-3)


def test_norm_ppf_and_isf_match_scipy_and_differentiate():
    q = np.array([0.0, 1e-300, 1e-20, 0.02, 0.5, 0.7, 0.999, 1.0, -0.1, 1.1, np.nan])
    loc, scale = np.array([[0.5], [-1.0]]), np.array([[2.0], [-1.0]])
    for method in ("ppf", "isf"):
        got = tg.compile(getattr(stats.norm, method))(q, loc, scale)
        _check(got, _oracle(lambda s, *a: getattr(s.norm, method)(*a), (q, loc, scale)),
               1e-13, 1e-14, f"norm.{method}")
        tg.check_grads(getattr(stats.norm, method), (np.array([0.05, 0.4, 0.9]), 0.3, 1.7),
                       modes=("rev", "fwd"), eps=1e-6)
