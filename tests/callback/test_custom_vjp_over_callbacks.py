"""custom_vjp gives a pure_callback-wrapped routine a derivative: linear solves by NumPy
and SciPy with their known VJPs, fwd/bwd that call back themselves, against central
finite differences in float64, eagerly and compiled."""
import numpy as np
import pytest
import scipy.linalg

import tracegrad as tg
from tests.callback.finite_differences import numeric_grad

S = tg.ShapeDtypeStruct


@tg.custom_vjp
def solve(a, b):
    return tg.pure_callback(np.linalg.solve, S(b.shape, b.dtype), a, b)


def solve_fwd(a, b):
    x = solve(a, b)
    return x, (a, x)


def solve_bwd(residuals, g):
    a, x = residuals
    gb = solve(a.T, g)                      # the backward pass calls back too
    ga = -(gb[:, None] * x[None, :] if x.ndim == 1 else gb @ x.T)
    return ga, gb


solve.defvjp(solve_fwd, solve_bwd)


@tg.custom_vjp
def cho_solve(chol, b):
    """b solved with a Cholesky factor (lower): SciPy's LAPACK call."""
    return tg.pure_callback(lambda c, v: scipy.linalg.cho_solve((c, True), v),
                            S(b.shape, b.dtype), chol, b)


def cho_solve_fwd(chol, b):
    x = cho_solve(chol, b)
    return x, (chol, x)


def cho_solve_bwd(residuals, g):
    chol, x = residuals
    gb = cho_solve(chol, g)                 # A = L L^T is symmetric
    gA = -np.outer(gb, x)
    # d/dL of L L^T: gL = (gA + gA^T) L, lower triangle
    return np.tril((gA + gA.T) @ chol), gb


cho_solve.defvjp(cho_solve_fwd, cho_solve_bwd)


def problem(seed=0, n=4):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n)) + n * np.eye(n)
    return a, rng.standard_normal(n), rng.standard_normal(n)


def loss(a, b, w):
    x = solve(a, b)
    return np.sum(np.tanh(x) * w) + 0.5 * np.sum(x * x)


@pytest.mark.parametrize("compiled", [False, True])
def test_solve_gradients_match_finite_differences(compiled):
    a, b, w = problem()
    grad = tg.grad(loss, argnums=(0, 1))
    ga, gb = (tg.compile(grad) if compiled else grad)(a, b, w)
    np.testing.assert_allclose(ga, numeric_grad(loss, (a, b, w), 0), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gb, numeric_grad(loss, (a, b, w), 1), rtol=1e-6, atol=1e-8)


def test_compiled_value_and_gradient_equal_eager():
    a, b, w = problem(1)
    eager = tg.value_and_grad(loss, argnums=(0, 1))(a, b, w)
    compiled = tg.compile(tg.value_and_grad(loss, argnums=(0, 1)))(a, b, w)
    np.testing.assert_allclose(compiled[0], eager[0], rtol=1e-14)
    for c, e in zip(compiled[1], eager[1]):
        np.testing.assert_allclose(c, e, rtol=1e-12, atol=1e-14)


def test_matrix_right_hand_sides():
    a, _, _ = problem(2)
    rhs = np.random.default_rng(5).standard_normal((4, 3))
    f = lambda a, rhs: np.sum(np.sin(solve(a, rhs)))         # noqa: E731
    for argnum in (0, 1):
        g = tg.compile(tg.grad(f, argnums=argnum))(a, rhs)
        np.testing.assert_allclose(g, numeric_grad(f, (a, rhs), argnum), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("compiled", [False, True])
def test_scipy_cholesky_solve_gradients_match_finite_differences(compiled):
    rng = np.random.default_rng(3)
    m = rng.standard_normal((4, 4))
    chol = np.linalg.cholesky(m @ m.T + 4 * np.eye(4))
    b = rng.standard_normal(4)
    f = lambda chol, b: np.sum(cho_solve(chol, b) ** 2)     # noqa: E731
    grad = tg.grad(f, argnums=(0, 1))
    gl, gb = (tg.compile(grad) if compiled else grad)(chol, b)
    # perturbing the lower triangle only: L stays a Cholesky factor
    np.testing.assert_allclose(np.tril(gl), np.tril(numeric_grad(f, (chol, b), 0)),
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gb, numeric_grad(f, (chol, b), 1), rtol=1e-6, atol=1e-8)


def test_second_derivatives_reuse_the_rule_because_bwd_calls_solve_again():
    a, b, w = problem()
    first = lambda a, b: np.sum(tg.grad(loss, argnums=1)(a, b, w))    # noqa: E731
    for argnum in (0, 1):
        second = tg.grad(first, argnums=argnum)(a, b)
        np.testing.assert_allclose(second, numeric_grad(first, (a, b), argnum, eps=1e-5),
                                   rtol=1e-5, atol=1e-7)
