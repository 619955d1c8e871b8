"""NumPy with the gradient written by hand, for the workloads where a user would."""
from __future__ import annotations

from ..trees import tree_map
from .base import System, sgd_update, unsupported


class NumpyHandwritten(System):
    name = "numpy"
    label = "numpy (hand grad)"
    module = "numpy"
    distributions = ("numpy",)

    def supports(self, workload):
        # Only value_and_grad / train_step workloads have a hand-written version; the
        # vmap kinds (per-example gradients, Jacobians, Hessians) are n/a here.
        return workload.numpy_value_and_grad is not None and workload.returns_value

    def prepare(self, workload, size, args):
        if not self.supports(workload):
            raise unsupported(self, workload, "no hand-written derivative")
        value_and_grad = workload.numpy_value_and_grad
        if workload.kind != "train_step":
            return lambda: value_and_grad(*args)

        def train_step():
            value, grads = value_and_grad(*args)
            return value, sgd_update(tree_map, args[0], grads, workload.learning_rate)
        return train_step
