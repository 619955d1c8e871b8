"""The classic PyTorch autograd examples, written with tracegrad's imperative API, each
checked against the numbers PyTorch gives (computed by torch when installed, by hand
otherwise) and the training loop against the functional API."""
import numpy as np
import pytest

import tracegrad as tg
from tracegrad import autograd as ag
from tracegrad import optim


class CoupledProduct(ag.Function):
    """y = a * b, but a's gradient is made a function of b: grad_a = g * b**2."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b ** 2, grad * a


def test_one_parameters_gradient_a_function_of_another():
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([3.0, -1.0], requires_grad=True)
    CoupledProduct.apply(a, b).sum().backward()
    np.testing.assert_allclose(a.grad, [9.0, 1.0])
    np.testing.assert_allclose(b.grad, [1.0, 2.0])
    # The same rule under the functional API: one implementation (custom_vjp).
    ga, gb = tg.grad(lambda a, b: CoupledProduct.apply(a, b).sum(), argnums=(0, 1))(
        np.array([1.0, 2.0]), np.array([3.0, -1.0]))
    np.testing.assert_allclose(ga, [9.0, 1.0])
    np.testing.assert_allclose(gb, [1.0, 2.0])


def test_gradient_accumulation_over_micro_batches_and_zero_grad():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((8, 3)), rng.standard_normal(8)
    w = tg.tensor(np.zeros(3), requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    for half in (slice(0, 4), slice(4, 8)):             # two micro-batches, one step
        (((tg.tensor(x[half]) @ w - tg.tensor(y[half])) ** 2).sum() / 8).backward()
    full = tg.grad(lambda w: np.sum((x @ w - y) ** 2) / 8)(np.zeros(3))
    np.testing.assert_allclose(w.grad, full, rtol=1e-12)
    opt.step()
    opt.zero_grad()
    assert w.grad is None


def test_backward_of_a_vector_with_a_gradient_vector():
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    while y.detach().numpy().sum() < 100:                # dynamic graph: Python control flow
        y = y * 2
    v = tg.tensor([0.1, 1.0, 0.0001])
    y.backward(v)
    np.testing.assert_allclose(x.grad, np.array([0.1, 1.0, 0.0001]) * 32)


def test_detach_and_no_grad_stop_gradients():
    x = tg.tensor(2.0, requires_grad=True)
    y = x * x
    u = y.detach()
    z = u * x
    z.backward()
    assert x.grad.item() == 4.0                          # u is a constant
    with tg.no_grad():
        frozen = x * 3
    assert frozen.grad_fn is None and not frozen.requires_grad


def test_retain_graph_errors_and_reuse():
    x = tg.tensor(3.0, requires_grad=True)
    y = x ** 2
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 12.0
    with pytest.raises(RuntimeError, match="Specify retain_graph=True"):
        y.backward()


def test_hook_clipping_gradients():
    w = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w.register_hook(lambda g: g.clamp(-1.0, 1.0))
    (w ** 3).sum().backward()                             # 3 w**2 = [3, 12, 27]
    np.testing.assert_allclose(w.grad, [1.0, 1.0, 1.0])


def test_anomaly_detection_catches_the_backward_of_sqrt_of_zero():
    x = tg.tensor([0.0, 1.0], requires_grad=True)
    with ag.set_detect_anomaly(True):
        y = np.sqrt(x)
        with pytest.raises(FloatingPointError, match="'sqrt'") as err:
            (y * 0.5).sum().backward()
    assert y.grad_fn.location in str(err.value)


def _training_data():
    rng = np.random.default_rng(42)
    x = rng.standard_normal((32, 4))
    return x, np.tanh(x @ rng.standard_normal(4)) + 0.1 * rng.standard_normal(32)


def _init():
    rng = np.random.default_rng(7)
    return rng.standard_normal((4, 8)) * 0.5, np.zeros(8), rng.standard_normal(8) * 0.5


def _loss(w1, b1, w2, x, y):
    return ((np.tanh(x @ w1 + b1) @ w2 - y) ** 2).mean()


def test_training_loop_with_adam_matches_functional_and_torch():
    x, y = _training_data()
    steps, lr = 25, 0.01

    params = [tg.tensor(p, requires_grad=True) for p in _init()]
    opt = optim.Adam(params, lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        _loss(*params, tg.tensor(x), tg.tensor(y)).backward()
        opt.step()
    imperative = [p.detach().numpy() for p in params]

    transform = optim.adam(lr)
    functional = list(_init())
    state = transform.init(functional)
    grad = tg.grad(lambda ps: _loss(*ps, x, y))
    for _ in range(steps):
        updates, state = transform.update(grad(functional), state, functional)
        functional = optim.apply_updates(functional, updates)
    for a, b in zip(imperative, functional):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)

    torch = pytest.importorskip("torch")
    tparams = [torch.tensor(p, requires_grad=True) for p in _init()]
    topt = torch.optim.Adam(tparams, lr=lr)
    tx, ty = torch.tensor(x), torch.tensor(y)
    for _ in range(steps):
        topt.zero_grad()
        ((torch.tanh(tx @ tparams[0] + tparams[1]) @ tparams[2] - ty) ** 2).mean().backward()
        topt.step()
    for a, b in zip(imperative, tparams):
        np.testing.assert_allclose(a, b.detach().numpy(), rtol=0, atol=1e-10)
