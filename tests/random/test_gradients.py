"""Gradients through reparameterized samples (the sample is a smooth function of its
parameters for a fixed key), eager and compiled, against central finite differences with
the same key; and a compiled stochastic objective: fresh samples for new keys, the same
ones for the same key."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
import tracegrad.random as tr

KEY = tr.key(11)


def finite_difference(f, args, argnum, eps=1e-6):
    args = [np.asarray(a, np.float64) for a in args]
    grad = np.zeros_like(args[argnum])
    for i in np.ndindex(grad.shape):
        up = [a.copy() for a in args]
        down = [a.copy() for a in args]
        up[argnum][i] += eps
        down[argnum][i] -= eps
        grad[i] = (f(*up) - f(*down)) / (2 * eps)
    return grad


def normal_loss(mu, sigma):
    z = mu + sigma * tr.normal(KEY, (50, 3))
    return tnp.sum(tnp.tanh(z) ** 2)


def uniform_loss(low, high):
    return tnp.sum(tnp.sin(tr.uniform(KEY, (40, 2), minval=low, maxval=high)))


def truncated_loss(lower, upper):
    return tnp.sum(tnp.exp(0.3 * tr.truncated_normal(KEY, lower, upper, (30,))))


def gumbel_loss(scale):
    return tnp.sum(tnp.logaddexp(0.0, scale * tr.gumbel(KEY, (20,))))


CASES = [
    (normal_loss, (np.array([0.1, -0.3, 0.5]), np.array([0.7, 1.2, 0.4]))),
    (uniform_loss, (np.array([-1.0, 0.5]), np.array([1.0, 2.0]))),
    (truncated_loss, (np.float64(-0.8), np.float64(1.3))),
    (gumbel_loss, (np.float64(0.9),)),
]


@pytest.mark.parametrize("f, args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_gradients_match_finite_differences_eager_and_compiled(f, args):
    argnums = tuple(range(len(args)))
    eager = tg.grad(f, argnums=argnums)(*args)
    compiled = tg.compile(tg.grad(f, argnums=argnums))(*args)
    for i in argnums:
        expected = finite_difference(lambda *a: float(f(*a)), args, i)
        np.testing.assert_allclose(eager[i], expected, rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(compiled[i], eager[i], rtol=1e-12, atol=1e-12)


def test_second_derivative_through_a_sample():
    # d^2/dsigma^2 of sum((sigma z)^2) = 2 sum(z^2)
    z = tr.normal(KEY, (10,))
    f = lambda sigma: tnp.sum((sigma * tr.normal(KEY, (10,))) ** 2)
    assert np.isclose(tg.grad(tg.grad(f))(1.5), 2 * np.sum(z ** 2))


def test_the_bits_carry_no_gradient():
    # The sample depends on the key, not on mu, through the bits: d/dmu is exactly 1.
    g = tg.grad(lambda mu: tnp.sum(mu + tr.normal(KEY, (5,))))(0.3)
    assert g == 5.0


def elbo(params, key):
    """A Monte Carlo objective: E_q[log p(z)] for q = N(mu, exp(log_sigma)^2), p = N(2, 1)."""
    mu, log_sigma = params
    z = mu + tnp.exp(log_sigma) * tr.normal(key, (256,))
    return tnp.mean(-0.5 * (z - 2.0) ** 2) + log_sigma


def test_compiled_stochastic_objective_is_fresh_per_key_and_fixed_per_key():
    step = tg.compile(tg.value_and_grad(elbo))
    params = (np.float64(0.5), np.float64(-0.2))
    key = tr.key(0)
    values = []
    for _ in range(4):
        key, sub = tr.split(key)
        value, grads = step(params, sub)
        again, grads_again = step(params, sub)
        assert value == again and grads == grads_again              # same key: same draw
        eager_value, eager_grads = tg.value_and_grad(elbo)(params, sub)
        np.testing.assert_allclose(value, eager_value, rtol=1e-12)
        np.testing.assert_allclose(grads, eager_grads, rtol=1e-12)
        values.append(float(value))
    assert len(set(values)) == 4                                     # new keys: new draws
    assert step.cache_info().misses == 1        # keys are arguments: one compiled program


def test_stochastic_gradient_descent_finds_the_optimum():
    # The expected objective is maximized at mu = 2, sigma = 1.
    step = tg.compile(tg.grad(elbo))
    params = np.array([0.0, 0.5])
    key = tr.key(1)
    for i in range(300):
        grads = step((params[0], params[1]), tr.fold_in(key, i))
        params = params + 0.05 * np.array(grads)
    np.testing.assert_allclose(params, [2.0, 0.0], atol=0.1)
