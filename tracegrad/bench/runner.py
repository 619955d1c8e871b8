"""Starting worker processes for one system, following their progress, and enforcing
the per-row time limit: a row that runs past it is recorded as timed out, its worker is
killed (with any compiler subprocesses it started), and a fresh worker takes the rows
that remain."""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time

from .worker import EVENT_PREFIX


def run_worker(job, env, on_event, on_output, row_timeout_s=None):
    """Run the job's rows, in as many workers as time-outs make necessary. Calls
    on_event(dict) for each event and on_output(line) for anything else the libraries
    print. Returns the exit code of the last worker (0 when all went well)."""
    remaining = list(job["rows"])
    part, code = 0, 0
    while remaining:
        sub_job = dict(job, rows=remaining, tag=f"{job.get('tag', '')}-{part}")
        done, code, timed_out = _run_once(sub_job, env, on_event, on_output, row_timeout_s)
        remaining = remaining[done + (1 if timed_out else 0):]
        if timed_out:
            on_event(dict(timed_out, event="row", timed_out_after_s=row_timeout_s,
                          error=f"timed out: no result within {row_timeout_s:g} s"))
            code = 0                        # we ended that worker; the row says why
        elif code != 0:
            break                           # a crash, not a time-out: do not retry
        part += 1
    return code


def _run_once(job, env, on_event, on_output, row_timeout_s):
    """-> (rows finished, exit code, the row that timed out or None)."""
    job = dict(job, launched_at=time.time())
    job_path = os.path.join(job["out_dir"], f"job-{job['system']}{job['tag']}.json")
    with open(job_path, "w") as f:
        json.dump(job, f)
    process = subprocess.Popen([sys.executable, "-m", "tracegrad.bench.worker", job_path],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env, bufsize=1, start_new_session=True)
    lines = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
    finished, current = 0, None
    deadline = _deadline(row_timeout_s)
    while True:
        try:
            line = lines.get(timeout=_wait(deadline))
        except queue.Empty:
            _kill(process)
            return finished, process.wait(), current or job["rows"][finished]
        if line is None:
            return finished, process.wait(), None
        if not line.startswith(EVENT_PREFIX):
            if line.strip():
                on_output(line)
            continue
        event = json.loads(line[len(EVENT_PREFIX):])
        if event["event"] == "start":
            current = job["rows"][finished]
            deadline = _deadline(row_timeout_s)
        elif event["event"] == "row":
            finished, current = finished + 1, None
        on_event(event)


def _pump(stream, lines):
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def _deadline(timeout_s):
    return None if not timeout_s else time.monotonic() + timeout_s


def _wait(deadline):
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _kill(process):
    """The worker was started in its own session: end its whole group."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        process.kill()
