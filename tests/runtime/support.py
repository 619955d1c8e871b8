"""Hand-built programs that follow the codegen contract (tracegrad/codegen/lowered.py),
and a helper to run Python in a fresh process."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid

import numpy as np

from tracegrad.codegen import Lowered
from tracegrad.ir import Aval, Graph

ADD_SOURCE = '''"""A hand-written program: out = a + b ({tag})."""
import numba
import numpy as np
from numba import types as nt

SIGNATURE = nt.Tuple((nt.Array(nt.float64, 1, 'C'),))(
    nt.Array(nt.float64, 1, 'C'), nt.Array(nt.float64, 1, 'C'))


@numba.njit(SIGNATURE, error_model='numpy', cache=True, nogil=True)
def add(a, b):
    out = np.empty(a.shape[0], np.float64)
    for i in range(a.shape[0]):
        out[i] = a[i] + b[i]
    return (out,)
'''


def add_program(n: int = 3, tag: str | None = None) -> Lowered:
    """A Lowered program adding two float64 vectors; a fresh tag makes a fresh module."""
    aval = Aval((n,), np.float64)
    return Lowered(graph=Graph([], [], []), source=ADD_SOURCE.format(tag=tag or uuid.uuid4().hex),
                   entry="add", kernels=(), in_avals=(aval, aval), out_avals=(aval,),
                   consts=())


def run_python(code: str, env=None, timeout=120) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter (inheriting TRACEGRAD_CACHE_DIR); fail loudly.
    Compiled functions wait for native code there too unless env asks for tiering."""
    env = {**os.environ, "TRACEGRAD_TIERED": "0", **(env or {})}
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


PARALLEL_SOURCE = '''"""A hand-written parallel program: out = 2 * a ({tag})."""
import numba
import numpy as np
from numba import types as nt

SIGNATURE = nt.Tuple((nt.Array(nt.float64, 1, 'C'),))(nt.Array(nt.float64, 1, 'C'))


@numba.njit(SIGNATURE, error_model='numpy', cache=True, nogil=True, parallel=True)
def double(a):
    out = np.empty(a.shape[0], np.float64)
    for i in numba.prange(a.shape[0]):
        out[i] = 2.0 * a[i]
    return (out,)
'''


def parallel_program(n: int = 1000) -> Lowered:
    aval = Aval((n,), np.float64)
    return Lowered(graph=Graph([], [], []),
                   source=PARALLEL_SOURCE.format(tag=uuid.uuid4().hex), entry="double",
                   kernels=(), in_avals=(aval,), out_avals=(aval,), consts=())


def interpreted_only(fn, **kwargs):
    """A compiled function whose native compile never starts: every call is answered by
    the tiered interpreter."""
    import tracegrad as tg
    from tracegrad.runtime import background
    compiled = tg.compile(fn, tiered=True, **kwargs)
    compiled._native_at_once = lambda program: False
    compiled._start_native = lambda entry: background.Job(lambda: None)
    return compiled
