"""custom_jvp (JAX's API): values, the rule in forward mode, the transposed rule in
reverse mode (eager and compiled, against central finite differences in float64),
pytrees and nondiff_argnums, rules over pure_callback, and the errors for a rule that
reverse mode cannot transpose."""
import numpy as np
import pytest

import tracegrad as tg
from tests.callback.finite_differences import numeric_grad

S = tg.ShapeDtypeStruct


@tg.custom_jvp
def sin(x):
    """sin computed by NumPy in a callback; its derivative given by the rule."""
    return tg.pure_callback(np.sin, S(x.shape, x.dtype), x)


@sin.defjvp
def sin_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return sin(x), tg.pure_callback(np.cos, S(x.shape, x.dtype), x) * t


@tg.custom_jvp
def log1pexp(x):
    return np.log1p(np.exp(x))


@log1pexp.defjvp
def log1pexp_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    # the stable form of the derivative (1 - 1/(1 + e^x)), JAX's documented example
    return log1pexp(x), (1.0 - 1.0 / (1.0 + np.exp(x))) * t


X = np.array([0.3, -1.2, 2.5])


def test_values_are_the_function_s():
    np.testing.assert_allclose(sin(X), np.sin(X))
    np.testing.assert_allclose(tg.compile(sin)(X), np.sin(X))
    np.testing.assert_allclose(tg.make_ir(log1pexp)(X).evaluate(X), np.log1p(np.exp(X)))


@pytest.mark.parametrize("compiled", [False, True])
def test_jvp_uses_the_rule(compiled):
    t = np.array([1.0, 2.0, -1.0])
    f = lambda x, t: tg.jvp(sin, (x,), (t,))         # noqa: E731
    out, tangent = (tg.compile(f) if compiled else f)(X, t)
    np.testing.assert_allclose(out, np.sin(X))
    np.testing.assert_allclose(tangent, np.cos(X) * t)


@pytest.mark.parametrize("compiled", [False, True])
def test_grad_transposes_the_rule_and_matches_finite_differences(compiled):
    loss = lambda x, w: np.sum(sin(x * w) ** 2) + np.sum(log1pexp(x))    # noqa: E731
    w = np.array([0.5, 1.5, -2.0])
    grad = tg.grad(loss, argnums=(0, 1))
    gx, gw = (tg.compile(grad) if compiled else grad)(X, w)
    np.testing.assert_allclose(gx, numeric_grad(loss, (X, w), 0), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(gw, numeric_grad(loss, (X, w), 1), rtol=1e-7, atol=1e-9)


def test_the_rule_not_the_function_defines_the_derivative_in_both_modes():
    @tg.custom_jvp
    def round_through(x):       # straight-through rounding: derivative 1
        return tg.pure_callback(np.round, S(x.shape, x.dtype), x)
    round_through.defjvp(lambda p, t: (round_through(p[0]), t[0]))
    x = np.array([0.4, 1.6])
    np.testing.assert_array_equal(tg.grad(lambda x: np.sum(round_through(x) * x))(x),
                                  np.round(x) + x)
    np.testing.assert_array_equal(tg.jvp(round_through, (x,), (np.ones(2),))[1], [1.0, 1.0])


def test_the_stable_rule_is_right_where_differentiating_the_function_is_not():
    big = np.array([1000.0])                          # exp overflows
    assert tg.grad(lambda x: np.sum(log1pexp(x)))(big) == 1.0
    assert tg.grad(lambda x: np.sum(np.log1p(np.exp(x))))(big) != 1.0


def test_second_order_differentiates_the_transposed_rule():
    f = lambda x: np.sum(log1pexp(x))                 # noqa: E731
    second = tg.grad(lambda x: np.sum(tg.grad(f)(x)))(X)
    sigmoid = 1.0 / (1.0 + np.exp(-X))
    np.testing.assert_allclose(second, sigmoid * (1.0 - sigmoid), rtol=1e-12)
    np.testing.assert_allclose(tg.hessian(f)(X), np.diag(sigmoid * (1.0 - sigmoid)),
                               rtol=1e-12)


def test_pytrees_and_nondiff_argnums():
    def weighted(power, params, x):
        return {"y": params["w"] * x ** power, "s": np.sum(x)}
    f = tg.custom_jvp(weighted, nondiff_argnums=(0,))

    @f.defjvp
    def f_jvp(power, primals, tangents):
        (params, x), (dparams, dx) = primals, tangents
        dy = dparams["w"] * x ** power + params["w"] * power * x ** (power - 1) * dx
        return f(power, params, x), {"y": dy, "s": np.sum(dx)}
    params, x = {"w": np.array(1.5)}, np.array([1.0, 2.0])
    loss = lambda w, x: np.sum(f(3, {"w": w}, x)["y"]) + f(3, {"w": w}, x)["s"] ** 2  # noqa
    for compiled in (False, True):
        grad = tg.grad(loss, argnums=(0, 1))
        gw, gx = (tg.compile(grad) if compiled else grad)(params["w"], x)
        np.testing.assert_allclose(gw, numeric_grad(loss, (params["w"], x), 0), rtol=1e-7)
        np.testing.assert_allclose(gx, numeric_grad(loss, (params["w"], x), 1), rtol=1e-7)
    out, tangent = tg.jvp(lambda p, x: f(3, p, x), (params, x),
                          ({"w": np.array(1.0)}, np.zeros(2)))
    np.testing.assert_allclose(tangent["y"], x ** 3)


def test_defjvp_returns_the_rule_and_a_missing_rule_is_named():
    @tg.custom_jvp
    def f(x):
        return x
    with pytest.raises(tg.ArgumentError, match=r"f.defjvp\(jvp\)"):
        tg.grad(lambda x: f(x))(1.0)
    rule = lambda p, t: (p[0], t[0])                  # noqa: E731
    assert f.defjvp(rule) is rule


def test_a_tangent_through_a_callback_cannot_be_transposed():
    @tg.custom_jvp
    def solve(a, b):
        return tg.pure_callback(np.linalg.solve, S(b.shape, b.dtype), a, b)

    @solve.defjvp
    def solve_jvp(primals, tangents):
        (a, b), (da, db) = primals, tangents
        x = solve(a, b)
        return x, solve(a, db - da @ x)             # fine forward, not transposable
    a, b = np.eye(2) * 2.0, np.ones(2)
    _, tangent = tg.jvp(solve, (a, b), (np.zeros((2, 2)), np.ones(2)))
    np.testing.assert_allclose(tangent, [0.5, 0.5])
    with pytest.raises(tg.MissingRuleError) as info:
        tg.grad(lambda b: np.sum(solve(a, b)))(b)
    message = str(info.value)
    assert "custom_jvp function solve" in message and "custom_vjp" in message
    assert "pure_callback" in message and "test_custom_jvp.py" in message


def test_a_nonlinear_tangent_is_named_with_its_line():
    @tg.custom_jvp
    def square(x):
        return x * x
    square.defjvp(lambda p, t: (p[0] * p[0], t[0] * t[0]))    # wrong: not linear in t
    np.testing.assert_allclose(tg.jvp(square, (2.0,), (3.0,))[1], 9.0)
    with pytest.raises(tg.MissingRuleError, match="not linear") as info:
        tg.grad(square)(2.0)
    assert "mul" in str(info.value) and "test_custom_jvp.py" in str(info.value)


def test_a_tangent_of_the_wrong_shape_is_named():
    @tg.custom_jvp
    def f(x):
        return x
    f.defjvp(lambda p, t: (p[0], np.sum(t[0])))
    with pytest.raises(tg.ShapeError, match="custom_jvp function f"):
        tg.jvp(f, (np.ones(2),), (np.ones(2),))
