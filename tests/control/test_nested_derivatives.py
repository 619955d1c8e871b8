"""Derivatives of derivatives through loops: a while_loop inside grad inside scan (a
gradient-descent step whose energy needs an iterative solve), and the Hessian of a Newton
iteration written with fori_loop — each against the same computation in plain NumPy and
central finite differences."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.errors import MissingRuleError


def cube_root(a):
    def test(c):
        y, k = c
        return (tnp.abs(y ** 3 - a).max() > 1e-12) & (k < 80)

    def body(c):
        y, k = c
        return y - (y ** 3 - a) / (3 * y ** 2), k + 1
    return tg.while_loop(test, body, (a * 0 + 1.5, 0))[0]


def energy(h):
    return (cube_root(h * h + 1.0) * h).sum()


def descent(xs):
    def step(h, x):
        g = tg.grad(energy)(h)
        return h - 0.1 * g + x, g.sum()
    h, gs = tg.scan(step, tnp.ones(xs.shape[1]), xs)
    return h.sum() + gs.sum()


def descent_numpy(xs):
    h, total = np.ones(xs.shape[1]), 0.0
    for x in xs:
        y = np.cbrt(h * h + 1.0)
        g = y + 2 * h * h / (3 * y * y)
        h, total = h - 0.1 * g + x, total + g.sum()
    return h.sum() + total


XS = np.random.default_rng(3).standard_normal((4, 3)) * 0.3
U = np.random.default_rng(4).standard_normal((4, 3))


def _fd(f, x, u, eps=1e-6):
    return (f(x + eps * u) - f(x - eps * u)) / (2 * eps)


@pytest.fixture(scope="module")
def compiled_descent():
    return (tg.compile(descent),
            tg.compile(lambda x, u: tg.jvp(descent, (x,), (u,))[1]))


def test_while_in_grad_in_scan_values(compiled_descent):
    value, _ = compiled_descent
    expected = descent_numpy(XS)
    np.testing.assert_allclose(descent(XS), expected, rtol=1e-10)
    np.testing.assert_allclose(value(XS), expected, rtol=1e-10)


def test_while_in_grad_in_scan_forward_mode(compiled_descent):
    _, jvp = compiled_descent
    np.testing.assert_allclose(jvp(XS, U), _fd(descent_numpy, XS, U), rtol=1e-6)


def test_while_in_grad_in_scan_eager_reverse_mode():
    # Eagerly the loops run in Python, so reverse over reverse is ordinary.
    g = tg.grad(descent)(XS)
    np.testing.assert_allclose(np.sum(g * U), _fd(descent_numpy, XS, U), rtol=1e-6)


def test_while_in_grad_in_scan_compiled_reverse_mode_is_a_clear_error():
    with pytest.raises(MissingRuleError, match="forward over reverse"):
        tg.compile(tg.grad(descent))(XS)


def newton_fori(a):
    y = tg.fori_loop(0, 8, lambda i, y: y - (y ** 3 - a) / (3 * y ** 2), a * 0 + 1.5)
    return (y * a).sum()


def test_hessian_of_fori_newton_matches_finite_differences():
    a = np.array([1.5, 2.0, 2.5, 3.0])
    grad = tg.compile(tg.grad(newton_fori))
    numeric = np.stack([_fd(grad, a, e, eps=1e-5) for e in np.eye(4)])
    for hess in (tg.hessian(newton_fori), tg.compile(tg.hessian(newton_fori))):
        np.testing.assert_allclose(hess(a), numeric, rtol=1e-7, atol=1e-9)
    # Converged: the Hessian of sum(a * cbrt(a)) is diagonal, (4/9) a**(-2/3).
    np.testing.assert_allclose(np.diag(tg.hessian(newton_fori)(a)),
                               4 / 9 * a ** (-2 / 3), rtol=1e-6)


def test_hessian_through_while_matches_finite_differences():
    def f(x):
        y = tg.while_loop(lambda c: c.sum() < 10.0, lambda c: c * 1.5 + tnp.sin(c), x)
        return (y * y).sum()
    x = np.array([1.0, 2.0, 3.0]) * 0.4
    grad = tg.compile(tg.grad(f))
    numeric = np.stack([_fd(grad, x, e, eps=1e-6) for e in np.eye(3)])
    np.testing.assert_allclose(tg.compile(tg.hessian(f))(x), numeric, rtol=1e-6)
