"""tracegrad: the whole value_and_grad (and SGD update) compiled into one program."""
from __future__ import annotations

import time

from ..trees import tree_map
from .base import System, sgd_update

LOWER_PHASE = "trace + differentiate + graph passes + codegen"
COMPILE_PHASE = "numba compile (or disk-cache load)"
RUN_PHASE = "run"


class TracegradCompiled(System):
    name = "tracegrad"
    label = "tracegrad"
    module = "tracegrad"
    distributions = ("tracegrad", "numba", "llvmlite")

    def prepare(self, workload, size, args):
        import tracegrad as tg
        import tracegrad.numpy as tnp
        compiled = tg.compile(build_step(tg, tnp, workload, size))
        call = lambda: compiled(*args)        # noqa: E731
        call.compiled, call.args = compiled, args
        return call

    def first_call(self, call):
        """The first call, done as its three public steps so each can be timed:
        compiled.lower(*args) (tracing, differentiation, passes, code generation),
        .compile() (Numba), then the call itself. The sum is the first call's cost."""
        start = time.perf_counter()
        lowering = call.compiled.lower(*call.args)
        lowered = time.perf_counter()
        lowering.compile()
        compiled = time.perf_counter()
        result = call()
        done = time.perf_counter()
        phases = {LOWER_PHASE: lowered - start, COMPILE_PHASE: compiled - lowered,
                  RUN_PHASE: done - compiled, "kernels": len(lowering.kernels),
                  "source_lines": lowering.source.count("\n") + 1}
        return done - start, result, phases


def build_step(tg, xp, workload, size):
    value_and_grad = tg.value_and_grad(workload.make_loss(xp, size))
    if workload.kind != "train_step":
        return value_and_grad

    def train_step(params, *data):
        value, grads = value_and_grad(params, *data)
        return value, sgd_update(tree_map, params, grads, workload.learning_rate)
    return train_step
