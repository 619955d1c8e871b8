"""Tensor hooks, retain_grad, anomaly mode and gradcheck."""
import numpy as np
import pytest

import tracegrad as tg
from tracegrad import autograd as ag


def test_hook_replaces_the_gradient_flowing_back():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    seen = []
    h.register_hook(lambda g: seen.append(g.numpy().copy()))
    handle = h.register_hook(lambda g: g * 0 + 1)     # replace by ones
    (h * h).sum().backward(retain_graph=True)
    np.testing.assert_allclose(seen[0], [6.0, 12.0])
    np.testing.assert_allclose(x.grad, [3.0, 3.0])
    handle.remove()
    x.grad = None
    (h * h).sum().backward()
    np.testing.assert_allclose(x.grad, [18.0, 36.0])


def test_hook_on_a_leaf_runs_before_accumulation():
    w = tg.tensor([1.0, -4.0], requires_grad=True)
    w.register_hook(lambda g: np.clip(g, -1.0, 1.0))
    (w ** 2).sum().backward()
    np.testing.assert_allclose(w.grad, [1.0, -1.0])


def test_hooks_need_requires_grad():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        tg.tensor([1.0]).register_hook(lambda g: g)


def test_retain_grad_keeps_a_non_leaf_gradient():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    h.retain_grad()
    assert h.retains_grad and not x.retains_grad
    (h * 5).sum().backward()
    np.testing.assert_allclose(h.grad, [5.0, 5.0])
    assert (x * 2).grad is None


def test_anomaly_mode_names_the_line_of_sqrt_of_zero():
    x = tg.tensor([0.0, 4.0], requires_grad=True)
    y = np.sqrt(x)                               # the line anomaly mode must name
    line = y.grad_fn.location
    with ag.detect_anomaly():
        with pytest.raises(FloatingPointError) as err:
            y.sum().backward()
    message = str(err.value)
    assert "'sqrt'" in message and line in message and "forward pass" in message
    assert "element (0,)" in message
    assert not ag.is_anomaly_enabled()
    x.grad = None
    np.sqrt(x).sum().backward()                  # off: the inf goes into .grad
    assert np.isinf(x.grad[0].item())


def test_set_detect_anomaly_call_and_context():
    ag.set_detect_anomaly(True)
    try:
        assert ag.is_anomaly_enabled()
        with ag.set_detect_anomaly(False):
            assert not ag.is_anomaly_enabled()
        assert ag.is_anomaly_enabled()
    finally:
        ag.set_detect_anomaly(False)
    assert not ag.is_anomaly_enabled()


def test_anomaly_in_a_recorded_backward_pass():
    x = tg.tensor(0.0, requires_grad=True)
    (g,) = ag.grad(x ** 1.5, x, create_graph=True)    # 1.5 * x**0.5
    with ag.set_detect_anomaly(True), pytest.raises(FloatingPointError) as err:
        g.backward()
    assert "recorded backward pass" in str(err.value)


def test_gradcheck_passes_and_fails():
    x = tg.tensor([0.3, 0.9], requires_grad=True)
    assert ag.gradcheck(lambda t: np.sin(t) * t, (x,), check_forward_ad=True)
    assert ag.gradgradcheck(lambda t: (np.sin(t) * t).sum(), (x,))

    class WrongBackward(ag.Function):
        @staticmethod
        def forward(ctx, t):
            return t * t

        @staticmethod
        def backward(ctx, grad):
            return grad

    with pytest.raises(ag.GradcheckError, match="finite differences"):
        ag.gradcheck(WrongBackward.apply, (x,))
    assert ag.gradcheck(WrongBackward.apply, (x,), raise_exception=False) is False
    with pytest.raises(ValueError, match="requires_grad=True"):
        ag.gradcheck(np.sin, (tg.tensor([1.0]),))


def test_gradgradcheck_with_given_grad_outputs():
    x = tg.tensor([0.3, 0.9], requires_grad=True)
    v = tg.tensor([1.0, -2.0])
    assert ag.gradgradcheck(lambda t: np.sin(t) * t, (x,), (v,))
    assert ag.gradgradcheck(lambda t: np.sin(t) * t, (x,), v)
