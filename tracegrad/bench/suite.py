"""One bench run: a worker process per system, tracegrad first, then a second tracegrad
process on the same disk cache, then the peers; then correctness and ratios."""
from __future__ import annotations

import datetime
import shutil
import sys
import tempfile
import time

from . import compare, machine
from .environment import peer_environment, worker_environment
from .format import format_seconds
from .runner import run_worker
from .systems import REFERENCE, SYSTEMS

SCHEMA = "tracegrad-bench/1"
SECOND_PROCESS_TAG = "-second-process"


def run_suite(options, log=print, argv=None):
    started = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="tracegrad-bench-")
    # A fresh cache dir: the first process really compiles, the second really loads.
    cache_dir = tempfile.mkdtemp(prefix="tracegrad-bench-cache-")
    env, removed = worker_environment(threads=options.threads, cache_dir=cache_dir)
    if removed:
        log(f"measuring without {', '.join(removed)} (unset for the bench's subprocesses)")
    try:
        host = machine.describe_machine()
        systems, rows = {}, {}
        plan = options.rows()
        for name in [REFERENCE] + [p for p in options.peers if p != REFERENCE]:
            system = SYSTEMS[name]
            if not system.available():
                systems[name] = {"label": system.label, "status": "not installed"}
                log(f"[{name}] not installed: skipped")
                continue
            supported = [r for r in plan if system.supports(_workload(r))]
            system_env = env if name == REFERENCE else peer_environment(env)
            systems[name] = _run_system(name, supported, options, system_env, workdir, rows,
                                        log)
            if name == REFERENCE and systems[name]["status"] == "ran":
                _run_second_process(supported, options, env, workdir, rows, systems, log)
        results = collect_results(plan, options, rows, systems)
        found_versions = machine.versions(machine.BASE_DISTRIBUTIONS + tuple(
            d for s in SYSTEMS.values() for d in s.distributions))
        return {
            "schema": SCHEMA,
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds"),
            "command": list(argv) if argv is not None else sys.argv[1:],
            "options": _options_record(options),
            "machine": host,
            "machine_line": machine.machine_line(host, found_versions),
            "versions": found_versions,
            "environment": {"unset_for_measurements": sorted(removed),
                            "threads": options.threads},
            "systems": systems,
            "results": results,
            "total_s": time.perf_counter() - started,
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(cache_dir, ignore_errors=True)


def _workload(row):
    from .workloads import WORKLOADS
    return WORKLOADS[row["workload"]]


def _job(name, plan, options, workdir, **extra):
    return {"system": name, "rows": plan, "out_dir": workdir, "seed": options.seed,
            "budget_s": options.steady_budget_s(), "max_runs": options.repeat,
            "min_runs": 3, "threads": options.threads, **extra}


def _run_system(name, plan, options, env, workdir, rows, log):
    record = {"label": SYSTEMS[name].label, "status": "ran", "versions": {}}
    if not plan:
        record["status"] = "no supported workload selected"
        log(f"[{name}] no supported workload among those selected")
        return record

    def on_event(event):
        kind = event["event"]
        if kind == "ready":
            record["startup_s"] = event["startup_s"]
            record["versions"] = event["versions"]
        elif kind == "warmup":
            record["process_warmup_s"] = event["seconds"]
        elif kind == "start":
            log(f"[{name}] {event['workload']} size={event['size']} ...")
        elif kind == "row":
            rows[(event["workload"], event["size"], event["dtype"], name)] = event
            log(f"[{name}] {_progress_line(event)}")

    code = run_worker(_job(name, plan, options, workdir), env, on_event,
                      lambda line: log(f"    {name}| {line}"), options.row_timeout_s())
    if code != 0:
        record["status"] = f"failed (exit code {code})"
        log(f"[{name}] worker exited with code {code}")
    return record


def _run_second_process(plan, options, env, workdir, rows, systems, log):
    """A fresh process on the same cache dir: what a user's next run pays."""
    found = {}

    def on_event(event):
        if event["event"] == "ready":
            systems[REFERENCE]["second_process_startup_s"] = event["startup_s"]
        elif event["event"] == "warmup":
            systems[REFERENCE]["second_process_warmup_s"] = event["seconds"]
        elif event["event"] == "row":
            found[(event["workload"], event["size"], event["dtype"])] = event
            if "first_call_s" in event:
                log(f"[tracegrad, second process] {event['workload']} "
                    f"size={event['size']}: first call "
                    f"{format_seconds(event['first_call_s'])}")

    log("[tracegrad] second process, same disk cache ...")
    compiled = [r for r in plan if (r["workload"], r["size"], r["dtype"], REFERENCE) in rows
                and not rows[(r["workload"], r["size"], r["dtype"], REFERENCE)].get("error")]
    if not compiled:
        return
    run_worker(_job(REFERENCE, compiled, options, workdir, first_call_only=True,
                    tag=SECOND_PROCESS_TAG), env, on_event,
               lambda line: log(f"    tracegrad (2nd)| {line}"), options.row_timeout_s())
    for key, event in found.items():
        row = rows.get(key + (REFERENCE,))
        if row is None:
            continue
        row["second_process_first_call_s"] = event.get("first_call_s")
        row["second_process_rss_high_water_bytes"] = event.get(
            "process_rss_high_water_bytes")
        row["second_process_error"] = event.get("error")
        if row.get("arrays_file") and event.get("arrays_file"):
            same = compare.compare_arrays(compare.load_arrays(event["arrays_file"]),
                                          compare.load_arrays(row["arrays_file"]),
                                          key[2])
            row["second_process_matches"] = same["correct"]


def _progress_line(event):
    head = f"{event['workload']} size={event['size']} {event['dtype']}: "
    if event.get("error"):
        return head + "ERROR " + event["error"]
    return head + (f"first call {format_seconds(event['first_call_s'])}, median "
                   f"{format_seconds(event['median_s'])} ({format_seconds(event['min_s'])}"
                   f"–{format_seconds(event['max_s'])}, {event['runs']} runs)")


def collect_results(plan, options, rows, systems):
    """One result per (row, system that ran it), with correctness and ratio filled in."""
    results = []
    for spec in plan:
        key = (spec["workload"], spec["size"], spec["dtype"])
        reference = rows.get(key + (REFERENCE,))
        for name in systems:
            row = rows.get(key + (name,))
            if row is None:
                continue
            results.append(_result(spec, name, row, reference))
    return results


RESULT_FIELDS = ("first_call_s", "native_ready_s", "first_call_phases", "prepare_s",
                 "second_process_first_call_s", "second_process_rss_high_water_bytes",
                 "second_process_matches", "second_process_error", "median_s", "min_s",
                 "max_s", "runs", "calls_per_sample", "samples_s", "peak_memory_bytes",
                 "memory_method", "process_rss_high_water_bytes", "value", "error",
                 "timed_out_after_s")


def _result(spec, name, row, reference):
    result = {"workload": spec["workload"], "size": spec["size"], "dtype": spec["dtype"],
              "system": name, "label": SYSTEMS[name].label}
    result.update({f: row.get(f) for f in RESULT_FIELDS})
    result["ratio_to_tracegrad"] = None
    result["correct"], result["max_error"], result["check"] = None, None, "no result"
    if row.get("error"):
        return result
    if name == REFERENCE:
        result["check"] = "reference"
    elif reference is None or reference.get("error") or not reference.get("arrays_file"):
        result["check"] = "no tracegrad result to compare with"
    else:
        verdict = compare.compare_arrays(compare.load_arrays(row["arrays_file"]),
                                         compare.load_arrays(reference["arrays_file"]),
                                         spec["dtype"])
        result["correct"], result["max_error"] = verdict["correct"], verdict["max_error"]
        result["check"] = verdict["detail"]
    if reference and reference.get("median_s") and row.get("median_s"):
        result["ratio_to_tracegrad"] = row["median_s"] / reference["median_s"]
    return result


def _options_record(options):
    return {"quick": options.quick, "workloads": options.workloads, "peers": options.peers,
            "sizes": options.sizes, "dtype": options.dtype, "repeat": options.repeat,
            "threads": options.threads, "steady_budget_s": options.steady_budget_s(),
            "row_timeout_s": options.row_timeout_s(),
            "seed": options.seed}
