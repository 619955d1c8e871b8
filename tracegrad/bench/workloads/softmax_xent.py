"""Softmax cross-entropy of logits (size x 1000) against one-hot labels, gradient with
respect to the logits. The log-sum-exp is written out (max-shifted) so that every
namespace runs the same code."""
import numpy as np

from .base import Workload

CLASSES = 1000


def make_inputs(size, dtype, rng):
    logits = (3 * rng.standard_normal((size, CLASSES))).astype(dtype)
    onehot = np.eye(CLASSES, dtype=dtype)[rng.integers(0, CLASSES, size)]
    return logits, onehot


def make_loss(xp, size):
    def loss(logits, onehot):
        shifted = logits - xp.max(logits, axis=1, keepdims=True)
        log_probs = shifted - xp.log(xp.sum(xp.exp(shifted), axis=1, keepdims=True))
        return -xp.sum(onehot * log_probs) / logits.shape[0]
    return loss


def make_torch_loss(torch, size):
    def loss(logits, onehot):
        shifted = logits - torch.amax(logits, dim=1, keepdim=True)
        log_probs = shifted - torch.log(torch.sum(torch.exp(shifted), dim=1, keepdim=True))
        return -torch.sum(onehot * log_probs) / logits.shape[0]
    return loss


def numpy_value_and_grad(logits, onehot):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    exps = np.exp(shifted)
    sums = np.sum(exps, axis=1, keepdims=True)
    n = logits.shape[0]
    value = -np.sum(onehot * (shifted - np.log(sums))) / n
    # rows of onehot sum to 1, so the gradient is (softmax - onehot) / n
    return value, (exps / sums - onehot) / np.asarray(n, logits.dtype)


WORKLOAD = Workload(
    name="softmax_xent",
    description="softmax cross-entropy, logits size x 1000",
    size_name="batch",
    quick_sizes=(512,),
    full_sizes=(512,),
    dtype="float32",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    numpy_value_and_grad=numpy_value_and_grad,
)
