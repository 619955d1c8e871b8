"""The Hessian of a logistic-regression log-likelihood in its 200 parameters,
sum(y * z - log(1 + exp(z))) with z = X @ w, X of shape size x 200 and labels y in
{0, 1}: hessian = jacfwd(jacrev(loglik)) in tracegrad, JAX and torch.func (autograd's
hessian is its jacobian of its jacobian)."""
import numpy as np

from .base import Workload

PARAMETERS = 200


def make_inputs(size, dtype, rng):
    w = (0.1 * rng.standard_normal(PARAMETERS)).astype(dtype)
    X = (rng.standard_normal((size, PARAMETERS)) / np.sqrt(PARAMETERS)).astype(dtype)
    y = (rng.random(size) < 0.5).astype(dtype)
    return w, X, y


def make_loss(xp, size):
    def loglik(w, X, y):
        z = X @ w
        return xp.sum(y * z - xp.logaddexp(0.0, z))
    return loglik


def make_torch_loss(torch, size):
    def loglik(w, X, y):
        z = X @ w
        return torch.sum(y * z - torch.logaddexp(torch.zeros_like(z), z))
    return loglik


WORKLOAD = Workload(
    name="hessian",
    description="hessian of a logistic-regression log-likelihood, 200 parameters",
    size_name="rows",
    quick_sizes=(500,),
    full_sizes=(500,),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    kind="hessian",
    note="hessian(loglik)(w, X, y); result compared: the 200 x 200 Hessian",
    tags=("vmap",),
    in_default_suite=False,
)
