"""Peak memory of one steady-state call.

Method (Linux): return freed heap to the OS (malloc_trim), reset the kernel's resident-set
high-water mark (write 5 to /proc/self/clear_refs), make one call, and report VmHWM minus
the resident set before the call: the extra memory the call touched, whatever allocator
it used (NumPy, Numba, XLA, torch). Memory an allocator keeps cached from earlier calls is
reused without being counted, so this is a lower bound for caching allocators.
Elsewhere: tracemalloc's peak, which sees NumPy's allocations only (not Numba's, XLA's
or torch's), and is labelled as such."""
from __future__ import annotations

import ctypes
import ctypes.util
import tracemalloc

RSS_METHOD = "rss-high-water: VmHWM after the call minus VmRSS before (clear_refs reset)"
TRACEMALLOC_METHOD = "tracemalloc peak (Python/NumPy allocations only)"


def _status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(field)


def _reset_high_water():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _trim_heap():
    name = ctypes.util.find_library("c")
    try:
        ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass


def rss_supported():
    try:
        _reset_high_water()
        _status_kib("VmHWM")
        return True
    except OSError:
        return False


def peak_call_memory(call):
    """(bytes, method) for one call."""
    if rss_supported():
        _trim_heap()
        before = _status_kib("VmRSS")
        _reset_high_water()
        call()
        return max(0, _status_kib("VmHWM") - before) * 1024, RSS_METHOD
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1], TRACEMALLOC_METHOD
    finally:
        tracemalloc.stop()


def process_high_water_bytes():
    """The process's resident-set high-water mark so far (ru_maxrss)."""
    import resource
    import sys
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024   # macOS reports bytes
