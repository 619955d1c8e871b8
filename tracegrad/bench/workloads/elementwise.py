"""sum(sin(x)*exp(-x*x)+tanh(x)): a long elementwise chain and one reduction."""
import numpy as np

from .base import Workload


def make_inputs(size, dtype, rng):
    return (rng.standard_normal(size).astype(dtype),)


def make_loss(xp, size):
    def loss(x):
        return xp.sum(xp.sin(x) * xp.exp(-x * x) + xp.tanh(x))
    return loss


def make_torch_loss(torch, size):
    def loss(x):
        return torch.sum(torch.sin(x) * torch.exp(-x * x) + torch.tanh(x))
    return loss


def numpy_value_and_grad(x):
    # d/dx [sin x e^{-x^2} + tanh x] = (cos x - 2x sin x) e^{-x^2} + 1 - tanh^2 x
    s, c, e, t = np.sin(x), np.cos(x), np.exp(-x * x), np.tanh(x)
    value = np.sum(s * e + t)
    return value, (c - 2 * x * s) * e + (1 - t * t)


WORKLOAD = Workload(
    name="elementwise",
    description="sum(sin(x)*exp(-x*x)+tanh(x))",
    size_name="n",
    quick_sizes=(1_000, 100_000, 1_000_000),
    full_sizes=(1_000, 100_000, 1_000_000, 10_000_000),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    numpy_value_and_grad=numpy_value_and_grad,
)
