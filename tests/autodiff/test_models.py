"""Logistic regression and a 2-layer MLP on dict parameters: gradients equal to
hand-derived NumPy gradients within 1e-10 relative."""
import numpy as np

import tracegrad as tg


def _assert_close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-14)


def test_logistic_regression_gradient():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 4))
    y = rng.integers(0, 2, 50) * 2.0 - 1.0
    w = rng.standard_normal(4)

    def loss(w):
        return np.mean(np.logaddexp(0.0, -y * (X @ w)))

    margin = y * (X @ w)
    expected = X.T @ (-y / (1.0 + np.exp(margin))) / len(y)
    _assert_close(tg.grad(loss)(w), expected)


def test_two_layer_mlp_gradient_on_dict_params():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((8, 5))
    t = rng.standard_normal((8, 3))
    params = {"W1": rng.standard_normal((5, 6)), "b1": rng.standard_normal(6),
              "W2": rng.standard_normal((6, 3)), "b2": rng.standard_normal(3)}

    def loss(p):
        h = np.tanh(x @ p["W1"] + p["b1"])
        out = h @ p["W2"] + p["b2"]
        return 0.5 * np.mean(np.sum((out - t) ** 2, axis=1))

    h = np.tanh(x @ params["W1"] + params["b1"])
    out = h @ params["W2"] + params["b2"]
    d_out = (out - t) / len(x)
    d_h = d_out @ params["W2"].T * (1 - h**2)
    expected = {"W2": h.T @ d_out, "b2": d_out.sum(0), "W1": x.T @ d_h, "b1": d_h.sum(0)}
    g = tg.grad(loss)(params)
    for k in expected:
        _assert_close(g[k], expected[k])
    traced = tg.make_ir(tg.grad(loss))(params).evaluate(params)
    for k in expected:
        _assert_close(traced[k], expected[k])
