"""Eager per-operation cost: a chain of `size` scalar elementwise operations on one 0-d
parameter, differentiated without compiling (tracegrad's eager value_and_grad, HIPS
autograd, PyTorch eager). Each operation is a few NumPy calls' worth of work, so the
figure is the cost of recording an operation and running its backward rule."""
import numpy as np

from .base import eager_workload

# One block: six scalar operations, values staying in [-1, 1.1] whatever the start.
OPS_PER_BLOCK = 6


def make_inputs(size, dtype, rng):
    return (np.asarray(rng.uniform(-1.0, 1.0), dtype),)


def _chain(sin, tanh, size):
    def loss(x):
        y = x
        for _ in range(size // OPS_PER_BLOCK):
            y = sin(y) * 1.1 + 0.2          # 3 operations
            y = tanh(y) * y                 # 2
            y = y - 0.1                     # 1
        return y
    return loss


def make_loss(xp, size):
    return _chain(xp.sin, xp.tanh, size)


def make_torch_loss(torch, size):
    return _chain(torch.sin, torch.tanh, size)


WORKLOAD = eager_workload(
    name="scalar_chain",
    description="eager value_and_grad of a chain of `size` scalar ops (per-op overhead)",
    size_name="ops",
    quick_sizes=(600,),
    full_sizes=(600,),
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
)
