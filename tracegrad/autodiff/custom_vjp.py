"""custom_vjp, as in JAX: a function with a user-defined backward pass.

    @custom_vjp
    def f(x, y): ...
    def f_fwd(x, y): return f(x, y), residuals
    def f_bwd(residuals, g): return (g_x, g_y)
    f.defvjp(f_fwd, f_bwd)

On traced arguments, f is recorded as one `custom_vjp_call` node carrying its traced
forward graph (what the interpreter and the compiler run; the passes inline it) and the
fwd/bwd functions (what the VJP rule calls). The rule runs fwd and bwd in the caller's
context, so the backward is itself traced, compiled with the rest, and differentiable."""
from __future__ import annotations

from .. import numpy as tnp
from ..errors import ArgumentError
from ..tracer import tree_flatten, tree_unflatten
from .custom_call import CustomFunction
from .rules import defvjp


class custom_vjp(CustomFunction):
    primitive = "custom_vjp_call"
    define = "defvjp(fwd, bwd)"

    def __init__(self, fun, nondiff_argnums=()):
        super().__init__(fun, nondiff_argnums)
        self.fwd = None
        self.bwd = None

    def defvjp(self, fwd, bwd):
        self.fwd, self.bwd = fwd, bwd
        return self

    def has_rule(self) -> bool:
        return self.fwd is not None


@defvjp("custom_vjp_call")
def _custom_vjp_call(cts, outs, *inputs, graph, rule, nondiff, in_tree, out_tree,
                     num_captured):
    n = len(inputs) - num_captured
    diff = tree_unflatten(in_tree, list(inputs[:n]))
    _, residuals = rule.fwd(*rule._merge(nondiff, diff))
    ct_tree = tree_unflatten(out_tree, [ct if ct is not None else _zeros_like(o)
                                        for ct, o in zip(cts, outs)])
    grads = rule.bwd(*nondiff, residuals, ct_tree)
    if not isinstance(grads, tuple) or len(grads) != len(diff):
        raise ArgumentError(f"the bwd of custom_vjp function {rule.__name__} must return a "
                            f"tuple with one cotangent per differentiable argument "
                            f"({len(diff)}), got {type(grads).__name__}")
    flat_grads, grads_tree = tree_flatten(grads)
    if grads_tree != in_tree:
        raise ArgumentError(f"the bwd of custom_vjp function {rule.__name__} returned "
                            f"cotangents of structure {grads_tree}, expected {in_tree}")
    # Closed-over traced values get no cotangent through a custom rule (as in JAX).
    return tuple(flat_grads) + (None,) * num_captured


def _zeros_like(x):
    return tnp.zeros_like(x)
