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

import functools

from .. import lax
from .. import numpy as tnp
from ..errors import ArgumentError
from ..tracer import Tracer, trace_function, tree_flatten, tree_unflatten
from .rules import defvjp


class custom_vjp:
    def __init__(self, fun, nondiff_argnums=()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd = None
        self.bwd = None

    def defvjp(self, fwd, bwd):
        self.fwd, self.bwd = fwd, bwd
        return self

    def _split(self, args):
        nondiff = tuple(args[i] for i in self.nondiff_argnums)
        diff = tuple(a for i, a in enumerate(args) if i not in self.nondiff_argnums)
        return nondiff, diff

    def _merge(self, nondiff, diff):
        it_n, it_d = iter(nondiff), iter(diff)
        return [next(it_n) if i in self.nondiff_argnums else next(it_d)
                for i in range(len(nondiff) + len(diff))]

    def __call__(self, *args):
        if self.fwd is None:
            raise ArgumentError(f"custom_vjp function {self.__name__} has no VJP: call "
                                f"{self.__name__}.defvjp(fwd, bwd) first")
        nondiff, diff = self._split(args)
        flat, in_tree = tree_flatten(diff)
        if not any(isinstance(x, Tracer) for x in flat):
            return self.fun(*args)
        graph, captured, out_tree, _ = trace_function(
            lambda tracers: self.fun(*self._merge(nondiff, tree_unflatten(in_tree, tracers))),
            flat)
        outs = lax.apply("custom_vjp_call", *flat, *captured, graph=graph, rule=self,
                         nondiff=nondiff, in_tree=in_tree, out_tree=out_tree,
                         num_captured=len(captured))
        return tree_unflatten(out_tree, outs)


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
