"""backward() and autograd.grad(): PyTorch's semantics, gradients against finite
differences and against tg.grad (the same rules)."""
import numpy as np
import pytest

import tracegrad as tg
from tracegrad import autograd as ag


def loss_of(x, w):
    return (np.tanh(x @ w) ** 2).mean() + (w * w).sum() / 10


def test_gradients_match_the_functional_api_and_finite_differences():
    rng = np.random.default_rng(0)
    xv, wv = rng.standard_normal((4, 3)), rng.standard_normal((3, 2))
    x, w = tg.tensor(xv), tg.tensor(wv, requires_grad=True)
    loss_of(x, w).backward()
    expected = tg.grad(lambda w: loss_of(xv, w))(wv)
    np.testing.assert_allclose(w.grad, expected, rtol=1e-12)
    assert ag.gradcheck(lambda w: loss_of(x, w), (tg.tensor(wv, requires_grad=True),))


def test_grad_accumulates_until_zeroed():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    for _ in range(3):
        (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, [6.0, 12.0])
    grad = x.grad
    (x * x).sum().backward()
    assert x.grad is grad                       # accumulated in place, as PyTorch does
    x.grad = None
    (3 * x).sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 3.0])


def test_backward_with_gradient_is_a_vector_jacobian_product():
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x ** 2
    v = tg.tensor([0.1, 1.0, 10.0])
    y.backward(gradient=v)
    np.testing.assert_allclose(x.grad, [0.2, 4.0, 60.0])


def test_non_scalar_backward_without_gradient():
    y = tg.tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar "
                                           "outputs") as err:
        y.backward()
    assert "test_backward.py" in str(err.value) and "gradient=" in str(err.value)
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        y.backward(tg.tensor([1.0, 2.0, 3.0]))


def test_second_backward_through_a_freed_graph_says_retain_graph():
    x = tg.tensor(2.0, requires_grad=True)
    y = x * x
    z = y * 3
    z.backward(retain_graph=True)
    z.backward()
    assert x.grad.item() == 24.0
    with pytest.raises(RuntimeError, match="retain_graph=True") as err:
        z.backward()
    assert "test_backward.py" in str(err.value)         # where the freed graph was made


def test_output_without_graph():
    with pytest.raises(RuntimeError, match="does not require grad"):
        tg.tensor([1.0]).sum().backward()


def test_backward_inputs_accumulates_only_there():
    a = tg.tensor(1.0, requires_grad=True)
    b = tg.tensor(2.0, requires_grad=True)
    h = a * b
    (h * h).backward(inputs=[a, h])
    assert a.grad.item() == pytest.approx(2 * 2.0 * 2.0) and b.grad is None
    assert h.grad.item() == pytest.approx(4.0)


def test_autograd_grad_higher_order():
    x = tg.tensor(1.5, requires_grad=True)
    y = x ** 4
    (g1,) = ag.grad(y, x, create_graph=True)
    (g2,) = ag.grad(g1, x, create_graph=True)
    (g3,) = ag.grad(g2, [x])
    assert (g1.item(), g2.item(), g3.item()) == pytest.approx((4 * 1.5 ** 3, 12 * 1.5 ** 2,
                                                                24 * 1.5))
    assert g1.requires_grad and not g3.requires_grad and x.grad is None


def test_backward_create_graph_gives_a_grad_with_a_graph():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad
    (gg,) = ag.grad(x.grad.sum(), x)
    np.testing.assert_allclose(gg, [6.0, 12.0])


def test_autograd_grad_unused_and_intermediate_inputs():
    x = tg.tensor(1.0, requires_grad=True)
    unused = tg.tensor(1.0, requires_grad=True)
    h = x * 3
    y = h * h
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        ag.grad(y, [x, unused], retain_graph=True)
    gx, gu = ag.grad(y, [x, unused], allow_unused=True, retain_graph=True)
    assert gx.item() == 18.0 and gu is None
    (gh,) = ag.grad(y, h)
    assert gh.item() == 6.0 and x.grad is None


def test_autograd_grad_with_grad_outputs_and_several_outputs():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ag.grad([x * 2, x ** 2], x, grad_outputs=[tg.tensor([1.0, 1.0]),
                                                    tg.tensor([1.0, 0.0])])
    np.testing.assert_allclose(g, [4.0, 2.0])


def test_integer_and_comparison_paths_carry_no_gradient():
    x = tg.tensor([1.0, -2.0], requires_grad=True)
    y = np.where(x > 0, x * 3, x * x).sum()
    y.backward()
    np.testing.assert_allclose(x.grad, [3.0, -4.0])
