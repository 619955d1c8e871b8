"""tracegrad without vmap: a Python loop of eager `grad` over the examples, stacked —
the baseline of the eager per-example workloads (vmap_eager), where its "vs tracegrad"
is the speed-up of eager vmap(grad) over the loop. Always labelled as a loop."""
from __future__ import annotations

from .base import System, per_example_loop


class TracegradLoop(System):
    name = "tracegrad-loop"
    label = "tracegrad (eager grad loop)"
    module = "tracegrad"
    distributions = ("tracegrad",)

    def supports(self, workload):
        return workload.kind == "per_example_grad" and workload.eager

    def prepare(self, workload, size, args):
        import numpy as np

        import tracegrad as tg
        import tracegrad.numpy as tnp
        grad = tg.grad(workload.make_loss(tnp, size))
        return lambda: per_example_loop(grad, workload.in_axes, args, np.stack)
