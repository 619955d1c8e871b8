"""Losses and data shared by the distributed tests."""
import numpy as np

import tracegrad.numpy as tnp


def logistic(w, x, y):
    return tnp.mean(tnp.logaddexp(0.0, -y * (x @ w)))


def logistic_sum(w, x, y):
    return tnp.sum(tnp.logaddexp(0.0, -y * (x @ w)))


def mlp(params, x, y):
    h = tnp.tanh(x @ params["W1"] + params["b1"])
    return tnp.mean((h @ params["w2"] - y) ** 2)


def mlp_with_aux(params, x, y):
    value = mlp(params, x, y)
    return value, x.shape[0]


def data(rows, cols=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, cols))
    y = np.sign(x @ rng.standard_normal(cols) + 0.1)      # separable by construction
    return x, y


def mlp_params(cols=8, hidden=16, seed=1):
    rng = np.random.default_rng(seed)
    return {"W1": rng.standard_normal((cols, hidden)) * 0.3, "b1": np.zeros(hidden),
            "w2": rng.standard_normal(hidden) * 0.3}
