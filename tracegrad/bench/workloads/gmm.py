"""Gaussian-mixture log-likelihood with a Wishart prior on the precisions: the GMM
objective of ADBench / GradBench (d=10, k=25, n=size points).

Parameters: alpha (k,) mixture logits, mu (k, d) means, q (k, d) log-diagonals and
l (k, d(d-1)/2) strictly-lower entries (column-major) of the precision factors Q_k.

  objective = -n d/2 log(2 pi) + sum_i logsumexp_k(alpha_k + sum(q_k)
                                                   - 1/2 |Q_k (x_i - mu_k)|^2)
              - n logsumexp(alpha) + log_wishart_prior
  log_wishart_prior = -sum_k [gamma^2/2 (|exp(q_k)|^2 + |l_k|^2) - m sum(q_k)]
                      + k (n_w d log(gamma/sqrt 2) - multigammaln(n_w/2, d)),  n_w = d+m+1

Following GradBench (with ADBench's fix #211). The lower-triangular factors are built as
l @ PLACE (PLACE a constant 0/1 matrix), which every array library can differentiate."""
import math

import numpy as np

from .base import Workload

D, K = 10, 25
GAMMA, M = 1.0, 0


def multigammaln(a, p):
    return 0.25 * p * (p - 1) * math.log(math.pi) + sum(
        math.lgamma(a + 0.5 * (1 - j)) for j in range(1, p + 1))


def lower_placement(d, dtype):
    """(d(d-1)/2, d*d) 0/1 matrix: row j puts l[j] at its (row, col) below the diagonal,
    filled column by column as in ADBench's constructL."""
    place = np.zeros((d * (d - 1) // 2, d * d), dtype)
    j = 0
    for col in range(d):
        for row in range(col + 1, d):
            place[j, row * d + col] = 1.0
            j += 1
    return place


def constant_terms(n, d, k):
    n_w = d + M + 1
    return (-n * d * 0.5 * math.log(2 * math.pi)
            + k * (n_w * d * math.log(GAMMA / math.sqrt(2)) - multigammaln(0.5 * n_w, d)))


def make_inputs(size, dtype, rng):
    params = {
        "alpha": rng.standard_normal(K).astype(dtype),
        "mu": rng.random((K, D)).astype(dtype),
        "q": (0.1 * rng.standard_normal((K, D))).astype(dtype),
        "l": (0.1 * rng.standard_normal((K, D * (D - 1) // 2))).astype(dtype),
    }
    x = rng.random((size, D)).astype(dtype)
    return params, x, lower_placement(D, dtype)


def make_loss(xp, size):
    def logsumexp(a, axis):
        top = xp.max(a, axis=axis, keepdims=True)
        return xp.squeeze(top, axis=axis) + xp.log(xp.sum(xp.exp(a - top), axis=axis))

    def loss(params, x, place):
        alpha, mu, q, l = params["alpha"], params["mu"], params["q"], params["l"]
        n, d = x.shape
        k = alpha.shape[0]
        Ls = xp.reshape(l @ place, (k, d, d))
        qdiags = xp.exp(q)
        sum_qs = xp.sum(q, axis=1)
        xcentered = x[:, None, :] - mu[None, :, :]                      # (n, k, d)
        Lx = xp.sum(Ls[None, :, :, :] * xcentered[:, :, None, :], axis=3)
        Qx = qdiags[None, :, :] * xcentered + Lx
        inner = alpha + sum_qs - 0.5 * xp.sum(Qx * Qx, axis=2)         # (n, k)
        prior = -xp.sum(0.5 * GAMMA * GAMMA * (xp.sum(qdiags * qdiags, axis=1)
                                               + xp.sum(l * l, axis=1)) - M * sum_qs)
        return (constant_terms(n, d, k) + xp.sum(logsumexp(inner, 1))
                - n * logsumexp(alpha, 0) + prior)
    return loss


def make_torch_loss(torch, size):
    def loss(params, x, place):
        alpha, mu, q, l = params["alpha"], params["mu"], params["q"], params["l"]
        n, d = x.shape
        k = alpha.shape[0]
        Ls = torch.reshape(l @ place, (k, d, d))
        qdiags = torch.exp(q)
        sum_qs = torch.sum(q, dim=1)
        xcentered = x[:, None, :] - mu[None, :, :]
        Lx = torch.sum(Ls[None, :, :, :] * xcentered[:, :, None, :], dim=3)
        Qx = qdiags[None, :, :] * xcentered + Lx
        inner = alpha + sum_qs - 0.5 * torch.sum(Qx * Qx, dim=2)
        prior = -torch.sum(0.5 * GAMMA * GAMMA * (torch.sum(qdiags * qdiags, dim=1)
                                                  + torch.sum(l * l, dim=1)) - M * sum_qs)
        return (constant_terms(n, d, k) + torch.sum(torch.logsumexp(inner, dim=1))
                - n * torch.logsumexp(alpha, dim=0) + prior)
    return loss


WORKLOAD = Workload(
    name="gmm",
    description="GMM log-likelihood + Wishart prior (ADBench), d=10 k=25",
    size_name="n",
    quick_sizes=(1000,),
    full_sizes=(1000,),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
)
