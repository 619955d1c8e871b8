"""grad of grad of grad: closed forms for polynomials and sin/exp chains."""
import numpy as np
import pytest

import tracegrad as tg


@pytest.mark.parametrize("x", [-1.5, 0.0, 0.7, 2.0])
def test_third_order_polynomial(x):
    f = lambda x: 3 * x**4 - 2 * x**3 + x - 5
    d1, d2, d3 = tg.grad(f), tg.grad(tg.grad(f)), tg.grad(tg.grad(tg.grad(f)))
    assert np.isclose(d1(x), 12 * x**3 - 6 * x**2 + 1)
    assert np.isclose(d2(x), 36 * x**2 - 12 * x)
    assert np.isclose(d3(x), 72 * x - 12)


@pytest.mark.parametrize("x", [-1.0, 0.3, 1.2])
def test_third_order_sin_exp_chain(x):
    f = lambda x: np.sin(np.exp(x))
    d3 = tg.grad(tg.grad(tg.grad(f)))(x)
    e = np.exp(x)
    # d/dx sin(e^x) = e cos(e); second: e cos(e) - e^2 sin(e);
    # third: e cos(e) - e^2 sin e - 2 e^2 sin(e) - e^3 cos(e)
    expected = e * np.cos(e) - 3 * e**2 * np.sin(e) - e**3 * np.cos(e)
    assert np.isclose(d3, expected, rtol=1e-12)


def test_grad_of_value_and_grad():
    f = lambda x: np.sum(x**3)
    def g(x):
        value, grad = tg.value_and_grad(f)(x)
        return value + np.sum(grad)
    x = np.array([1.0, -2.0])
    np.testing.assert_allclose(tg.grad(g)(x), 3 * x**2 + 6 * x)


def test_second_order_on_vectors_matches_hessian_closed_form():
    f = lambda x: np.exp(x[0] * x[1]) + np.sum(x**2)
    x = np.array([0.5, -0.3])
    h = tg.hessian(f)(x)
    a, b = x
    e = np.exp(a * b)
    np.testing.assert_allclose(h, [[b * b * e + 2, e + a * b * e],
                                   [e + a * b * e, a * a * e + 2]], rtol=1e-12)


def test_jvp_matches_vjp():
    f = lambda x: np.tanh(x) * np.sum(x)
    x, v = np.array([0.1, 0.5, -0.3]), np.array([1.0, -2.0, 0.5])
    _, tangent = tg.jvp(f, (x,), (v,))
    np.testing.assert_allclose(tangent, tg.jacrev(f)(x) @ v, rtol=1e-12)
