"""autograd (HIPS): autograd.value_and_grad on the same source with autograd.numpy."""
from __future__ import annotations

from ..trees import tree_map
from .base import System, sgd_update


class AutogradPeer(System):
    name = "autograd"
    label = "autograd"
    module = "autograd"
    distributions = ("autograd",)

    def prepare(self, workload, size, args):
        import autograd
        import autograd.numpy as anp
        value_and_grad = autograd.value_and_grad(workload.make_loss(anp, size))
        if workload.kind != "train_step":
            return lambda: value_and_grad(*args)

        def train_step():
            value, grads = value_and_grad(*args)
            return value, sgd_update(tree_map, args[0], grads, workload.learning_rate)
        return train_step
