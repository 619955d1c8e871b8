"""Derivatives at kinks follow JAX's documented conventions; `where` gradients are
NaN-free in the untaken branch without hiding NaNs of the taken one."""
import numpy as np

import tracegrad as tg


def test_abs_at_zero_is_one():
    assert tg.grad(lambda x: np.abs(x))(0.0) == 1.0
    assert tg.grad(lambda x: np.abs(x))(-0.0) == 1.0
    assert tg.grad(lambda x: np.abs(x))(-2.0) == -1.0


def test_maximum_and_minimum_split_ties_evenly():
    g = tg.grad(lambda x, y: np.maximum(x, y), argnums=(0, 1))(1.0, 1.0)
    assert g == (0.5, 0.5)
    g = tg.grad(lambda x, y: np.minimum(x, y), argnums=(0, 1))(2.0, 1.0)
    assert g == (0.0, 1.0)


def test_max_reduction_shares_cotangent_among_ties():
    g = tg.grad(lambda x: np.max(x))(np.array([1.0, 3.0, 3.0, 2.0]))
    np.testing.assert_array_equal(g, [0.0, 0.5, 0.5, 0.0])


def test_sqrt_at_zero_is_inf():
    assert tg.grad(np.sqrt)(0.0) == np.inf


def test_relu_via_maximum_at_zero_is_half_as_in_jax():
    # jnp.maximum(x, 0.0) at 0 splits the tie; a dedicated relu uses 0 (tracegrad.nn).
    assert tg.grad(lambda x: np.maximum(x, 0.0))(0.0) == 0.5


def test_where_sqrt_untaken_branch_gives_zero_not_nan():
    f = lambda x: np.sum(np.where(x > 0, np.sqrt(x), 0.0))
    np.testing.assert_array_equal(tg.grad(f)(np.array([-1.0, 4.0])), [0.0, 0.25])


def test_where_log_division_and_arcsin_are_nan_free():
    x = np.array([-1.0, 0.0, 0.5, 2.0])
    g = tg.grad(lambda x: np.sum(np.where(x > 0, np.log(x), 0.0)))(x)
    np.testing.assert_array_equal(g, [0.0, 0.0, 2.0, 0.5])
    g = tg.grad(lambda x: np.sum(np.where(x != 0, 1.0 / x, 0.0)))(x)
    np.testing.assert_array_equal(g, [-1.0, 0.0, -4.0, -0.25])
    g = tg.grad(lambda x: np.sum(np.where(np.abs(x) < 1, np.arcsin(x), 0.0)))(x)
    np.testing.assert_allclose(g, [0.0, 1.0, 1 / np.sqrt(0.75), 0.0])


def test_where_does_not_hide_nan_of_the_taken_branch():
    g = tg.grad(lambda x: np.sum(np.where(x > -5, np.sqrt(x), 0.0)))(np.array([-1.0, 4.0]))
    assert np.isnan(g[0]) and g[1] == 0.25


def test_where_nan_free_through_exp_overflow():
    f = lambda x: np.sum(np.where(x < 100, np.exp(x), 0.0))
    np.testing.assert_allclose(tg.grad(f)(np.array([1.0, 1000.0])), [np.e, 0.0])


def test_where_nan_free_under_make_ir_too():
    f = tg.grad(lambda x: np.sum(np.where(x > 0, np.sqrt(x), 0.0)))
    x = np.array([-1.0, 4.0])
    np.testing.assert_array_equal(tg.make_ir(f)(x).evaluate(x), [0.0, 0.25])


def test_zero_safe_products_keep_higher_derivatives_exact():
    # d/dx of x^2 is 2x, exactly zero at 0; the second derivative must still be 2, so
    # the zero-safe product may not cut the derivative of a cotangent that is zero.
    assert np.isclose(tg.grad(tg.grad(lambda x: np.sinc(x)))(0.0), -np.pi**2 / 3)
    assert tg.grad(tg.grad(lambda x: np.sqrt(x * x + 1.0)))(0.0) == 1.0
