"""tracegrad.nn and tracegrad.scipy.special against SciPy and NumPy closed forms, on
NumPy arrays and traced; numerical stability at extreme inputs; gradients of the
sorting and special-function primitives against SciPy's derivatives."""
import math

import numpy as np
import pytest
import scipy.special as sp

import tracegrad as tg
import tracegrad.autodiff  # noqa: F401  (VJP rules of sort/lgamma/polygamma)
import tracegrad.nn as nn
import tracegrad.numpy as tnp
import tracegrad.scipy.special as tsp

rng = np.random.default_rng(0)
X = rng.normal(scale=3.0, size=(4, 5))
_vec_erf = np.vectorize(math.erf)


def both(fn, *args):
    """fn on NumPy arrays and fn traced then evaluated."""
    return fn(*args), tg.make_ir(fn)(*args).evaluate(*args)


NN_CASES = {
    "relu": (nn.relu, lambda x: np.maximum(x, 0)),
    "relu6": (nn.relu6, lambda x: np.clip(x, 0, 6)),
    "leaky_relu": (lambda x: nn.leaky_relu(x, 0.2), lambda x: np.where(x >= 0, x, 0.2 * x)),
    "elu": (nn.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    "selu": (nn.selu, lambda x: 1.0507009873554805 * np.where(
        x > 0, x, 1.6732632423543772 * np.expm1(x))),
    "gelu_tanh": (nn.gelu, lambda x: 0.5 * x * (1 + np.tanh(
        np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))),
    "gelu_exact": (lambda x: nn.gelu(x, approximate=False),
                   lambda x: 0.5 * x * (1 + _vec_erf(x / np.sqrt(2)))),
    "silu": (nn.silu, lambda x: x * sp.expit(x)),
    "swish": (nn.swish, lambda x: x * sp.expit(x)),
    "sigmoid": (nn.sigmoid, sp.expit),
    "log_sigmoid": (nn.log_sigmoid, sp.log_expit),
    "softplus": (nn.softplus, lambda x: np.logaddexp(x, 0)),
    "softmax": (nn.softmax, lambda x: sp.softmax(x, axis=-1)),
    "softmax_axis0": (lambda x: nn.softmax(x, axis=0), lambda x: sp.softmax(x, axis=0)),
    "log_softmax": (nn.log_softmax, lambda x: sp.log_softmax(x, axis=-1)),
    "logsumexp": (lambda x: nn.logsumexp(x, axis=1), lambda x: sp.logsumexp(x, axis=1)),
    "standardize": (nn.standardize, lambda x: (x - x.mean(-1, keepdims=True)) /
                    np.sqrt(x.var(-1, keepdims=True) + 1e-5)),
}


@pytest.mark.parametrize("name", sorted(NN_CASES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nn_matches_closed_form(name, dtype):
    fn, reference = NN_CASES[name]
    x = X.astype(dtype)
    expected = reference(X).astype(dtype)
    tol = 2e-6 if dtype == np.float32 else 1e-12
    for got in both(fn, x):
        assert np.asarray(got).dtype == dtype
        np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)


def test_nn_stable_at_extremes():
    x = np.array([[1000.0, 0.0, -1000.0], [-1e308, 5.0, 1e3]])
    for got in both(lambda x: nn.log_softmax(x), x):
        np.testing.assert_allclose(got, sp.log_softmax(x, axis=-1))
    for got in both(lambda x: nn.softmax(x), x):
        np.testing.assert_allclose(got, sp.softmax(x, axis=-1))
    for got in both(lambda x: nn.logsumexp(x, axis=-1, keepdims=True), x):
        np.testing.assert_allclose(got, sp.logsumexp(x, axis=-1, keepdims=True))
    big = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    for got in both(nn.softplus, big):
        np.testing.assert_allclose(got, np.logaddexp(big, 0))
    for got in both(nn.log_sigmoid, big):
        np.testing.assert_allclose(got, sp.log_expit(big))


def test_one_hot():
    labels = np.array([[0, 2], [3, 1]])
    expected = np.eye(3)[np.minimum(labels, 2)] * (labels < 3)[..., None]
    for got in both(lambda l: nn.one_hot(l, 3), labels):
        np.testing.assert_array_equal(got, expected)
    got = tg.make_ir(lambda l: nn.one_hot(l, 3, axis=0))(labels).evaluate(labels)
    np.testing.assert_array_equal(got, np.moveaxis(expected, -1, 0))


def test_logsumexp_b_and_sign():
    a = rng.normal(size=(3, 4))
    b = rng.normal(size=(3, 4))
    want = sp.logsumexp(a, axis=0, b=b, return_sign=True)
    got = tg.make_ir(lambda a, b: tsp.logsumexp(a, axis=0, b=b, return_sign=True))(
        a, b).evaluate(a, b)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
    np.testing.assert_array_equal(got[1], want[1])
    assert tsp.logsumexp(a, b=b, return_sign=True)[1] == want[1].dtype.type(
        sp.logsumexp(a, b=b, return_sign=True)[1])


SPECIAL = {
    "expit": (tsp.expit, sp.expit, [-800.0, -3.0, 0.0, 2.0, 800.0, np.nan]),
    "logit": (tsp.logit, sp.logit, [0.0, 0.01, 0.5, 0.9, 1.0, 2.0, np.nan]),
    "erf": (tsp.erf, sp.erf, [-3.0, -0.5, 0.0, 0.7, 4.0, np.inf]),
    "erfc": (tsp.erfc, sp.erfc, [-3.0, -0.5, 0.0, 0.7, 4.0, 30.0]),
    "gammaln": (tsp.gammaln, sp.gammaln,
                [-2.5, -1.0, 0.0, 1e-8, 0.5, 1.0, 3.7, 171.5, 1e10, np.inf]),
    "digamma": (tsp.digamma, sp.digamma, [-2.5, -0.3, 0.0, 1e-3, 1.0, 7.5, 1e5, np.inf]),
    "entr": (tsp.entr, sp.entr, [-1.0, 0.0, 1e-300, 0.5, 1.0, 7.0, np.inf, np.nan]),
}


@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_special_unary(name):
    ours, theirs, values = SPECIAL[name]
    x = np.array(values)
    expected = theirs(x)
    for got in both(ours, x):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-300)
    # SciPy's ufunc itself dispatches on traced values.
    np.testing.assert_allclose(tg.make_ir(theirs)(x).evaluate(x), expected, rtol=1e-12)


@pytest.mark.parametrize("fn", ["xlogy", "xlog1py"])
def test_special_x_log(fn):
    x = np.array([0.0, 0.0, 0.0, 2.0, -1.5, 3.0])
    y = np.array([0.0, np.nan, -1.0, 3.0, 0.5, -0.5])
    expected = getattr(sp, fn)(x, y)
    for got in both(getattr(tsp, fn), x, y):
        np.testing.assert_allclose(got, expected, rtol=1e-13)


def test_polygamma_orders():
    x = np.array([-2.5, 0.3, 1.0, 4.2, 40.0])
    for n in range(4):
        got = tg.make_ir(lambda x: tsp.polygamma(n, x))(x).evaluate(x)
        np.testing.assert_allclose(got, sp.polygamma(n, x), rtol=1e-10)


def test_gradients_of_new_primitives():
    x = np.array([0.7, 2.5, 4.0, 11.0])
    np.testing.assert_allclose(tg.grad(lambda x: tnp.sum(tsp.gammaln(x)))(x),
                               sp.digamma(x), rtol=1e-12)
    second = tg.grad(lambda x: tnp.sum(tg.grad(lambda y: tnp.sum(tsp.digamma(y)))(x)))(x)
    np.testing.assert_allclose(second, sp.polygamma(2, x), rtol=1e-10)
    weights = np.array([1.0, 10.0, 100.0, 1000.0])
    y = np.array([3.0, -1.0, 2.0, 0.5])
    # The sorted position's weight goes back to the element that landed there.
    np.testing.assert_allclose(tg.grad(lambda y: tnp.sum(tnp.sort(y) * weights))(y),
                               [1000.0, 1.0, 100.0, 10.0])
    np.testing.assert_allclose(tg.grad(lambda x: tsp.logsumexp(x))(x), sp.softmax(x),
                               rtol=1e-12)
    # xlogy at x = 0 has the finite gradient log(y) in x and zero in y, never NaN.
    gx, gy = tg.grad(lambda x, y: tnp.sum(tsp.xlogy(x, y)), argnums=(0, 1))(
        np.zeros(2), np.array([0.0, 2.0]))
    assert np.all(np.isfinite(gy)) and np.all(gy == 0)
