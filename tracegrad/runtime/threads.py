"""Which Numba threading layer runs programs emitted with parallel=True.

Only TBB is safe both when several Python threads call parallel code and after `fork`
(workqueue aborts with concurrent callers; OpenMP pools hang or die in forked children).
pip's TBB ships `libtbb.so.12` in `<prefix>/lib`, which the dynamic loader does not
search, so it is preloaded by path before Numba looks for it. Without TBB, the best
available layer is used and the first parallel program warns once. Serial programs (the
common case) never start a thread pool, so none of this costs them anything."""
from __future__ import annotations

import ctypes
import glob
import os
import sys
import threading

from .notices import warn_once

_lock = threading.Lock()
_chosen: list = []                  # [layer name, safe with threads and fork]


def _preload_tbb() -> None:
    for prefix in dict.fromkeys([sys.prefix, sys.base_prefix]):
        for path in sorted(glob.glob(os.path.join(prefix, "lib", "libtbb.so.12*"))):
            try:
                ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
                return
            except OSError:
                continue


def _importable(layer: str) -> bool:
    try:
        if layer == "tbb":
            _preload_tbb()
            from numba.np.ufunc import parallel
            parallel._check_tbb_version_compatible()
            from numba.np.ufunc import tbbpool  # noqa: F401
        elif layer == "omp":
            from numba.np.ufunc import omppool  # noqa: F401
        return True
    except (ImportError, OSError):
        return False


def choose_threading_layer() -> tuple:
    """Set Numba's threading layer once per process (before any parallel compile);
    -> (layer, safe). A layer the user chose with NUMBA_THREADING_LAYER is kept."""
    if _chosen:
        return tuple(_chosen)
    with _lock:
        if not _chosen:
            import numba
            requested = str(numba.config.THREADING_LAYER).lower()
            if requested not in ("default", "safe", "threadsafe", "forksafe"):
                _chosen[:] = [requested, requested == "tbb"]
            elif _importable("tbb"):
                numba.config.THREADING_LAYER = "tbb"
                _chosen[:] = ["tbb", True]
            else:
                layer = "omp" if _importable("omp") else "workqueue"
                numba.config.THREADING_LAYER = layer
                _chosen[:] = [layer, False]
    return tuple(_chosen)


def note_parallel_program() -> None:
    """Called when a program compiled with parallel=True is loaded."""
    layer, safe = choose_threading_layer()
    if not safe:
        warn_once("threading layer",
                  f"tracegrad runs parallel programs on Numba's {layer!r} threading layer "
                  f"because TBB is not installed; calling them from several Python threads "
                  f"at once or in a forked child process may hang or crash. Install TBB "
                  f"(`pip install tbb`) or set TRACEGRAD_THREADS=0 for serial programs.",
                  stacklevel=5)
