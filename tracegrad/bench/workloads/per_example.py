"""Per-example gradients with vmap: the gradient of a one-example MLP loss (ReLU hidden
layer, softmax cross-entropy) for every example of a batch at once —
vmap(grad(loss), in_axes=(None, 0, 0)): the parameters are shared, the examples and
their labels are batched along axis 0. The result is one gradient per example (each
parameter with a leading batch axis), not their mean.

Two workloads: `per_example_grads`, compiled (784-256-10, the issue's figure), and
`vmap_eager`, a small network without compile, where a Python loop of `grad` over the
examples is the alternative (the `tracegrad-loop` system measures that loop)."""
import numpy as np

from .base import Workload

IN_AXES = (None, 0, 0)


def _inputs(layers):
    def make_inputs(size, dtype, rng):
        params = {}
        for i, (fan_in, fan_out) in enumerate(zip(layers[:-1], layers[1:]), start=1):
            params[f"W{i}"] = (rng.standard_normal((fan_in, fan_out))
                               * np.sqrt(2.0 / fan_in)).astype(dtype)
            params[f"b{i}"] = (0.1 * rng.standard_normal(fan_out)).astype(dtype)
        x = rng.standard_normal((size, layers[0])).astype(dtype)
        onehot = np.eye(layers[-1], dtype=dtype)[rng.integers(0, layers[-1], size)]
        return params, x, onehot
    return make_inputs


def make_loss(xp, size):
    """The loss of one example: x of shape (inputs,), onehot of shape (classes,)."""
    def loss(params, x, onehot):
        h = xp.maximum(x @ params["W1"] + params["b1"], 0.0)
        logits = h @ params["W2"] + params["b2"]
        shifted = logits - xp.max(logits)
        return -xp.sum(onehot * (shifted - xp.log(xp.sum(xp.exp(shifted)))))
    return loss


def make_torch_loss(torch, size):
    def loss(params, x, onehot):
        h = torch.relu(x @ params["W1"] + params["b1"])
        logits = h @ params["W2"] + params["b2"]
        shifted = logits - torch.amax(logits)
        return -torch.sum(onehot * (shifted - torch.log(torch.sum(torch.exp(shifted)))))
    return loss


WORKLOAD = Workload(
    name="per_example_grads",
    description="per-example gradients, MLP 784-256-10 (ReLU), softmax cross-entropy",
    size_name="batch",
    quick_sizes=(256,),
    full_sizes=(256,),
    dtype="float32",
    make_inputs=_inputs((784, 256, 10)),
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    kind="per_example_grad",
    in_axes=IN_AXES,
    note="vmap(grad(loss), in_axes=(None, 0, 0)); result compared: every example's "
         "gradient; autograd has no vmap: a Python loop of grad",
    tags=("vmap",),
    in_default_suite=False,
)

EAGER = Workload(
    name="vmap_eager",
    description="eager per-example gradients, MLP 32-64-10 (ReLU), vmap vs a loop of grad",
    size_name="batch",
    quick_sizes=(256,),
    full_sizes=(64, 256),
    dtype="float32",
    make_inputs=_inputs((32, 64, 10)),
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    kind="per_example_grad",
    in_axes=IN_AXES,
    note="tracegrad: eager vmap(grad(loss)); tracegrad-loop: a Python loop of eager grad "
         "over the examples (its 'vs tracegrad' is vmap's speed-up); JAX stays jitted",
    tags=("vmap", "eager"),
    eager=True,
    in_default_suite=False,
)
