"""Structured control flow for workloads written once against a namespace `xp`:
tracegrad's constructs for tracegrad.numpy, jax.lax's for jax.numpy, and Python loops
(the same signatures) for namespaces without them (autograd.numpy)."""
from __future__ import annotations


def control_flow(xp):
    """An object with scan, fori_loop and while_loop for the namespace xp."""
    name = getattr(xp, "__name__", "")
    if name.startswith("tracegrad"):
        import tracegrad
        return tracegrad
    if name.startswith("jax"):
        import jax
        return jax.lax
    return PythonLoops(xp)


class PythonLoops:
    def __init__(self, xp):
        self.xp = xp

    def scan(self, f, init, xs=None, length=None):
        carry, ys = init, []
        n = length if xs is None else len(xs)
        for t in range(n):
            carry, y = f(carry, None if xs is None else xs[t])
            ys.append(y)
        return carry, (None if not ys or ys[0] is None else self.xp.stack(ys))

    def fori_loop(self, lower, upper, body, init):
        val = init
        for i in range(lower, upper):
            val = body(i, val)
        return val

    def while_loop(self, cond, body, init):
        val = init
        while cond(val):
            val = body(val)
        return val
