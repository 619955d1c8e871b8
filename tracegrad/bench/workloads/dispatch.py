"""Per-call overhead: a 3-argument function on 8-element arrays, so the work is nothing
and the figure is the cost of getting in and out of the compiled program."""
from .base import Workload


def make_inputs(size, dtype, rng):
    return tuple(rng.standard_normal(size).astype(dtype) for _ in range(3))


def make_loss(xp, size):
    def loss(a, b, c):
        return xp.sum(a * b + xp.sin(a) * c)
    return loss


def make_torch_loss(torch, size):
    def loss(a, b, c):
        return torch.sum(a * b + torch.sin(a) * c)
    return loss


WORKLOAD = Workload(
    name="dispatch",
    description="sum(a*b + sin(a)*c) on 8 elements: per-call overhead",
    size_name="n",
    quick_sizes=(8,),
    full_sizes=(8,),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    note="per call; gradient with respect to the first argument",
)
