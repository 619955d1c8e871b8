"""Op-table rows for the scipy.special functions composed from other primitives (gamma
family, normal distribution, erfcx, softmax): SciPy's ufuncs dispatch on traced values;
SciPy's plain Python functions (softmax, multigammaln) are called through
tracegrad.scipy.special on tracers, so those rows do not dispatch."""
import numpy as np
import scipy.special as sp

import tracegrad.scipy.special as tsp

from .op_table import Row, binary, unary
from .rows_full import with_edges

NAN, INF = np.nan, np.inf


def _sp(xp):
    return sp if xp is np else tsp


def _matrices(rng, dtype):
    return [(rng.uniform(-3, 3, s).astype(dtype),) for s in ((5,), (3, 4), (2, 3, 4))] + [
        (np.array([[-800.0, 0.0, 3.0], [1e-3, 50.0, 800.0]], dtype=dtype),)]


# Both sides of the switch from power series to asymptotic series at |x| = 20.
_bessel_cases = with_edges([0.0, -0.0, 19.99, 20.0, 20.01, -25.0, 700.0, 720.0, INF, -INF,
                            NAN], -30.0, 30.0)

def with_pairs(pairs):
    """One case of the given (a, b) pairs."""
    def cases(rng, dtype):
        a, b = np.array(pairs, dtype=np.float64).T
        return [(a.astype(dtype), b.astype(dtype))]
    return cases


def _ternary(low, high, xlow, xhigh):
    """(a, b, x): a and b in [low, high), x in [xlow, xhigh), broadcasting both ways."""
    def cases(rng, dtype):
        return [tuple(rng.uniform(lo, hi, s).astype(dtype) for (lo, hi), s in
                      zip(((low, high), (low, high), (xlow, xhigh)), shapes))
                for shapes in (((), (), ()), ((5,), (5,), (5,)), ((3, 1), (4,), (3, 4)),
                               ((0,), (), (1,)), ((2, 3), (), (2, 1)))]
    return cases


def with_triples(triples):
    """One case of the given (a, b, x) triples."""
    def cases(rng, dtype):
        return [tuple(a.astype(dtype) for a in np.array(triples, dtype=np.float64).T)]
    return cases


# Each region of J and Y: the power series below 1, Miller's recurrence, Hankel's expansion
# from 20 (orders up to 8), both signs, and the edges.
_jy_cases = with_edges([0.0, -0.0, 1e-300, 0.999, 1.0, 19.99, 20.0, 20.01,
                        2.404825557695773, -7.5, 1e4, INF, -INF, NAN], -30.0, 30.0,
                       shapes=[(), (0,), (5,), (3, 1), (2, 3, 4)])
_jy_grad = unary(0.2, 30.0, shapes=[(4,), (2, 3)])


ROWS = [
    Row("sp_gamma", lambda xp, x: sp.gamma(x),
        with_edges([0.0, -0.0, -1.0, -2.5, -0.5, 0.5, 3.0, 150.0, INF, -INF, NAN],
                   -4.5, 6.0),
        grad_cases=unary(0.2, 5.0)),
    Row("sp_gammasgn", lambda xp, x: sp.gammasgn(x),
        with_edges([0.0, -0.0, -1.0, -2.5, -1.5, 0.5, 200.0, INF, -INF, NAN], -6.0, 6.0),
        grad_cases=with_edges([-2.5, -1.5, 0.5, 3.0], -0.9, 6.0), grad_order=1),
    # 1 / Gamma by the reflection below 1/2: zeros at the poles, with their derivative.
    Row("sp_rgamma", lambda xp, x: sp.rgamma(x),
        with_edges([0.0, -0.0, -1.0, -2.0, -2.5, 0.5, 0.49999, 171.7, -180.3, INF, -INF,
                    NAN], -6.0, 6.0),
        grad_cases=with_edges([0.0, -1.0, -2.0, -3.0], -5.0, 5.0)),
    Row("sp_beta", lambda xp, a, b: sp.beta(a, b), binary(0.2, 5.0, 0.2, 5.0),
        grad_argnums=(0, 1)),
    Row("sp_beta_negative", lambda xp, a, b: sp.beta(a, b),
        binary(-2.9, -2.1, 0.6, 0.9), grad_argnums=(0, 1)),
    Row("sp_betaln", lambda xp, a, b: sp.betaln(a, b), binary(0.2, 8.0, 0.2, 8.0),
        grad_argnums=(0, 1)),
    # Stirling's form (an argument >= 10), where SciPy is right to 2e-14.
    Row("sp_betaln_large", lambda xp, a, b: sp.betaln(a, b),
        binary(10.0, 1000.0, 0.2, 1000.0), grad_argnums=(0, 1), rtol=1e-13, atol=1e-12),
    Row("sp_beta_large", lambda xp, a, b: sp.beta(a, b),
        with_pairs([(10.0, 1.0), (1e6, 1.0), (12.0, 0.5), (50.0, 3.0), (INF, 2.0)]),
        grad_cases=with_pairs([(10.0, 1.0), (12.0, 0.5), (50.0, 3.0)]),
        grad_argnums=(0, 1)),
    Row("sp_gammainc", lambda xp, a, x: sp.gammainc(a, x), binary(0.3, 10.0, 0.01, 20.0),
        grad_argnums=(0, 1), grad_order=1),
    Row("sp_gammaincc", lambda xp, a, x: sp.gammaincc(a, x), binary(0.3, 10.0, 0.01, 20.0),
        grad_argnums=(0, 1), grad_order=1),
    Row("sp_gammainc_edges", lambda xp, a, x: (sp.gammainc(a, x), sp.gammaincc(a, x)),
        with_pairs([(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (-1.0, 1.0), (1.0, -1.0),
                    (1.0, INF), (NAN, 1.0), (1.0, NAN), (50.0, 51.0), (2.0, 3.0)]),
        grad_order=0),
    # float64 only: SciPy's float32 betainc computes in single precision (off by up to
    # 1e-5); tracegrad's computes in double and rounds once (test_special_names.py).
    Row("sp_betainc", lambda xp, a, b, x: sp.betainc(a, b, x),
        _ternary(0.2, 12.0, 0.01, 0.99),
        grad_argnums=(0, 1, 2), grad_order=1, rtol=1e-12, atol=1e-14, dtypes=(np.float64,)),
    Row("sp_betaincc", lambda xp, a, b, x: sp.betaincc(a, b, x),
        _ternary(0.5, 60.0, 0.01, 0.99), grad_argnums=(0, 1, 2), grad_order=1, rtol=1e-12,
        atol=1e-14, dtypes=(np.float64,)),
    Row("sp_betainc_edges", lambda xp, a, b, x: (sp.betainc(a, b, x), sp.betaincc(a, b, x)),
        with_triples([(0.0, 1.0, 0.5), (1.0, 0.0, 0.5), (0.0, 0.0, 0.5), (0.0, 1.0, 0.0),
                      (1.0, 0.0, 1.0), (2.0, 3.0, 0.0), (2.0, 3.0, 1.0), (2.0, 3.0, -0.1),
                      (2.0, 3.0, 1.1), (-1.0, 2.0, 0.5), (INF, 2.0, 0.5), (2.0, INF, 0.5),
                      (NAN, 1.0, 0.5), (1.0, 1.0, NAN), (0.5, 0.5, 0.0),
                      (300.0, 200.0, 0.6), (1e-3, 1e-3, 0.5)]),
        grad_order=0, rtol=1e-11, atol=1e-14, dtypes=(np.float64,)),
    # The root is searched on constants; two Newton steps carry the derivatives.
    Row("sp_gammaincinv", lambda xp, a, p: (sp.gammaincinv(a, p), sp.gammainccinv(a, p)),
        binary(0.3, 20.0, 0.02, 0.98, [((), ()), ((4,), (4,)), ((2, 1), (3,))]),
        grad_cases=binary(0.3, 20.0, 0.02, 0.98, [((2,), (2,))]), grad_argnums=(0, 1),
        grad_order=1, rtol=1e-12, atol=1e-14, dtypes=(np.float64,)),
    Row("sp_gammaincinv_edges", lambda xp, a, p: (sp.gammaincinv(a, p),
                                                   sp.gammainccinv(a, p)),
        with_pairs([(1.0, 0.0), (1.0, 1.0), (0.0, 0.5), (-1.0, 0.5), (2.0, -0.1),
                    (2.0, 1.1), (NAN, 0.5), (2.0, NAN), (INF, 0.5), (2.0, 1e-300),
                    (0.1, 1e-300), (1e-3, 0.5), (50.0, 0.999999), (3.0, 1e-200)]),
        grad_order=0, rtol=1e-12, atol=1e-300, dtypes=(np.float64,)),
    Row("sp_zeta_hurwitz", lambda xp, x, q: sp.zeta(x, q), binary(1.1, 12.0, 0.05, 10.0),
        grad_argnums=(0, 1), grad_order=1),
    Row("sp_zeta_hurwitz_edges", lambda xp, x, q: sp.zeta(x, q),
        with_pairs([(1.0, 1.0), (0.5, 1.0), (2.0, -1.0), (1.5, 0.0), (INF, 1.0),
                    (INF, 0.5), (INF, 2.0), (NAN, 1.0), (2.0, NAN), (1.0000001, 3.0)]),
        grad_order=0),
    # Through the functional equation below 0 (products of large factors: 1e-12).
    Row("sp_zeta", lambda xp, x: sp.zeta(x),
        with_edges([1.0, 0.0, -2.0, -1.0, 0.5, 0.9999999, -20.0, -21.0, INF, -INF, NAN],
                   -12.0, 30.0), grad_cases=unary(-8.0, 0.9), rtol=1e-12, atol=1e-13,
        grad_order=1),
    Row("sp_multigammaln", lambda xp, x: _sp(xp).multigammaln(x, 3), unary(1.2, 6.0),
        dispatches=False),
    Row("sp_erfcx", lambda xp, x: sp.erfcx(x),
        with_edges([-30.0, -5.0, 0.0, 9.99, 10.0, 10.01, 50.0, 1e300, INF, -INF, NAN],
                   -3.0, 15.0)),
    Row("sp_ndtr", lambda xp, x: sp.ndtr(x),
        with_edges([-40.0, -8.0, -1.0, 0.0, 1.0, 8.0, 40.0, INF, -INF, NAN], -5.0, 5.0)),
    Row("sp_log_ndtr", lambda xp, x: sp.log_ndtr(x),
        with_edges([-40.0, -20.0, -1.0, -0.5, 0.0, 6.0, 10.0, INF, -INF, NAN], -8.0, 8.0)),
    Row("sp_erfcinv", lambda xp, y: sp.erfcinv(y),
        with_edges([0.0, 2.0, 1.0, 1e-300, 1e-17, 1e-16, 1e-10, 1.999, -0.5, 2.5, NAN],
                   0.01, 1.99),
        grad_cases=unary(0.05, 1.95)),
    # The Newton tail below 1e-16, reached through exp so that finite differences in x
    # mean something.
    Row("sp_erfcinv_tail", lambda xp, x: sp.erfcinv(xp.exp(x)),
        with_edges([-700.0, -460.0, -100.0, -37.0], -700.0, -37.0), dtypes=(np.float64,)),
    Row("sp_ndtri", lambda xp, p: sp.ndtri(p),
        with_edges([0.0, 1.0, 0.5, 1e-300, 1e-20, 0.999, -0.5, 1.5, NAN], 0.001, 0.999),
        grad_cases=unary(0.02, 0.98)),
    Row("sp_j0", lambda xp, x: sp.j0(x), _jy_cases, grad_cases=_jy_grad),
    Row("sp_j1", lambda xp, x: sp.j1(x), _jy_cases, grad_cases=_jy_grad),
    Row("sp_y0", lambda xp, x: sp.y0(x), _jy_cases, grad_cases=_jy_grad),
    Row("sp_y1", lambda xp, x: sp.y1(x), _jy_cases, grad_cases=_jy_grad),
    Row("sp_jn", lambda xp, x: (sp.jn(3, x), sp.jn(-2, x)), _jy_cases, grad_cases=_jy_grad),
    Row("sp_yn", lambda xp, x: sp.yn(4, x), _jy_cases, grad_cases=_jy_grad),
    # Non-integer orders: NaN below 0; orders broadcast against x.
    Row("sp_jv", lambda xp, x: (sp.jv(2.5, x), sp.jv(np.array([[0.3], [1.0], [7.7]]), x)),
        with_edges([0.0, 1e-300, 0.999, 1.0, 20.0, 20.01, -2.0, 1e4, INF, NAN], 0.0, 30.0,
                   shapes=[(), (4,), (2, 1, 3)]),
        grad_cases=unary(0.2, 30.0, shapes=[(4,)]), rtol=1e-13, atol=3e-14),
    # Real orders (SciPy's AMOS ive is off by up to 3e-14 there; this is within 1e-15 of
    # mpmath), integer orders with both signs of x, an order array.
    Row("sp_iv", lambda xp, x: (sp.iv(2.5, x), sp.iv(np.array([[0.3], [1.0], [-2.0]]), x)),
        with_edges([0.0, 1e-8, 19.99, 20.0, 20.01, -3.0, 700.0, INF, NAN], 0.0, 30.0,
                   shapes=[(), (4,), (2, 1, 3)]),
        grad_cases=unary(0.2, 30.0, shapes=[(4,)]), rtol=5e-14, atol=1e-300),
    Row("sp_ive", lambda xp, x: (sp.ive(0.3, x), sp.ive(3, x)),
        with_edges([0.0, 1e-300, 19.99, 20.0, 20.01, -3.0, -25.0, 720.0, INF, NAN], -30.0,
                   30.0, shapes=[(), (4,), (2, 3)]),
        grad_cases=unary(0.2, 30.0, shapes=[(4,)]), rtol=5e-14, atol=1e-300),
    Row("sp_i0", lambda xp, x: sp.i0(x), _bessel_cases),
    Row("sp_i0e", lambda xp, x: sp.i0e(x), _bessel_cases),
    Row("sp_i1", lambda xp, x: sp.i1(x), _bessel_cases),
    Row("sp_i1e", lambda xp, x: sp.i1e(x), _bessel_cases),
    Row("sp_polygamma_1", lambda xp, x: _sp(xp).polygamma(1, x),
        with_edges([0.0, -1.0, -2.5, 1.0, 30.0, INF, NAN], 0.1, 20.0),
        grad_cases=unary(0.2, 10.0), dispatches=False),
    Row("sp_polygamma_3", lambda xp, x: _sp(xp).polygamma(3, x), unary(0.3, 15.0),
        rtol=1e-11, atol=1e-12, dispatches=False),
    Row("sp_logsumexp_b", lambda xp, a, b: _sp(xp).logsumexp(a, axis=-1, b=b),
        binary(-3.0, 3.0, 0.1, 2.0, [((3, 4), (4,)), ((2, 3, 4), (2, 3, 4)), ((5,), ())]),
        grad_argnums=(0, 1), dispatches=False),
    Row("sp_logsumexp_sign", lambda xp, a, b: _sp(xp).logsumexp(a, axis=0, b=b,
                                                                 return_sign=True),
        binary(-3.0, 3.0, -2.0, -0.5, [((3, 4), (3, 4)), ((6,), (6,))]),
        grad_argnums=(0, 1), dispatches=False),
    Row("sp_log_expit", lambda xp, x: sp.log_expit(x),
        with_edges([-800.0, 800.0, 0.0, NAN, INF, -INF], -30.0, 30.0)),
    Row("sp_softmax", lambda xp, x: _sp(xp).softmax(x), _matrices, dispatches=False),
    Row("sp_softmax_axis", lambda xp, x: _sp(xp).softmax(x, axis=-1), _matrices,
        dispatches=False),
    Row("sp_log_softmax", lambda xp, x: _sp(xp).log_softmax(x, axis=0), _matrices,
        dispatches=False),
]
