"""Eager nested gradients: value_and_grad of the (order - 1)-th derivative of a small
scalar function, itself computed with nested eager `grad` — the derivative of order
`size` of f(x) = tanh(sin(x) * x + 0.5) * exp(-x * x / 4) + log1p(x * x). Every system
nests its own grad (tracegrad.grad, autograd.grad, jax.grad; torch.autograd.grad with
create_graph=True), so the figure is the cost of a tower of eager traces."""
import numpy as np

from .base import eager_workload


def make_inputs(size, dtype, rng):
    return (np.asarray(rng.uniform(-1.0, 1.0), dtype),)


def _f(xp):
    def f(x):
        return xp.tanh(xp.sin(x) * x + 0.5) * xp.exp(-x * x / 4) + xp.log1p(x * x)
    return f


def grad_of(xp):
    """The library's grad for the namespace xp."""
    name = getattr(xp, "__name__", "")
    if name.startswith("tracegrad"):
        import tracegrad
        return tracegrad.grad
    if name.startswith("jax"):
        import jax
        return jax.grad
    import autograd
    return autograd.grad


def make_loss(xp, size):
    grad, f = grad_of(xp), _f(xp)
    for _ in range(size - 1):
        f = grad(f)
    return f


def make_torch_loss(torch, size):
    f = _f(torch)

    def derivative(g):
        def dg(x):
            (d,) = torch.autograd.grad(g(x), x, create_graph=True)
            return d
        return dg

    for _ in range(size - 1):
        f = derivative(f)
    return f


WORKLOAD = eager_workload(
    name="nested_grad",
    description="eager derivative of order `size` of a small scalar function (nested grad)",
    size_name="order",
    quick_sizes=(4,),
    full_sizes=(1, 2, 3, 4),
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    note="per gradient, eager (no compile); the measured value_and_grad adds the last order",
)
