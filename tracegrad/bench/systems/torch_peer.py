"""PyTorch, eager: the workload's torch function, torch.autograd.grad for the gradient;
for the vmap kinds, torch.func: vmap(grad(loss)), jacrev, hessian."""
from __future__ import annotations

from ..trees import leaves, tree_map
from .base import System, sgd_update


class TorchPeer(System):
    name = "torch"
    label = "torch"
    module = "torch"
    distributions = ("torch",)

    def setup(self, threads):
        import torch
        if threads:
            torch.set_num_threads(threads)

    def wrap_loss(self, loss):
        return loss

    def wrap_transformed(self, fn):
        """The torch.func-transformed function (vmap(grad), jacrev, hessian) as run."""
        return fn

    def prepare(self, workload, size, args):
        import torch
        if not workload.returns_value:
            return self._prepare_transformed(torch, workload, size, args)
        loss = self.wrap_loss(workload.make_torch_loss(torch, size))
        params = tree_map(lambda a: torch.from_numpy(a.copy()).requires_grad_(True), args[0])
        data = tree_map(torch.from_numpy, args[1:])
        param_leaves = leaves(params)

        def value_and_grad():
            value = loss(params, *data)
            # An unused parameter's gradient is zero, as in the other systems.
            flat = torch.autograd.grad(value, param_leaves, allow_unused=True,
                                       materialize_grads=True)
            grads = unflatten_like(params, list(flat))
            return value.detach(), grads

        if workload.kind != "train_step":
            return value_and_grad

        def train_step():
            value, grads = value_and_grad()
            with torch.no_grad():
                return value, sgd_update(tree_map, params, grads, workload.learning_rate)
        return train_step

    def _prepare_transformed(self, torch, workload, size, args):
        loss = workload.make_torch_loss(torch, size)
        if workload.kind == "per_example_grad":
            fn = torch.func.vmap(torch.func.grad(loss), in_dims=workload.in_axes)
        elif workload.kind == "jacobian":
            fn = torch.func.jacrev(loss)
        else:
            fn = torch.func.hessian(loss)
        fn = self.wrap_transformed(fn)
        tensors = tree_map(lambda a: torch.from_numpy(a.copy()), args)
        return lambda: fn(*tensors)

    def leaf_to_numpy(self, leaf):
        return leaf.detach().numpy()


def unflatten_like(tree, flat):
    """Put flat leaves (in named_leaves order) back into tree's structure."""
    if isinstance(tree, dict):
        return {k: unflatten_like(tree[k], flat) for k in sorted(tree)}
    if isinstance(tree, (list, tuple)):
        return type(tree)(unflatten_like(t, flat) for t in tree)
    return flat.pop(0)
