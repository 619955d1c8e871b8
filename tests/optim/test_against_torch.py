"""Every optimizer and schedule gives torch.optim's numbers to 1e-10 in float64 over
several steps, as a stateful optimizer on tensors and as a pure transformation."""
import numpy as np
import pytest

import tracegrad as tg
from tracegrad import optim

torch = pytest.importorskip("torch")

CASES = [
    ("SGD", "sgd", dict(lr=0.1)),
    ("SGD", "sgd", dict(lr=0.1, momentum=0.9)),
    ("SGD", "sgd", dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", "sgd", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1)),
    ("Adam", "adam", dict(lr=0.01)),
    ("Adam", "adam", dict(lr=0.01, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1)),
    ("Adam", "adam", dict(lr=0.01, amsgrad=True, maximize=True)),
    ("AdamW", "adamw", dict(lr=0.01)),
    ("AdamW", "adamw", dict(lr=0.01, weight_decay=0.3, amsgrad=True)),
    ("RMSprop", "rmsprop", dict(lr=0.01)),
    ("RMSprop", "rmsprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True,
                                weight_decay=0.05)),
]
STEPS = 6


def loss(w, b, x):
    return ((x @ w + b) ** 3).sum() / 10 + (w ** 2).sum()


def data():
    rng = np.random.default_rng(1)
    return rng.standard_normal((3, 2)), rng.standard_normal(2), rng.standard_normal((4, 3))


def torch_run(class_name, kwargs):
    w0, b0, x = data()
    w = torch.tensor(w0, requires_grad=True)
    b = torch.tensor(b0, requires_grad=True)
    opt = getattr(torch.optim, class_name)([w, b], **kwargs)
    xs = torch.tensor(x)
    for _ in range(STEPS):
        opt.zero_grad()
        loss(w, b, xs).backward()
        opt.step()
    return w.detach().numpy(), b.detach().numpy()


@pytest.mark.parametrize("class_name, fn_name, kwargs", CASES, ids=[
    f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)])
def test_stateful_optimizer_matches_torch(class_name, fn_name, kwargs):
    w0, b0, x = data()
    w = tg.tensor(w0, requires_grad=True)
    b = tg.tensor(b0, requires_grad=True)
    opt = getattr(optim, class_name)([w, b], **kwargs)
    for _ in range(STEPS):
        opt.zero_grad()
        loss(w, b, tg.tensor(x)).backward()
        opt.step()
    expected = torch_run(class_name, kwargs)
    np.testing.assert_allclose(w.detach().numpy(), expected[0], rtol=0, atol=1e-10)
    np.testing.assert_allclose(b.detach().numpy(), expected[1], rtol=0, atol=1e-10)


@pytest.mark.parametrize("class_name, fn_name, kwargs", CASES, ids=[
    f"{f}-{i}" for i, (_, f, _) in enumerate(CASES)])
def test_pure_transformation_matches_torch(class_name, fn_name, kwargs):
    w0, b0, x = data()
    rest = {k: v for k, v in kwargs.items() if k != "lr"}
    transform = getattr(optim, fn_name)(kwargs["lr"], **rest)
    params = {"w": w0, "b": b0}
    state = transform.init(params)
    grad = tg.grad(lambda p: loss(p["w"], p["b"], x))
    for _ in range(STEPS):
        updates, state = transform.update(grad(params), state, params)
        params = optim.apply_updates(params, updates)
    expected = torch_run(class_name, kwargs)
    np.testing.assert_allclose(params["w"], expected[0], rtol=0, atol=1e-10)
    np.testing.assert_allclose(params["b"], expected[1], rtol=0, atol=1e-10)


@pytest.mark.parametrize("make, make_torch", [
    (lambda opt: optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5),
     lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)),
    (lambda opt: optim.lr_scheduler.CosineAnnealingLR(opt, T_max=7, eta_min=0.01),
     lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=7, eta_min=0.01)),
    (lambda opt: optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=4),
     lambda opt: torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=4)),
], ids=["step", "cosine", "linear-warmup"])
def test_schedulers_match_torch(make, make_torch):
    ours = make(optim.SGD([tg.tensor([1.0], requires_grad=True)], lr=0.3))
    theirs = make_torch(torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3))
    for _ in range(7):
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), atol=1e-12)
        ours.optimizer.step()
        theirs.optimizer.step()
        ours.step()
        theirs.step()
