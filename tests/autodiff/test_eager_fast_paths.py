"""The eager engine's shortcuts give what the general path gives: elementwise operations
recorded through a plan (Python-scalar literals remembered per operand), eager
gradients recorded in place (at top level without a graph to replay; nested ones
straight into the enclosing level, on fresh copies of their arguments), and the user's
line on every recorded operation."""
import inspect

import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.tracer.nan_check import checking


def test_zero_and_negative_zero_literals_stay_apart():
    # arctan2(+0, -1) = pi, arctan2(-0, -1) = -pi: a literal cache keyed by value alone
    # would give 3 pi.
    def f(x):
        return tnp.arctan2(x * 0.0, -1.0) + 2.0 * tnp.arctan2(x * -0.0, -1.0)
    value, grad = tg.value_and_grad(f)(np.asarray(1.0))
    assert value == np.arctan2(0.0, -1.0) + 2.0 * np.arctan2(-0.0, -1.0)
    assert grad == 0.0


def test_literals_of_every_python_scalar_type_keep_their_dtypes():
    def f(x):
        return (x * 2 + x * 0.5 + (x > 0.25) * True).sum()
    x32 = np.array([0.5, 0.125], np.float32)
    value, grad = tg.value_and_grad(f)(x32)
    expected = (x32 * 2 + x32 * 0.5 + (x32 > 0.25) * True).sum()
    assert value.dtype == expected.dtype == np.float32 and value == expected
    assert grad.dtype == np.float32 and np.all(grad == 2.5)


def _f(x):
    return tnp.tanh(tnp.sin(x) * x + 0.5) * tnp.exp(-x * x / 4) + tnp.log1p(x * x)


def _finite_difference(g, x, h=1e-5):
    return (g(x + h) - g(x - h)) / (2 * h)


@pytest.mark.parametrize("order", [2, 3])
def test_nested_gradients_match_finite_differences_of_the_order_below(order):
    below = _f
    for _ in range(order - 1):
        below = tg.grad(below)
    x = 0.3
    exact = tg.grad(below)(np.asarray(x))
    np.testing.assert_allclose(exact, _finite_difference(below, x), rtol=1e-6)


def test_nested_gradient_closing_over_an_outer_level_and_a_constant_array():
    weights = np.array([0.5, -1.5, 2.0])

    def outer(a):
        def inner(b):                       # closes over `a`, a tracer of the outer level
            return tnp.sum(weights * tnp.sin(a * b))
        return tg.grad(inner)(a * 2.0)
    a = 0.7
    # d/da [sum w cos(a b) a] at b = 2a, analytically.
    def reference(a):
        b = 2 * a
        return np.sum(weights * np.cos(a * b) * a)
    np.testing.assert_allclose(outer(a), reference(a), rtol=1e-12)
    np.testing.assert_allclose(tg.grad(outer)(a), _finite_difference(reference, a),
                               rtol=1e-6)


def test_a_nested_gradient_holds_what_it_closes_over_constant_even_its_own_argument():
    # d/dx [x * d/dz (z * x) at z = x] = d/dx x**2 = 2x: the inner argument is a copy of
    # x, so the x the inner function closes over stays a constant there (differentiating
    # with respect to x itself would give d/dx 2x**2 = 4x).
    x = 0.7
    assert tg.grad(lambda x: x * tg.grad(lambda z: z * x)(x))(np.asarray(x)) == 2 * x
    # At top level too: the array passed in is also the constant the function uses.
    a = np.array([1.0, 2.0])
    np.testing.assert_array_equal(tg.grad(lambda z: tnp.sum(z * a))(a), a)


def test_a_nested_gradient_over_a_pytree_of_traced_and_concrete_leaves():
    def outer(x):
        dp = tg.grad(lambda p: p[0] * p[1] * tnp.sin(x))((x, np.float64(2.0)))
        return dp[0] + dp[1]
    def reference(x):                       # 2 sin x + x sin x
        return 2 * np.sin(x) + x * np.sin(x)
    x = 0.7
    value, slope = tg.value_and_grad(outer)(np.asarray(x))
    np.testing.assert_allclose(value, reference(x), rtol=1e-14)
    np.testing.assert_allclose(slope, 2 * np.cos(x) + np.sin(x) + x * np.cos(x),
                               rtol=1e-14)


def test_a_nested_vjp_pulls_back_later_in_the_same_level():
    def outer(x):
        y, pull = tg.vjp(lambda z: tnp.sin(z) * z, x)
        (dz,) = pull(tnp.ones_like(y) * 3.0)
        return y + dz                       # sin x * x + 3 (cos x * x + sin x)
    def reference(x):
        return np.sin(x) * x + 3 * (np.cos(x) * x + np.sin(x))
    x = np.array([0.3, -1.2])
    np.testing.assert_allclose(outer(x), reference(x), rtol=1e-14)
    np.testing.assert_allclose(tg.grad(lambda x: tnp.sum(outer(x)))(x),
                               (reference(x + 1e-6) - reference(x - 1e-6)) / 2e-6,
                               rtol=1e-7)


def test_results_never_alias_the_arguments():
    x = np.array([1.0, 2.0])
    value, grad = tg.value_and_grad(lambda z: tnp.sum(z), has_aux=False)(x)
    out, pull = tg.vjp(lambda z: z, x)
    assert not np.shares_memory(out, x)
    (back,) = pull(x)
    assert not np.shares_memory(back, x) and not np.shares_memory(back, out)
    np.testing.assert_array_equal(grad, np.ones(2))


def test_a_second_derivative_records_each_level_with_the_users_lines():
    def f(x):
        return tnp.sin(x) * x
    graph = tg.make_ir(tg.grad(tg.grad(f)))(0.3).graph
    assert graph.nodes
    located = [n.loc for n in graph.nodes if n.loc]
    assert located and all("test_eager_fast_paths.py" in loc for loc in located)


def test_nan_checking_still_names_the_operation_in_a_nested_gradient():
    def f(x):
        return tnp.sqrt(x - 1.0)            # the line the error must name
    with checking(), pytest.raises(FloatingPointError) as err:
        tg.grad(tg.grad(f))(np.asarray(0.5))
    assert "test_eager_fast_paths.py" in str(err.value)


def test_every_recording_path_names_the_exact_user_line():
    # Operators on two tracers, on a tracer and a number, reflected ones, unary ones and
    # NumPy calls each take their own shortcut; each must skip exactly its own frames.
    lines = {}

    def f(x):
        here = inspect.currentframe().f_lineno
        y = x * x                                   # here + 1: two tracers, an operator
        z = 2.0 - y                                 # here + 2: reflected, a number
        w = -z                                      # here + 3: unary operator
        v = tnp.sin(w) + tnp.multiply(w, v0(w))     # here + 4: NumPy calls
        lines.update({n.prim.name + str(i): int(n.loc.rsplit(":", 1)[1]) - here
                      for i, n in enumerate(x._trace.nodes) if n.loc})
        lines["file"] = {n.loc.rsplit(":", 1)[0] for n in x._trace.nodes}
        return v

    def v0(w):
        return w
    tg.grad(f)(np.asarray(0.3))
    assert lines.pop("file") == {__file__}
    assert lines == {"mul0": 1, "sub1": 2, "neg2": 3, "sin3": 4, "mul4": 4, "add5": 4}


def test_a_nested_gradients_copy_of_its_argument_names_the_call():
    def f(x):
        return tnp.sin(x) * x
    found = []

    def outer(x):
        d = tg.grad(f)(x)                   # the line the copy names: the first + 1
        found.extend(n.loc for n in x._trace.nodes if n.prim.name == "convert")
        return d
    tg.grad(outer)(np.asarray(0.3))
    assert found == [f"{__file__}:{outer.__code__.co_firstlineno + 1}"]


def test_tensor_operations_record_the_users_line():
    x = tg.tensor(0.3, requires_grad=True)
    y = tnp.sin(x) * 2.0
    assert "test_eager_fast_paths.py" in y.grad_fn.location
    y.backward()
    np.testing.assert_allclose(x.grad, 2.0 * np.cos(0.3))


@pytest.mark.parametrize("scalar", [np.float64(2.5), np.float32(2.5), np.complex128(2.5)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numpy_scalar_operands_promote_as_numpy_does(scalar, dtype):
    x = np.array([0.5, -1.25], dtype)
    seen = {}

    def f(z):
        y = z * scalar                       # a strongly typed NumPy scalar operand
        w = scalar - z
        seen["dtypes"] = (y.dtype, w.dtype)
        return tnp.sum(tnp.real(y * w))
    grad = tg.grad(f)(x)
    assert seen["dtypes"] == ((x * scalar).dtype, (scalar - x).dtype)
    assert grad.dtype == dtype
    # d/dz sum(re(s z (s - z))) = re(s (s - 2 z)) elementwise.
    np.testing.assert_allclose(grad, np.real(scalar * (scalar - 2 * x)), rtol=1e-6)


def test_nested_gradients_keep_float32():
    def f(x):
        return tnp.sin(x) * x
    x = np.float32(0.75)
    second = tg.grad(tg.grad(f))(x)
    assert second.dtype == np.float32
    np.testing.assert_allclose(second, 2 * np.cos(0.75) - 0.75 * np.sin(0.75), rtol=1e-6)


def test_a_nested_gradient_seeds_without_recording_a_node():
    # The inner gradient's seed is a constant 1: d/dz sin(z) is cos(z) alone (one node
    # for the copy of the argument, sin, cos), with no broadcast or multiplication.
    def outer(x):
        return tg.grad(tnp.sin)(x)
    recorded = []

    def spy(x):
        y = outer(x)
        recorded.extend(n.prim.name for n in x._trace.nodes)
        return y
    value, slope = tg.value_and_grad(spy)(np.asarray(0.3))
    assert recorded == ["convert", "sin", "cos"]
    np.testing.assert_allclose(value, np.cos(0.3))
    np.testing.assert_allclose(slope, -np.sin(0.3))


def test_the_same_operation_on_the_same_values_is_recorded_once():
    recorded = []

    def f(x):
        y = tnp.sin(x) * tnp.sin(x) + (x * 0.5) * (x * 0.5)    # sin(x), x * 0.5 twice
        z = x * 0.0 + x * -0.0                                  # two literals: two nodes
        recorded.extend(n.prim.name for n in x._trace.nodes)
        return y + z
    value, slope = tg.value_and_grad(f)(np.asarray(0.8))
    assert recorded == ["sin", "mul", "mul", "mul", "add", "mul", "mul", "add"]
    np.testing.assert_allclose(value, np.sin(0.8) ** 2 + 0.16, rtol=1e-15)
    np.testing.assert_allclose(slope, 2 * np.sin(0.8) * np.cos(0.8) + 0.4, rtol=1e-15)


@pytest.mark.parametrize("other", [np.array([1, 2]), np.array([True, False]),
                                   np.array([1.5, 2.5], np.float32), np.array(2.0),
                                   np.array([[1.0], [2.0]])])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_array_operands_are_constants_of_the_trace(other, dtype):
    x = np.array([0.5, 1.5], dtype)
    seen = {}

    def f(z):
        y = z * other - other / (z + 2.0)
        seen["dtype"] = y.dtype
        return tnp.sum(y)
    value, grad = tg.value_and_grad(f)(x)
    expected = x * other - other / (x + 2.0)
    assert seen["dtype"] == expected.dtype
    np.testing.assert_allclose(value, expected.sum(), rtol=1e-6)
    slope = np.broadcast_to(other + other / (x + 2.0) ** 2, expected.shape)
    np.testing.assert_allclose(grad, slope.reshape(-1, x.size).sum(axis=0), rtol=1e-6)
    assert grad.dtype == dtype


def test_a_top_level_gradient_through_tape_values_stays_on_the_tape():
    # A function computing with the imperative tape's values (what a Function's forward
    # or a tensor's operations see) gets results that still reach them, as tensors.
    from tracegrad.autograd.tape import TAPE
    from tracegrad.autograd.tensor import unwrap
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    taped = unwrap(w)
    x = np.array([3.0, 4.0])
    value, grad = tg.value_and_grad(lambda z: tnp.sum(taped * z * z))(x)
    assert isinstance(grad, tg.Tensor) and isinstance(value, tg.Tensor)
    assert unwrap(grad)._trace is TAPE and unwrap(value)._trace is TAPE
    np.testing.assert_allclose(grad.detach().numpy(), 2 * w.detach().numpy() * x)
    grad.sum().backward()                      # d/dw sum(2 w x) = 2 x
    np.testing.assert_allclose(w.grad.numpy(), 2 * x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis, keepdims", [(None, False), (0, False), (1, True),
                                            ((0, 1), True), (-1, False)])
def test_planned_reductions_give_numpys_values_dtypes_and_gradients(dtype, axis, keepdims):
    # The eager reduction shortcut (one plan per aval and axis) against NumPy, for each
    # reduction it serves, and the gradient against the closed form.
    x = np.array([[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]], dtype)
    seen = {}

    def f(z):
        parts = {name: getattr(tnp, name)(z, axis=axis, keepdims=keepdims)
                 for name in ("sum", "prod", "max", "min", "mean")}
        seen.update({name: np.asarray(p._concrete) for name, p in parts.items()})
        return tnp.sum(parts["sum"] * 2.0) + tnp.sum(parts["max"])
    grad = tg.grad(f)(x)
    for name in ("sum", "prod", "max", "min", "mean"):
        expected = getattr(np, name)(x, axis=axis, keepdims=keepdims)
        assert seen[name].dtype == expected.dtype and seen[name].shape == expected.shape
        np.testing.assert_allclose(seen[name], expected, rtol=1e-6)
    is_max = x == np.max(x, axis=axis, keepdims=True)
    np.testing.assert_allclose(grad, 2.0 + is_max, rtol=1e-6)
    assert grad.dtype == dtype
