"""tracegrad without compile: the eager value_and_grad (tracing + NumPy on every call).
Opt-in and always labelled "(eager)" — these are not compiled figures."""
from __future__ import annotations

from .base import System
from .tracegrad_compiled import build_step


class TracegradEager(System):
    name = "tracegrad-eager"
    label = "tracegrad (eager)"
    module = "tracegrad"
    distributions = ("tracegrad",)
    opt_in = True

    def prepare(self, workload, size, args):
        import tracegrad as tg
        import tracegrad.numpy as tnp
        step = build_step(tg, tnp, workload, size)
        return lambda: step(*args)
