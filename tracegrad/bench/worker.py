"""The measuring process: runs one system over a list of (workload, size, dtype) rows.

Started by the suite as `python -m tracegrad.bench.worker JOB.json`, one process per
system, so that systems do not share thread pools, allocators or BLAS state, and so that
thread settings can be fixed before any library loads. Progress and results go to stdout
as lines starting with EVENT_PREFIX followed by JSON; each row's value and gradient go to
an .npz file for the correctness check."""
from __future__ import annotations

import json
import os
import sys
import time
import traceback

EVENT_PREFIX = "@@tracegrad-bench "


def emit(event, **fields):
    print(EVENT_PREFIX + json.dumps({"event": event, **fields}), flush=True)


def pin_threads(threads):
    """Restrict this process to `threads` CPUs: the one knob every library obeys."""
    if threads and hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))[:threads]
        os.sched_setaffinity(0, cpus)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    with open(argv[0]) as f:
        job = json.load(f)
    pin_threads(job.get("threads"))
    import importlib

    import numpy as np
    from .systems import SYSTEMS
    from .workloads import WORKLOADS
    system = SYSTEMS[job["system"]]
    importlib.import_module(system.module)
    system.setup(job.get("threads"))
    # From the suite starting this process to the system's library being loaded.
    emit("ready", startup_s=time.time() - job["launched_at"], versions=system.versions())
    warm_up_process(system, warm_up_workload(system, job["rows"], WORKLOADS))
    for row in job["rows"]:
        workload = WORKLOADS[row["workload"]]
        emit("start", workload=row["workload"], size=row["size"])
        try:
            result = measure_row(system, workload, row, job, np)
        except Exception as exc:       # one failing row must not stop the others
            result = {"error": f"{type(exc).__name__}: {exc}",
                      "traceback": traceback.format_exc(limit=6)}
        emit("row", **row, **result)
    return 0


def warm_up_workload(system, rows, workloads):
    """elementwise, or for a system that cannot run it, the first workload it runs."""
    if system.supports(workloads["elementwise"]) or not rows:
        return workloads["elementwise"]
    return workloads[rows[0]["workload"]]


def warm_up_process(system, workload):
    """Pay the once-per-process costs (library initialisation, first dispatch) on a tiny
    problem, so each row's first call is that program's own cost. Reported separately."""
    import numpy as np
    try:
        args = workload.make_inputs(4, "float64", np.random.default_rng(1))
        seconds, _, _ = system.first_call(system.prepare(workload, 4, args))
        emit("warmup", seconds=seconds)
    except Exception as exc:
        emit("warmup", seconds=None, error=f"{type(exc).__name__}: {exc}")


def measure_row(system, workload, row, job, np):
    from .measure import steady_state, summarize
    from .memory import peak_call_memory, process_high_water_bytes
    from .systems.base import result_arrays
    rng = np.random.default_rng(job.get("seed", 0))
    args = workload.make_inputs(row["size"], row["dtype"], rng)
    prepare_start = time.perf_counter()
    call = system.prepare(workload, row["size"], args)
    prepare_s = time.perf_counter() - prepare_start
    first_s, result, phases = system.first_call(call)
    ready = (phases or {}).get("native ready",
                               first_s if system.compiles_for(workload) else None)
    out = {"prepare_s": prepare_s, "first_call_s": first_s, "first_call_phases": phases,
           "native_ready_s": ready,
           "process_rss_high_water_bytes": process_high_water_bytes()}
    arrays = result_arrays(system, workload, result)
    # The vmap kinds return the derivative alone: no value.
    out["value"] = float(np.asarray(arrays["value"], dtype=np.float64)) \
        if "value" in arrays else None
    out["arrays_file"] = os.path.join(
        job["out_dir"], f"{job['system']}-{row['workload']}-{row['size']}-{row['dtype']}"
        f"{job.get('tag', '')}.npz")
    np.savez(out["arrays_file"], **arrays)
    if job.get("first_call_only"):
        return out
    samples, per_sample = steady_state(call, job["budget_s"], job["max_runs"],
                                       job.get("min_runs", 3))
    out.update(summarize(samples), samples_s=samples, calls_per_sample=per_sample)
    out["peak_memory_bytes"], out["memory_method"] = peak_call_memory(call)
    return out


if __name__ == "__main__":
    sys.exit(main())
