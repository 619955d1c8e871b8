"""An ODE parameter fit: RK4 with `size` steps (dt = 0.01) of dy/dt = tanh(W y + b) - y/10
from a fixed y0 in 16 dimensions, loss = squared distance of y(T) to a target; the
gradient is with respect to W and b, through every step. Written with fori_loop (a scan:
one native loop when compiled); PyTorch and autograd run Python loops."""
import numpy as np

from .base import Workload
from .control import control_flow

DIM, DT = 16, 0.01


def make_inputs(size, dtype, rng):
    params = {"W": (rng.standard_normal((DIM, DIM)) / np.sqrt(DIM)).astype(dtype),
              "b": (0.1 * rng.standard_normal(DIM)).astype(dtype)}
    y0 = rng.standard_normal(DIM).astype(dtype)
    target = rng.standard_normal(DIM).astype(dtype)
    return params, y0, target


def make_loss(xp, size):
    lax = control_flow(xp)

    def loss(params, y0, target):
        W, b = params["W"], params["b"]

        def f(y):
            return xp.tanh(W @ y + b) - 0.1 * y

        def rk4(i, y):
            k1 = f(y)
            k2 = f(y + 0.5 * DT * k1)
            k3 = f(y + 0.5 * DT * k2)
            k4 = f(y + DT * k3)
            return y + (DT / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
        y = lax.fori_loop(0, size, rk4, y0)
        return xp.sum((y - target) ** 2)
    return loss


def make_torch_loss(torch, size):
    def loss(params, y0, target):
        W, b = params["W"], params["b"]

        def f(y):
            return torch.tanh(W @ y + b) - 0.1 * y
        y = y0
        for _ in range(size):
            k1 = f(y)
            k2 = f(y + 0.5 * DT * k1)
            k3 = f(y + 0.5 * DT * k2)
            k4 = f(y + DT * k3)
            y = y + (DT / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
        return torch.sum((y - target) ** 2)
    return loss


WORKLOAD = Workload(
    name="ode",
    description="RK4 ODE fit, 16-dim state, size steps with fori_loop, gradient w.r.t. W, b",
    size_name="steps",
    quick_sizes=(1000,),
    full_sizes=(100, 1000),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    tags=("control flow",),
)
