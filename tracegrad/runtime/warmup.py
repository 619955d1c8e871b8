"""Numba's and LLVM's once-per-process start-up, paid in the background after
`import tracegrad` (TRACEGRAD_WARMUP=0 turns it off).

A process's first native program otherwise waits ~0.5–1 s for `import numba`, Numba's
CPU target (its registries of implementations, loaded lazily on the first compile), SciPy's
BLAS and LLVM's target machine. Compiling one tiny driver of the shape every generated
module has (an intrinsic call that allocates and returns arrays) pays all of it while the
user's code is still tracing."""
from __future__ import annotations

import os

from ..config import config
from . import background

TINY_IR = """define void @tracegrad_warmup(ptr noalias %x, ptr noalias %y, ptr %w) nounwind {
entry:
  %v = load double, ptr %x
  store double %v, ptr %y
  ret void
}
"""

_job: list = []


def _warm():
    import numba
    import numpy as np
    from numba.np.linalg import ensure_blas

    from ..codegen.native import native_function
    ensure_blas()
    np.dot(np.ones((2, 2)), np.ones((2, 2)))   # NumPy's BLAS threads, for interpreted calls
    body = native_function(TINY_IR, "tracegrad_warmup", None, (((1,), "float64"),), 0)

    def tiny(x):
        return body((x,))
    compiled = numba.njit("Tuple((float64[::1],))(float64[::1])", error_model="numpy",
                          nogil=True)(tiny)
    compiled(np.zeros(1))


def start() -> None:
    """Queue the warm-up (once per process) unless it is switched off."""
    if config.warmup and not _job:
        _job.append(background.submit(_warm))


def wait() -> None:
    """Block until the warm-up finished (if it was started in this process)."""
    if _job and (_job[0].done() or _job[0].pid == os.getpid()):
        try:
            _job[0].wait()
        except Exception:
            pass                    # a failed warm-up only means the first compile pays


def done() -> bool:
    return bool(_job) and _job[0].done()
