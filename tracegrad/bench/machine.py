"""The machine line: CPU, cores, measured copy bandwidth, versions of every system."""
from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
import time

import numpy as np

BASE_DISTRIBUTIONS = ("tracegrad", "numpy", "numba", "llvmlite", "scipy")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def usable_cores():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


def copy_bandwidth_gbs(megabytes=64, repeats=5):
    """Best of `repeats` copies of a `megabytes` array, counting bytes read + written."""
    src = np.ones(megabytes * 2**20 // 8)
    dst = np.empty_like(src)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(dst, src)
        best = min(best, time.perf_counter() - start)
    return 2 * src.nbytes / best / 1e9


def versions(distributions):
    found = {"python": platform.python_version()}
    for dist in distributions:
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


def describe_machine():
    return {"cpu": cpu_name(), "logical_cores": os.cpu_count(),
            "usable_cores": usable_cores(), "copy_bandwidth_gbs": copy_bandwidth_gbs(),
            "platform": f"{platform.system()} {platform.machine()}",
            "python": sys.version.split()[0]}


def machine_line(machine, found_versions):
    listed = ", ".join(f"{k} {v}" for k, v in found_versions.items())
    return (f"{machine['cpu']}, {machine['usable_cores']} usable of "
            f"{machine['logical_cores']} logical cores, copy bandwidth "
            f"{machine['copy_bandwidth_gbs']:.1f} GB/s; {listed}")
