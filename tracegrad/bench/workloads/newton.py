"""Newton's method per element with a data-dependent number of iterations: solve
y**3 + a*y = b for `size` elements (a > 0, so the root is unique) with while_loop until
every residual is below 1e-10 (at most 100 iterations); loss = sum(w * y); the gradient
with respect to a and b goes through the iterations (reverse mode through a while loop
— JAX refuses this; tracegrad keeps a tape). PyTorch and autograd run Python loops."""
import numpy as np

from .base import Workload
from .control import control_flow

TOL, MAX_ITER = 1e-10, 100


def make_inputs(size, dtype, rng):
    params = {"a": rng.uniform(0.5, 2.0, size).astype(dtype),
              "b": rng.uniform(-3.0, 3.0, size).astype(dtype)}
    return params, np.linspace(0.5, 1.5, size).astype(dtype)


def make_loss(xp, size):
    lax = control_flow(xp)

    def loss(params, w):
        a, b = params["a"], params["b"]

        def residual(y):
            return y * y * y + a * y - b

        def cond(state):
            y, k = state
            return (xp.max(xp.abs(residual(y))) > TOL) & (k < MAX_ITER)

        def step(state):
            y, k = state
            return y - residual(y) / (3 * y * y + a), k + 1
        y, _ = lax.while_loop(cond, step, (b / (1 + a), 0))
        return xp.sum(w * y)
    return loss


def make_torch_loss(torch, size):
    def loss(params, w):
        a, b = params["a"], params["b"]
        y, k = b / (1 + a), 0
        while float(torch.max(torch.abs(y ** 3 + a * y - b)).detach()) > TOL and k < MAX_ITER:
            y, k = y - (y ** 3 + a * y - b) / (3 * y * y + a), k + 1
        return torch.sum(w * y)
    return loss


WORKLOAD = Workload(
    name="newton",
    description="per-element Newton solve with while_loop (data-dependent trip count), "
                "gradient through the iterations",
    size_name="n",
    quick_sizes=(10000,),
    full_sizes=(10000,),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    tags=("control flow",),
    known_failures={"jax": "JAX has no reverse mode through while_loop"},
)
