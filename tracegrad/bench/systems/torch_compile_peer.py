"""PyTorch with torch.compile (Inductor) on the loss; the backward is compiled by
AOTAutograd when torch.autograd.grad first runs. For the vmap kinds, torch.compile of
the torch.func-transformed function (vmap(grad(loss)), jacrev, hessian). Opt-in:
compiling is slow."""
from __future__ import annotations

from .torch_peer import TorchPeer


class TorchCompilePeer(TorchPeer):
    name = "torch-compile"
    label = "torch.compile"
    compiles = True
    opt_in = True

    def wrap_loss(self, loss):
        import torch
        # Dynamo caches compiled graphs per code object, and every row runs the same
        # code: reset, so each row's first call compiles its own program, as in tracegrad.
        torch._dynamo.reset()
        return torch.compile(loss)

    def wrap_transformed(self, fn):
        return self.wrap_loss(fn)
