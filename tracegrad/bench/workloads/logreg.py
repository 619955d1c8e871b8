"""L2-regularised logistic regression: mean(log(1+exp(-y * X@w))) + lam/2 |w|^2,
X of shape size x 100, labels y in {-1, +1}."""
import numpy as np

from .base import Workload

FEATURES = 100
LAM = 1e-3


def make_inputs(size, dtype, rng):
    X = rng.standard_normal((size, FEATURES)).astype(dtype)
    w = (0.1 * rng.standard_normal(FEATURES)).astype(dtype)
    y = np.where(rng.random(size) < 0.5, -1.0, 1.0).astype(dtype)
    return w, X, y


def make_loss(xp, size):
    def loss(w, X, y):
        margins = -y * (X @ w)
        return xp.mean(xp.logaddexp(0.0, margins)) + 0.5 * LAM * xp.sum(w * w)
    return loss


def make_torch_loss(torch, size):
    def loss(w, X, y):
        margins = -y * (X @ w)
        return (torch.mean(torch.logaddexp(torch.zeros_like(margins), margins))
                + 0.5 * LAM * torch.sum(w * w))
    return loss


def numpy_value_and_grad(w, X, y):
    margins = -y * (X @ w)
    softplus = np.logaddexp(0.0, margins)
    value = np.mean(softplus) + 0.5 * LAM * np.sum(w * w)
    # d softplus(m)/dm = sigmoid(m) = exp(m - softplus(m)), stable for any sign of m
    d_margins = np.exp(margins - softplus) / len(y)
    return value, X.T @ (-y * d_margins) + LAM * w


WORKLOAD = Workload(
    name="logreg",
    description="logistic regression loss, X size x 100",
    size_name="rows",
    quick_sizes=(10_000,),
    full_sizes=(10_000,),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    numpy_value_and_grad=numpy_value_and_grad,
)
