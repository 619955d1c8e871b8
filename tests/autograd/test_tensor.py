"""Tensor behaves like a NumPy array, and records while it requires grad."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad import autograd as ag


def test_tensor_copies_and_follows_numpy_dtypes():
    data = np.array([1.0, 2.0])
    t = tg.tensor(data)
    data[0] = 5.0
    assert t.numpy().tolist() == [1.0, 2.0]
    assert t.dtype == np.float64 and tg.tensor([1, 2]).dtype == np.int64
    assert tg.tensor([1, 2], dtype=np.float32).dtype == np.float32
    assert not t.requires_grad and t.is_leaf and t.grad_fn is None


def test_array_interface():
    x = tg.tensor(np.arange(6.0).reshape(2, 3))
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6 and x.size() == (2, 3)
    assert x.size(1) == 3 and x.numel() == 6 and x.dim() == 2 and len(x) == 2
    np.testing.assert_array_equal(x.T, np.arange(6.0).reshape(2, 3).T)
    np.testing.assert_array_equal(x[1, 1:], [4.0, 5.0])
    np.testing.assert_array_equal(x[x > 2.5], [3.0, 4.0, 5.0])
    assert x.sum().item() == 15.0 and float(x.max()) == 5.0
    np.testing.assert_array_equal(x.sum(dim=0, keepdim=True), [[3.0, 5.0, 7.0]])
    np.testing.assert_array_equal(np.concatenate([x, x]).shape, (4, 3))
    np.testing.assert_allclose(np.exp(x), np.exp(np.arange(6.0).reshape(2, 3)))
    assert isinstance(x @ x.T, ag.Tensor) and isinstance(np.sum(x), ag.Tensor)
    assert repr(tg.tensor([1.0, 2.0], requires_grad=True)) == \
        "tensor([1., 2.], requires_grad=True)"


def test_operations_record_only_when_an_input_requires_grad():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    c = tg.tensor([3.0, 4.0])
    assert (x * c).requires_grad and not (c * c).requires_grad
    y = (x * c).sum()
    assert y.grad_fn.name() == "ReduceSumBackward"
    assert y.grad_fn.location.endswith(f"test_tensor.py:{_line() - 2}")
    assert not y.is_leaf and x.is_leaf


def _line():
    import inspect
    return inspect.currentframe().f_back.f_lineno


def test_numpy_of_a_tensor_that_requires_grad_says_detach():
    x = tg.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"tensor.detach\(\).numpy\(\)"):
        x.numpy()
    with pytest.raises(RuntimeError, match="detach"):
        np.asarray(x)
    assert x.detach().numpy().tolist() == [1.0]
    assert x.numpy(force=True).tolist() == [1.0]


def test_only_float_tensors_require_grad():
    with pytest.raises(RuntimeError, match="floating point"):
        tg.tensor([1, 2], requires_grad=True)


def test_requires_grad_of_non_leaf_cannot_change():
    x = tg.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf variables"):
        (x * 2).requires_grad_(False)
    x.requires_grad_(False)
    assert not x.requires_grad


def test_detach_shares_data_and_stops_recording():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and not (d * 2).requires_grad
    with tg.no_grad():
        x[0] = 7.0
    assert d[0].item() == 7.0


def test_no_grad_and_enable_grad_as_context_managers_and_decorators():
    x = tg.tensor([1.0], requires_grad=True)
    with tg.no_grad():
        assert not (x * 2).requires_grad
        with tg.enable_grad():
            assert (x * 2).requires_grad
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()

    @tg.no_grad()
    def double(t):
        return t * 2
    assert not double(x).requires_grad and ag.is_grad_enabled()
    tg.set_grad_enabled(False)
    assert not (x * 2).requires_grad
    tg.set_grad_enabled(True)
    with tg.set_grad_enabled(False):
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()


def test_in_place_on_a_leaf_that_requires_grad_needs_no_grad():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="no_grad"):
        w += 1
    with tg.no_grad():
        w -= 0.5
    assert w.is_leaf and w.requires_grad and w.detach().numpy().tolist() == [0.5, 1.5]


def test_in_place_on_a_non_leaf_is_recorded():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1.0
    y *= x                       # y = x**2
    y[0] = 0.0                   # drops x[0]
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [0.0, 4.0])


def test_modifying_a_recorded_leaf_makes_backward_raise():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    with tg.no_grad():
        w.data -= 1.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()
    (w * w).sum().backward()                 # a fresh graph uses the new value
    np.testing.assert_allclose(w.grad, [0.0, 2.0])


def test_as_tensor_shares_memory():
    data = np.array([1.0, 2.0])
    t = ag.as_tensor(data)
    data[0] = 9.0
    assert t[0].item() == 9.0
    assert ag.as_tensor(t) is t and ag.as_tensor(t, np.float32).dtype == np.float32


def test_a_tensor_result_of_a_function_under_grad_is_differentiated():
    # Tensor operations inside a functional gradient give tensors holding the traced
    # values: returning one must differentiate through it, not take its data as a
    # constant (a zero gradient).
    x = np.array([3.0, 4.0])
    w = tg.tensor([1.0, 2.0])
    np.testing.assert_allclose(tg.grad(lambda z: (w * z * z).sum())(x), [6.0, 16.0])
    value, grad = tg.value_and_grad(lambda z: np.sum(w * z))(x)
    assert value == 11.0
    np.testing.assert_allclose(grad, [1.0, 2.0])
    # With a tensor that requires grad the gradient is a tensor on its tape (as
    # torch.func.grad gives): d/dv of sum(2 v x) is 2 x. Either operand order.
    for order in (lambda v, z: v * z * z, lambda v, z: z * v * z):
        v = tg.tensor([1.0, 2.0], requires_grad=True)
        taped = tg.grad(lambda z: order(v, z).sum())(x)
        assert isinstance(taped, tg.Tensor) and taped.requires_grad
        np.testing.assert_allclose(taped.detach().numpy(), [6.0, 16.0])
        taped.sum().backward()
        np.testing.assert_allclose(v.grad.numpy(), 2 * x)


def test_tracers_and_tensors_mix_in_either_order():
    # tracer * tensor is tensor * tracer (the tracer's operator defers to the tensor's),
    # and a tracegrad.numpy call takes the tensor's value: never the tensor's data taken
    # as a plain array (an error for a tensor requiring grad).
    x = np.array([3.0, 4.0])
    v = tg.tensor([1.0, 2.0], requires_grad=True)
    for fn in (lambda z: (z * v).sum(), lambda z: (v * z).sum(),
               lambda z: tnp.multiply(z, v).sum(), lambda z: (z @ v) * 1.0,
               lambda z: ((z < v) * z).sum() + (v * z).sum() - (z * (z < v)).sum()):
        np.testing.assert_allclose(np.asarray(tg.grad(fn)(x).detach().numpy()), [1.0, 2.0])
    value, slope = tg.value_and_grad(lambda z: (z - v).sum() * 2.0)(x)
    assert isinstance(value, tg.Tensor) and float(value.detach().numpy()) == 8.0
    np.testing.assert_allclose(slope, [2.0, 2.0])        # no tensor reached: an array
    out, pull = tg.vjp(lambda z: v * z, x)
    assert isinstance(out, tg.Tensor) and isinstance(pull(np.ones(2))[0], tg.Tensor)
    primal, tangent = tg.jvp(lambda z: v * z, (x,), (np.ones(2),))
    assert isinstance(primal, tg.Tensor) and isinstance(tangent, tg.Tensor)
    np.testing.assert_allclose(tangent.detach().numpy(), [1.0, 2.0])
