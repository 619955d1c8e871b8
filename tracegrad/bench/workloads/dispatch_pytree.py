"""Per-call overhead with a pytree: the gradient with respect to a dict of 8 parameter
arrays (8 elements each), with 2 more arrays as positional data. The work is nothing;
the figure is the cost of flattening the dict, finding the program and building the
result (a value and a dict of 8 gradients)."""
import numpy as np

from .base import Workload

KEYS = tuple(f"w{i}" for i in range(8))


def make_inputs(size, dtype, rng):
    params = {k: rng.standard_normal(size).astype(dtype) for k in KEYS}
    x = rng.standard_normal(size).astype(dtype)
    y = rng.standard_normal(size).astype(dtype)
    return params, x, y


def make_loss(xp, size):
    def loss(params, x, y):
        total = xp.sum(params["w0"] * y)
        for k in KEYS:
            total = total + xp.sum(xp.sin(params[k]) * x)
        return total
    return loss


def make_torch_loss(torch, size):
    def loss(params, x, y):
        total = torch.sum(params["w0"] * y)
        for k in KEYS:
            total = total + torch.sum(torch.sin(params[k]) * x)
        return total
    return loss


def numpy_value_and_grad(params, x, y):
    value = np.sum(params["w0"] * y) + sum(np.sum(np.sin(params[k]) * x) for k in KEYS)
    grads = {k: np.cos(params[k]) * x for k in KEYS}
    grads["w0"] = grads["w0"] + y
    return value, grads


WORKLOAD = Workload(
    name="dispatch_pytree",
    description="sum(sin(p[k])*x) over a dict of 8 arrays, 8 elements: per-call overhead",
    size_name="n",
    quick_sizes=(8,),
    full_sizes=(8,),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    numpy_value_and_grad=numpy_value_and_grad,
    note="per call; gradient with respect to the dict (8 arrays), 2 positional arrays",
)
