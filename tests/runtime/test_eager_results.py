"""Eager transformations return fresh arrays, as NumPy functions and compiled calls do:
writeable, C-contiguous, sharing memory with neither the inputs nor each other."""
import numpy as np

import tracegrad as tg


def assert_fresh(results, *held):
    for i, r in enumerate(results):
        assert type(r) is np.ndarray
        assert r.flags.writeable and r.flags.c_contiguous, (i, r.flags)
        for other in list(results[:i]) + list(held):
            assert not np.shares_memory(r, other), i


def test_gradients_of_a_sum_are_separate_writeable_arrays():
    a, b = np.ones(3), np.full(3, 2.0)
    gx, gy = tg.grad(lambda x, y: np.sum(x + y), argnums=(0, 1))(a, b)
    assert_fresh([gx, gy], a, b)
    gx *= -0.1                          # an optimizer step in place
    assert np.array_equal(gx, [-0.1] * 3) and np.array_equal(gy, [1.0] * 3)


def test_grad_and_value_and_grad():
    g = tg.grad(lambda x: np.sum(x))(np.ones(3))
    g *= -0.1
    assert np.allclose(g, -0.1)
    x = np.arange(6.0).reshape(2, 3)
    value, grad = tg.value_and_grad(lambda x: np.sum(x.T * 2.0))(x)     # a transposed rule
    assert_fresh([np.asarray(value), grad], x)
    assert np.allclose(grad, 2.0)


def test_vjp_of_the_identity_copies_what_passes_through():
    a, ct = np.arange(3.0), np.ones(3)
    out, vjp_fn = tg.vjp(lambda x: x, a)
    (g,) = vjp_fn(ct)
    assert_fresh([out, g], a, ct)
    assert np.array_equal(out, a) and np.array_equal(g, ct)


def test_jvp_tangent_is_fresh():
    x, t = np.arange(3.0), np.ones(3)
    out, tangent = tg.jvp(lambda x: x, (x,), (t,))
    assert_fresh([out, tangent], x, t)


def test_jacobians_are_fresh():
    x = np.arange(1.0, 4.0)
    for jac in (tg.jacrev, tg.jacfwd):
        j = jac(lambda x: x * 2.0)(x)
        assert_fresh([j], x)
        assert np.array_equal(j, 2.0 * np.eye(3))
        ja, jb = jac(lambda x, y: x + y, argnums=(0, 1))(x, x)
        assert_fresh([ja, jb], x)
