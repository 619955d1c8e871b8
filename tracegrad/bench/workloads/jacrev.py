"""The Jacobian of f: R^size -> R^100 by reverse mode (jacrev), f(x) =
tanh(A @ sin(x)) * sum(x * x) with A a fixed 100 x size matrix: a 100 x size result,
one VJP per output row, batched with vmap in tracegrad, JAX and torch.func."""
import numpy as np

from .base import Workload

OUTPUTS = 100


def make_inputs(size, dtype, rng):
    x = rng.standard_normal(size).astype(dtype)
    A = (rng.standard_normal((OUTPUTS, size)) / np.sqrt(size)).astype(dtype)
    return x, A


def make_loss(xp, size):
    def f(x, A):
        return xp.tanh(A @ xp.sin(x)) * xp.sum(x * x)
    return f


def make_torch_loss(torch, size):
    def f(x, A):
        return torch.tanh(A @ torch.sin(x)) * torch.sum(x * x)
    return f


WORKLOAD = Workload(
    name="jacrev",
    description="jacrev of tanh(A @ sin(x)) * sum(x*x): R^size -> R^100",
    size_name="inputs",
    quick_sizes=(1000,),
    full_sizes=(1000,),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    kind="jacobian",
    note="jacrev(f)(x, A), A fixed; result compared: the 100 x size Jacobian",
    tags=("vmap",),
    in_default_suite=False,
)
