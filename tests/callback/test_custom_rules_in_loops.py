"""Callbacks with custom derivatives inside compiled loops under grad: scan stacks their
residuals, while_loop keeps them on its tape; both against finite differences."""
import numpy as np
import pytest

import tracegrad as tg
from tests.callback.finite_differences import numeric_grad
from tests.callback.test_custom_vjp_over_callbacks import solve

S = tg.ShapeDtypeStruct


@tg.custom_jvp
def sin(x):
    return tg.pure_callback(np.sin, S(x.shape, x.dtype), x)


sin.defjvp(lambda p, t: (sin(p[0]), tg.pure_callback(np.cos, S(p[0].shape, p[0].dtype),
                                                     p[0]) * t[0]))


def scanned(a, x0):
    def body(c, _):
        return np.tanh(solve(a, c)) + sin(c), None
    c, _ = tg.scan(body, x0, None, length=5)
    return np.sum(c ** 2)


def looped(a, x0):
    def body(c):
        return sin(solve(a, c[0])) * 1.1, c[1] + 1.0
    c = tg.while_loop(lambda c: c[1] < 4.0, body, (x0, 0.0))
    return np.sum(c[0] ** 2)


@pytest.mark.parametrize("fn", [scanned, looped])
@pytest.mark.parametrize("argnum", [0, 1])
def test_gradients_through_loops_match_finite_differences(fn, argnum):
    rng = np.random.default_rng(0)
    a, x0 = rng.standard_normal((3, 3)) + 3 * np.eye(3), rng.standard_normal(3)
    expected = numeric_grad(fn, (a, x0), argnum)
    grad = tg.grad(fn, argnums=argnum)
    np.testing.assert_allclose(grad(a, x0), expected, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(tg.compile(grad)(a, x0), expected, rtol=1e-6, atol=1e-8)
