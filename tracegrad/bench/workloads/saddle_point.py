"""Eager gradient descent inside gradient descent: the gradient of a saddle-point
problem's outer objective through `size` steps of gradient ascent on the inner
variable, each step an eager `grad` in a Python loop (a bilevel program, as in GAN or
adversarial training written imperatively). Every system nests its own grad
(tracegrad.grad, autograd.grad, jax.grad; torch.autograd.grad with create_graph=True)."""
import numpy as np

from .base import eager_workload
from .nested_grad import grad_of

DIM = 8
INNER_STEP = 0.3


def make_inputs(size, dtype, rng):
    return (rng.uniform(-1.0, 1.0, DIM).astype(dtype),)


def _objective(xp):
    def f(x, y):                        # convex in x, concave in y
        return (xp.sum(x * x) / 2 + xp.sum(xp.sin(x) * y) - xp.sum(y * y) / 2
                - xp.sum(y * y * y * y) / 12)
    return f


def _outer(f, grad_y, size):
    def loss(x):
        y = x * 0.0 + 0.1
        for _ in range(size):
            y = y + INNER_STEP * grad_y(x, y)      # ascent on the inner variable
        return f(x, y)
    return loss


def make_loss(xp, size):
    f = _objective(xp)
    return _outer(f, grad_of(xp)(f, 1), size)


def make_torch_loss(torch, size):
    f = _objective(torch)

    def grad_y(x, y):
        (d,) = torch.autograd.grad(f(x, y), y, create_graph=True)
        return d
    return _outer(f, grad_y, size)


WORKLOAD = eager_workload(
    name="saddle_point",
    description="eager gradient through `size` inner gradient-ascent steps (grad in grad)",
    size_name="inner steps",
    quick_sizes=(20,),
    full_sizes=(5, 20),
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
)
