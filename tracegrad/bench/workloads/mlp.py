"""One SGD training step of a 784-512-512-10 ReLU MLP with softmax cross-entropy:
value_and_grad over a dict of parameters, then params - lr * grads."""
import numpy as np

from .base import Workload

LAYERS = (784, 512, 512, 10)


def make_inputs(size, dtype, rng):
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(LAYERS[:-1], LAYERS[1:]), start=1):
        params[f"W{i}"] = (rng.standard_normal((fan_in, fan_out))
                           * np.sqrt(2.0 / fan_in)).astype(dtype)
        params[f"b{i}"] = np.zeros(fan_out, dtype)
    x = rng.standard_normal((size, LAYERS[0])).astype(dtype)
    onehot = np.eye(LAYERS[-1], dtype=dtype)[rng.integers(0, LAYERS[-1], size)]
    return params, x, onehot


def make_loss(xp, size):
    def loss(params, x, onehot):
        h1 = xp.maximum(x @ params["W1"] + params["b1"], 0.0)
        h2 = xp.maximum(h1 @ params["W2"] + params["b2"], 0.0)
        logits = h2 @ params["W3"] + params["b3"]
        shifted = logits - xp.max(logits, axis=1, keepdims=True)
        log_probs = shifted - xp.log(xp.sum(xp.exp(shifted), axis=1, keepdims=True))
        return -xp.sum(onehot * log_probs) / x.shape[0]
    return loss


def make_torch_loss(torch, size):
    def loss(params, x, onehot):
        h1 = torch.relu(x @ params["W1"] + params["b1"])
        h2 = torch.relu(h1 @ params["W2"] + params["b2"])
        logits = h2 @ params["W3"] + params["b3"]
        shifted = logits - torch.amax(logits, dim=1, keepdim=True)
        log_probs = shifted - torch.log(torch.sum(torch.exp(shifted), dim=1, keepdim=True))
        return -torch.sum(onehot * log_probs) / x.shape[0]
    return loss


def numpy_value_and_grad(params, x, onehot):
    """Textbook backpropagation, written the way a NumPy user would."""
    z1 = x @ params["W1"] + params["b1"]
    h1 = np.maximum(z1, 0)
    z2 = h1 @ params["W2"] + params["b2"]
    h2 = np.maximum(z2, 0)
    logits = h2 @ params["W3"] + params["b3"]
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    exps = np.exp(shifted)
    sums = np.sum(exps, axis=1, keepdims=True)
    n = x.shape[0]
    value = -np.sum(onehot * (shifted - np.log(sums))) / n
    d_logits = (exps / sums - onehot) / np.asarray(n, x.dtype)
    d_h2 = (d_logits @ params["W3"].T) * (z2 > 0)
    d_h1 = (d_h2 @ params["W2"].T) * (z1 > 0)
    grads = {"W1": x.T @ d_h1, "b1": d_h1.sum(0), "W2": h1.T @ d_h2, "b2": d_h2.sum(0),
             "W3": h2.T @ d_logits, "b3": d_logits.sum(0)}
    return value, grads


WORKLOAD = Workload(
    name="mlp",
    description="SGD step, MLP 784-512-512-10 (ReLU), softmax cross-entropy",
    size_name="batch",
    quick_sizes=(256,),
    full_sizes=(256,),
    dtype="float32",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    numpy_value_and_grad=numpy_value_and_grad,
    kind="train_step",
    learning_rate=0.01,
    note="value_and_grad + SGD update; result compared: loss and updated params",
)
