"""A compiled while loop's reverse mode keeps every iteration's residuals on a tape that
grows by doubling. When memory runs out the program reports it and the call raises
MemoryError naming the tape — never a crash (a fresh process with a limited address
space makes the allocation fail)."""
import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import resource
    import numpy as np
    import tracegrad as tg
    import tracegrad.numpy as tnp

    def f(x):
        body = lambda c: (tnp.sin(c[0]) * 1.0001, c[1] + 1)
        v, _ = tg.while_loop(lambda c: c[1] < 400, body, (x, 0))
        return tnp.sum(v)

    step = tg.compile(tg.grad(f))
    print(step(np.linspace(0, 1, 8))[:2])                 # a small run works
    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) for line in status if line.startswith("VmSize"))
    limit = size * 1024 + (1 << 30)                        # 1 GiB more than now
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        step(np.linspace(0, 1, 1_000_000))                 # 8 MB per iteration
        print("no error")
    except MemoryError as error:
        print("MemoryError:", error)
    print(step(np.linspace(0, 1, 8))[:2])                 # and the process goes on
""")


def test_out_of_memory_for_the_tape_is_a_memory_error(tmp_path):
    env = dict(os.environ, TRACEGRAD_TIERED="0", TRACEGRAD_CACHE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert lines[1].startswith("MemoryError: out of memory: the tape of a compiled "
                               "while_loop's reverse mode"), done.stdout
    assert lines[0] == lines[2]
