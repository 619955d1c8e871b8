"""tracegrad: the whole value_and_grad (and SGD update) compiled into one program; for
the vmap kinds, tg.compile of vmap(grad), jacrev or hessian."""
from __future__ import annotations

import time

from ..trees import tree_map
from .base import System, sgd_update

RUN_PHASE = "run (native)"
NATIVE_READY = "native ready"


class TracegradCompiled(System):
    name = "tracegrad"
    label = "tracegrad"
    module = "tracegrad"
    distributions = ("tracegrad", "numba", "llvmlite")
    compiles = True

    def compiles_for(self, workload):
        return not workload.eager          # an eager workload runs without compile

    def prepare(self, workload, size, args):
        import tracegrad as tg
        import tracegrad.numpy as tnp
        if workload.eager:                    # an eager workload: no compile, by design
            step = build_step(tg, tnp, workload, size)
            return lambda: step(*args)
        compiled = tg.compile(build_step(tg, tnp, workload, size))
        call = lambda: compiled(*args)        # noqa: E731
        call.compiled, call.args = compiled, args
        return call

    def first_call(self, call):
        """The first call as a user meets it: its result comes from the interpreter
        while native code compiles in the background (or from native code at once, when
        it is in memory or on disk). Then: when native code is ready, and the phases of
        its making (trace + differentiate, graph passes, codegen, LLVM for the kernels,
        Numba for the driver). The native result is what correctness is checked on.
        An eager workload's call compiles nothing: timed as any other system's."""
        if not hasattr(call, "compiled"):
            return super().first_call(call)
        start = time.perf_counter()
        call()
        first = time.perf_counter() - start
        call.compiled.wait()
        ready = time.perf_counter() - start
        result = call()
        run = time.perf_counter() - start - ready
        lowering = call.compiled.lower(*call.args)     # known signature: no new trace
        phases = dict(lowering.timings)
        phases.update({RUN_PHASE: run, NATIVE_READY: ready,
                       "kernels": len(lowering.kernels),
                       "first result from": "interpreter" if
                       call.compiled.cache_info().interpreted else "native code"})
        return first, result, phases


def build_step(tg, xp, workload, size):
    """The function tracegrad compiles (or, for an eager workload, runs) for the
    workload's kind."""
    loss = workload.make_loss(xp, size)
    if workload.kind == "per_example_grad":
        return tg.vmap(tg.grad(loss), in_axes=workload.in_axes)
    if workload.kind == "jacobian":
        return tg.jacrev(loss)
    if workload.kind == "hessian":
        return tg.hessian(loss)
    value_and_grad = tg.value_and_grad(loss)
    if workload.kind != "train_step":
        return value_and_grad

    def train_step(params, *data):
        value, grads = value_and_grad(params, *data)
        return value, sgd_update(tree_map, params, grads, workload.learning_rate)
    return train_step
