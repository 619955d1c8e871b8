"""Timing: the first call, then the steady state."""
from __future__ import annotations

import gc
import math
import statistics
import time

# A call faster than this is timed in batches, so timer overhead does not dominate.
BATCH_BELOW_S = 20e-6
BATCH_TARGET_S = 200e-6


def time_first_call(call):
    """(seconds, result) of the very first call: compilation and all."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def steady_state(call, budget_s, max_runs, min_runs=3, warmup=2):
    """Per-call seconds of repeated calls after `warmup` calls: runs until `budget_s` of
    calls or `max_runs` samples, whichever comes first, and at least `min_runs`.

    Fast calls are timed in batches; each sample is then a batch's mean, and the number
    of calls per sample is returned. The garbage collector is off while sampling, as in
    timeit, so a collection triggered by other code does not land in one sample."""
    for _ in range(warmup):
        call()
    single = _one(call, 1)
    per_sample = 1 if single >= BATCH_BELOW_S else max(1, math.ceil(BATCH_TARGET_S / single))
    samples = []
    gc_was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        spent = 0.0
        while len(samples) < max_runs and (spent < budget_s or len(samples) < min_runs):
            seconds = _one(call, per_sample)
            samples.append(seconds / per_sample)
            spent += seconds
    finally:
        if gc_was_enabled:
            gc.enable()
    return samples, per_sample


def _one(call, calls):
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return time.perf_counter() - start


def summarize(samples):
    return {"median_s": statistics.median(samples), "min_s": min(samples),
            "max_s": max(samples), "runs": len(samples)}
