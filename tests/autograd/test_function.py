"""autograd.Function: on tensors, and (through custom_vjp) under tg.grad and tg.compile."""
import numpy as np
import pytest

import tracegrad as tg
from tracegrad import autograd as ag


class Exp(ag.Function):
    @staticmethod
    def forward(ctx, x):
        result = np.exp(x)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad * result


class ScaledProduct(ag.Function):
    """a * b * scale, with a non-tensor argument and a record of needs_input_grad."""
    seen = []

    @staticmethod
    def forward(ctx, a, b, scale):
        ctx.save_for_backward(a, b)
        ctx.scale = scale
        ScaledProduct.seen.append(ctx.needs_input_grad)
        return a * b * scale

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b * ctx.scale, grad * a * ctx.scale, None


def test_function_on_tensors_matches_finite_differences():
    x = tg.tensor([0.5, -1.0], requires_grad=True)
    y = Exp.apply(x)
    assert y.requires_grad and not y.is_leaf
    (y * y).sum().backward()
    np.testing.assert_allclose(x.grad, 2 * np.exp(2 * np.array([0.5, -1.0])))
    assert ag.gradcheck(lambda t: Exp.apply(t) * 3, (tg.tensor([0.2, 0.7], requires_grad=True),))
    assert ag.gradgradcheck(lambda t: Exp.apply(t).sum(),
                            (tg.tensor([0.2, 0.7], requires_grad=True),))


def test_non_tensor_arguments_and_needs_input_grad():
    ScaledProduct.seen.clear()
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([3.0, 4.0])
    ScaledProduct.apply(a, b, 10.0).sum().backward()
    np.testing.assert_allclose(a.grad, [30.0, 40.0])
    assert ScaledProduct.seen[0] == (True, False, False)


def test_function_under_grad_and_compile():
    def f(x, y):
        return (ScaledProduct.apply(x, y, 2.0) + Exp.apply(x)).sum()
    x, y = np.array([0.1, 0.2]), np.array([3.0, 5.0])
    expected = (2 * y + np.exp(x), 2 * x)
    for grads in (tg.grad(f, argnums=(0, 1))(x, y),
                  tg.compile(tg.grad(f, argnums=(0, 1)))(x, y)):
        np.testing.assert_allclose(grads[0], expected[0], rtol=1e-12)
        np.testing.assert_allclose(grads[1], expected[1], rtol=1e-12)
    assert isinstance(Exp.apply(np.array([0.0])), np.ndarray)     # arrays in, arrays out


def test_double_backward_through_a_function():
    x = tg.tensor(0.3, requires_grad=True)
    (g,) = ag.grad(Exp.apply(x), x, create_graph=True)
    (gg,) = ag.grad(g, x)
    assert gg.item() == pytest.approx(np.exp(0.3))


class SortedWithIndices(ag.Function):
    @staticmethod
    def forward(ctx, x):
        order = np.argsort(x)
        ctx.mark_non_differentiable(order)
        ctx.save_for_backward(order)
        return x[order], order

    @staticmethod
    def backward(ctx, grad, _grad_order):
        (order,) = ctx.saved_tensors
        out = np.zeros_like(grad)
        out[order] = grad
        return out


def test_mark_non_differentiable_outputs():
    x = tg.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, order = SortedWithIndices.apply(x)
    assert values.requires_grad and not order.requires_grad
    (values * tg.tensor([1.0, 10.0, 100.0])).sum().backward()
    np.testing.assert_allclose(x.grad, [100.0, 1.0, 10.0])


class WrongCount(ag.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, grad):
        return grad


class WrongShape(ag.Function):
    @staticmethod
    def forward(ctx, a):
        return a.sum()

    @staticmethod
    def backward(ctx, grad):
        return tg.tensor([1.0, 2.0, 3.0])


def test_backward_results_are_checked():
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        WrongCount.apply(a, a).sum().backward()
    with pytest.raises(RuntimeError, match="invalid gradient at index 0"):
        WrongShape.apply(a).backward()


def test_grad_fn_of_a_function_is_named_after_it():
    y = Exp.apply(tg.tensor([1.0], requires_grad=True))
    assert y.grad_fn.name() == "ExpBackward"
    assert y.grad_fn.location.endswith(".py:" + str(_line() - 2))


def _line():
    import inspect
    return inspect.currentframe().f_back.f_lineno
