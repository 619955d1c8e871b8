"""Each optimizer against its published update equations, written out here step by
step; the pure transformations inside a compiled training step; schedules; the
stateful API (zero_grad, dicts, closures, parameter groups)."""
import math

import numpy as np
import pytest

import tracegrad as tg
from tracegrad import optim

G = [np.array([0.5, -1.0]), np.array([0.2, 0.4]), np.array([-0.3, 0.1]),
     np.array([1.0, 1.0])]
P0 = np.array([1.0, -2.0])


def run(transform):
    p, state, out = P0, transform.init(P0), []
    for g in G:
        u, state = transform.update(g, state, p)
        p = optim.apply_updates(p, u)
        out.append(p)
    return out


def test_sgd_nesterov_with_weight_decay():
    lr, mu, wd = 0.1, 0.9, 0.01
    p, b, expected = P0.copy(), None, []
    for g in G:
        g = g + wd * p
        b = g if b is None else mu * b + g
        p = p - lr * (g + mu * b)
        expected.append(p)
    np.testing.assert_allclose(run(optim.sgd(lr, momentum=mu, weight_decay=wd,
                                             nesterov=True)), expected, rtol=1e-14)


def test_adam_kingma_and_ba():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    p, m, v, expected = P0.copy(), 0.0, 0.0, []
    for t, g in enumerate(G, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        p = p - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        expected.append(p)
    np.testing.assert_allclose(run(optim.adam(lr)), expected, rtol=1e-14)


def test_adamw_loshchilov_and_hutter():
    lr, b1, b2, eps, wd = 0.01, 0.9, 0.999, 1e-8, 0.1
    p, m, v, expected = P0.copy(), 0.0, 0.0, []
    for t, g in enumerate(G, start=1):
        p = p * (1 - lr * wd)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        p = p - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        expected.append(p)
    np.testing.assert_allclose(run(optim.adamw(lr, weight_decay=wd)), expected, rtol=1e-14)


def test_rmsprop_hinton_centered_with_momentum():
    lr, alpha, eps, mu = 0.01, 0.99, 1e-8, 0.5
    p, v, avg, b, expected = P0.copy(), 0.0, 0.0, 0.0, []
    for g in G:
        v = alpha * v + (1 - alpha) * g ** 2
        avg = alpha * avg + (1 - alpha) * g
        b = mu * b + g / (np.sqrt(v - avg ** 2) + eps)
        p = p - lr * b
        expected.append(p)
    np.testing.assert_allclose(run(optim.rmsprop(lr, momentum=mu, centered=True)), expected,
                               rtol=1e-12)


def test_schedules():
    step = optim.step_schedule(1.0, step_size=3, gamma=0.5)
    assert [float(step(c)) for c in range(7)] == [1, 1, 1, .5, .5, .5, .25]
    cosine = optim.cosine_schedule(1.0, decay_steps=4, min_value=0.2)
    assert [float(cosine(c)) for c in (0, 2, 4, 9)] == pytest.approx([1.0, 0.6, 0.2, 0.2])
    warm = optim.linear_warmup(cosine, warmup_steps=2, start_factor=0.0)
    assert float(warm(0)) == 0.0
    assert float(warm(1)) == pytest.approx(0.5 * (0.2 + 0.8 * (1 + math.cos(math.pi / 4)) / 2))


def test_compiled_training_step_with_a_schedule():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((16, 3)), rng.standard_normal(16)
    opt = optim.adam(optim.linear_warmup(optim.cosine_schedule(0.05, 20), 5, 0.0))

    def loss(params):
        return tg.numpy.mean((x @ params["w"] + params["b"] - y) ** 2)

    def train_step(params, state):
        value, grads = tg.value_and_grad(loss)(params)
        updates, state = opt.update(grads, state, params)
        return optim.apply_updates(params, updates), state, value

    compiled = tg.compile(train_step)
    params = {"w": np.zeros(3), "b": np.zeros(())}
    eager_params, eager_state = params, opt.init(params)
    state = opt.init(params)
    for _ in range(10):
        params, state, value = compiled(params, state)
        eager_params, eager_state, _ = train_step(eager_params, eager_state)
    np.testing.assert_allclose(params["w"], eager_params["w"], rtol=1e-12)
    assert int(state["count"]) == 10 and value < loss({"w": np.zeros(3), "b": 0.0})


def test_zero_grad_dicts_closures_and_groups():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor(0.5, requires_grad=True)
    opt = optim.SGD({"w": w, "b": b}, lr=0.1)
    (w * w).sum().backward()
    opt.step()
    np.testing.assert_allclose(w.detach().numpy(), [0.8, 1.6])
    assert b.detach().item() == 0.5                 # no gradient: not updated
    opt.zero_grad(set_to_none=False)
    assert w.grad.numpy().tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert w.grad is None

    def closure():
        opt.zero_grad()
        value = (w * b).sum()
        value.backward()
        return value
    assert opt.step(closure).item() == pytest.approx(1.2)

    groups = optim.SGD([{"params": [w]}, {"params": [b], "lr": 1.0}], lr=0.01)
    assert [g["lr"] for g in groups.param_groups] == [0.01, 1.0]
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([w * 2], lr=0.1)
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([w], lr=0.1, nesterov=True)


def test_state_dict_round_trip_continues_identically():
    def run(steps, restore_after=None):
        w = tg.tensor([1.0, -2.0], requires_grad=True)
        opt = optim.Adam([w], lr=0.1)
        for i in range(steps):
            opt.zero_grad()
            (w ** 4).sum().backward()
            opt.step()
            if i == restore_after:
                saved = opt.state_dict()
                opt = optim.Adam([w], lr=0.5)
                opt.load_state_dict(saved)
        return w.detach().numpy()
    np.testing.assert_array_equal(run(5), run(5, restore_after=2))
