"""The rnn workload's tanh RNN (input 32, batch 16) written with `scan` instead of a
Python loop: one native loop when compiled, whatever the number of steps. Two state
sizes: 16 (`rnn_scan`, per-step overhead dominates) and 128 (`rnn_scan_wide`, the
matmuls do). PyTorch and autograd run Python loops."""
import numpy as np

from .base import Workload
from .control import control_flow
from .rnn import make_torch_loss

INPUTS, BATCH = 32, 16


def inputs_maker(state):
    def make_inputs(size, dtype, rng):
        params = {
            "Wx": (rng.standard_normal((INPUTS, state)) / np.sqrt(INPUTS)).astype(dtype),
            "Wh": (rng.standard_normal((state, state)) / np.sqrt(state)).astype(dtype),
            "b": np.zeros(state, dtype),
        }
        xs = rng.standard_normal((size, BATCH, INPUTS)).astype(dtype)
        return params, xs, np.zeros((BATCH, state), dtype)
    return make_inputs


def make_loss(xp, size):
    lax = control_flow(xp)

    def loss(params, xs, h0):
        def step(h, x):
            return xp.tanh(x @ params["Wx"] + h @ params["Wh"] + params["b"]), None
        h, _ = lax.scan(step, h0, xs)
        return xp.mean(h * h)
    return loss


def workload(name, state):
    return Workload(
        name=name,
        description=f"tanh RNN, state {state}, batch {BATCH}, written with scan over size "
                    f"steps, loss on last state",
        size_name="steps",
        quick_sizes=(100,),
        full_sizes=(100, 1000),
        dtype="float64",
        make_inputs=inputs_maker(state),
        make_loss=make_loss,
        make_torch_loss=make_torch_loss,
        tags=("control flow",),
    )


WORKLOAD = workload("rnn_scan", 16)
WIDE = workload("rnn_scan_wide", 128)
