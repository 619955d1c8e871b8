"""custom_vjp: the two documented examples, under grad, vjp, higher order and make_ir."""
import numpy as np

import tracegrad as tg


@tg.custom_vjp
def coupled(a, b):
    return a * b


def _coupled_fwd(a, b):
    return coupled(a, b), (a, b)


def _coupled_bwd(res, g):
    a, b = res
    # (a) the gradient of `a` is defined through the other parameter: g * b,
    # and `b`'s gradient is deliberately scaled by a (here: twice the true one).
    return g * b, 2.0 * g * a


coupled.defvjp(_coupled_fwd, _coupled_bwd)


@tg.custom_vjp
def clip_gradient(x, limit):
    return x


clip_gradient.defvjp(lambda x, limit: (x, limit),
                     lambda limit, g: (np.clip(g, -limit, limit), 0.0 * limit))


def test_example_a_gradient_defined_through_another_parameter():
    ga, gb = tg.grad(lambda a, b: coupled(a, b), argnums=(0, 1))(3.0, 5.0)
    assert ga == 5.0 and gb == 6.0


def test_example_b_gradient_clipping_of_an_intermediate_value():
    def loss(x):
        h = clip_gradient(x * 10.0, 1.0)
        return np.sum(h * h)
    x = np.array([0.01, 0.5])
    # Unclipped: d/dh = 2h = [0.2, 10]; clipped to [0.2, 1]; times dh/dx = 10.
    np.testing.assert_allclose(tg.grad(loss)(x), [2.0, 10.0])


def test_custom_vjp_value_and_vjp_with_arrays():
    out, vjp_fn = tg.vjp(coupled, np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    np.testing.assert_array_equal(out, [3.0, 8.0])
    ga, gb = vjp_fn(np.ones(2))
    np.testing.assert_array_equal(ga, [3.0, 4.0])
    np.testing.assert_array_equal(gb, [2.0, 4.0])


def test_custom_vjp_higher_order_differentiates_the_bwd():
    # d/da of (g * b) with g = d(outer)/d(out) = 1 is b's... second order through bwd:
    # grad_a coupled(a, a*a) = b + 2a * (2 a) with the custom rule.
    f = lambda a: coupled(a, a * a)
    first = tg.grad(f)
    assert np.isclose(first(2.0), 4.0 + 2.0 * 2.0 * 2.0 * 2.0)
    # first(a) = a^2 + 8 a^2 / 2 ... computed from the rule: g*b + 2*g*a * 2a = a^2 + 4a^2
    assert np.isclose(tg.grad(first)(2.0), 10.0 * 2.0)


def test_custom_vjp_nondiff_argnums():
    @tg.custom_vjp
    def scaled(k, x):
        return k * x
    scaled.nondiff_argnums = (0,)
    scaled.defvjp(lambda k, x: (k * x, None), lambda k, res, g: (g * k * 100.0,))
    assert tg.grad(lambda x: scaled(3, x))(1.0) == 300.0


def test_custom_vjp_under_make_ir_evaluates_the_forward():
    f = tg.grad(lambda a, b: np.sum(coupled(a, b)), argnums=(0, 1))
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    traced = tg.make_ir(f)(a, b)
    ga, gb = traced.evaluate(a, b)
    np.testing.assert_array_equal(ga, b)
    np.testing.assert_array_equal(gb, 2 * a)
