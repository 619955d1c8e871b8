"""autograd (HIPS): autograd.value_and_grad on the same source with autograd.numpy;
autograd.jacobian and autograd.hessian for those kinds. autograd has no vmap: its
per-example gradients are a Python loop of autograd.grad over the examples."""
from __future__ import annotations

from ..trees import tree_map
from .base import System, per_example_loop, sgd_update


class AutogradPeer(System):
    name = "autograd"
    label = "autograd"
    module = "autograd"
    distributions = ("autograd",)

    def prepare(self, workload, size, args):
        import autograd
        import autograd.numpy as anp
        import numpy as np
        loss = workload.make_loss(anp, size)
        if workload.kind == "per_example_grad":
            grad = autograd.grad(loss)
            return lambda: per_example_loop(grad, workload.in_axes, args, np.stack)
        if workload.kind == "jacobian":
            jacobian = autograd.jacobian(loss)
            return lambda: jacobian(*args)
        if workload.kind == "hessian":
            hessian = autograd.hessian(loss)
            return lambda: hessian(*args)
        value_and_grad = autograd.value_and_grad(loss)
        if workload.kind != "train_step":
            return lambda: value_and_grad(*args)

        def train_step():
            value, grads = value_and_grad(*args)
            return value, sgd_update(tree_map, args[0], grads, workload.learning_rate)
        return train_step
