"""Threads and fork with the settings that used to hang or abort: TRACEGRAD_THREADS=2, and
Numba's workqueue layer (not thread-safe). Programs run serially (their products call
BLAS), so a forked child computes and compiles like its parent, and many Python threads
may call one program at once."""
import os

import pytest

from .support import run_python

SETUP = """
import os, threading, numpy as np, tracegrad as tg, tracegrad.numpy as tnp

def loss(w, x):
    return tnp.sum(tnp.tanh(x @ w) ** 2)

step = tg.compile(tg.value_and_grad(loss))
rng = np.random.default_rng(0)
w, x = rng.standard_normal((64, 64)), rng.standard_normal((256, 64))
want = step(w, x)

def same(got):
    return np.allclose(got[0], want[0], rtol=1e-12) and np.allclose(got[1], want[1], rtol=1e-12)
"""

RISKY = {"TRACEGRAD_THREADS": "2", "NUMBA_THREADING_LAYER": "workqueue",
         "TRACEGRAD_TIERED": "0"}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_children_run_and_compile_after_the_parent_ran_a_program():
    result = run_python(SETUP + """
pids = []
for child in range(3):
    pid = os.fork()
    if pid == 0:
        ok = same(step(w, x))
        fresh = tg.compile(lambda a: tnp.sum(a @ a.T))       # a new program in the child
        ok = ok and np.isclose(fresh(x), np.sum(x @ x.T))
        os._exit(0 if ok else 3)
    pids.append(pid)
print([os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids], same(step(w, x)))
""", env=RISKY, timeout=180)
    assert result.stdout.split() == ["[0,", "0,", "0]", "True"]


def test_eight_threads_call_one_program_at_once_without_an_abort():
    result = run_python(SETUP + """
barrier, bad = threading.Barrier(8), []

def worker():
    barrier.wait()
    for _ in range(50):
        if not same(step(w, x)):
            bad.append(1)

threads = [threading.Thread(target=worker) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(bad))
""", env=RISKY, timeout=180)
    assert result.stdout.split() == ["0"]
