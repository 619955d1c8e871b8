"""A tanh RNN (state 64, input 32, batch 16) unrolled in Python for `size` steps; the loss
is the mean square of the last state; gradient with respect to all weights."""
import numpy as np

from .base import Workload

STATE, INPUTS, BATCH = 64, 32, 16


def make_inputs(size, dtype, rng):
    params = {
        "Wx": (rng.standard_normal((INPUTS, STATE)) / np.sqrt(INPUTS)).astype(dtype),
        "Wh": (rng.standard_normal((STATE, STATE)) / np.sqrt(STATE)).astype(dtype),
        "b": np.zeros(STATE, dtype),
    }
    xs = rng.standard_normal((size, BATCH, INPUTS)).astype(dtype)
    h0 = np.zeros((BATCH, STATE), dtype)
    return params, xs, h0


def make_loss(xp, size):
    def loss(params, xs, h0):
        h = h0
        for t in range(xs.shape[0]):
            h = xp.tanh(xs[t] @ params["Wx"] + h @ params["Wh"] + params["b"])
        return xp.mean(h * h)
    return loss


def make_torch_loss(torch, size):
    def loss(params, xs, h0):
        h = h0
        for t in range(xs.shape[0]):
            h = torch.tanh(xs[t] @ params["Wx"] + h @ params["Wh"] + params["b"])
        return torch.mean(h * h)
    return loss


WORKLOAD = Workload(
    name="rnn",
    description="tanh RNN, state 64, unrolled over size steps, loss on last state",
    size_name="steps",
    quick_sizes=(100,),
    full_sizes=(100,),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
)
