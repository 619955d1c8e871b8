"""The compiler's performance targets, side by side in one run:

1. steady state of value_and_grad of sum(sin(x)*exp(-x*x) + tanh(x)) at n = 1e3, 1e5,
   1e6 in float64 and float32: tracegrad.compile vs a hand-written Numba loop (the
   target: within 1.2x) vs jax.jit (if installed);
2. per-call overhead of a compiled value_and_grad of a 3-argument function on 8-element
   arrays (target: <= 3 us);
3. first call in a fresh process with an empty cache (cold compile) and in a second
   process with the same cache directory (disk cache; target: <= 10% of the cold
   compile, measured after the Numba import).

Usage:  python benchmarks/compiler_bench.py [--json PATH] [--markdown PATH]
Run it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset."""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np

SIZES = (1_000, 100_000, 1_000_000)
DTYPES = ("float64", "float32")


def _median_time(fn, *args, budget=0.5, max_runs=2000):
    fn(*args)
    times = []
    start = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - start < budget and len(times) < max_runs):
        t = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t)
    return float(np.median(times)), float(np.min(times)), len(times)


def _tracegrad_step():
    import tracegrad as tg

    def f(x):
        return np.sum(np.sin(x) * np.exp(-x * x) + np.tanh(x))

    return tg.compile(tg.value_and_grad(f))


def _numba_step():
    import numba

    @numba.njit(error_model="numpy", fastmath={"contract"}, cache=False)
    def step(x):
        grad = np.empty_like(x)
        total = 0.0
        for i in range(x.size):
            v = x[i]
            s, c = np.sin(v), np.cos(v)
            e = np.exp(-v * v)
            t = np.tanh(v)
            total += s * e + t
            grad[i] = c * e - 2.0 * v * s * e + (1.0 - t * t)
        return x.dtype.type(total), grad

    return step


def _jax_step():
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)
    f = jax.jit(jax.value_and_grad(lambda x: jnp.sum(jnp.sin(x) * jnp.exp(-x * x) +
                                                     jnp.tanh(x))))
    return lambda x: jax.block_until_ready(f(x))


def steady_state():
    rows = []
    systems = {"tracegrad": _tracegrad_step(), "numba (hand-written)": _numba_step()}
    jax_step = _jax_step()
    if jax_step is not None:
        systems["jax.jit"] = jax_step
    for dtype in DTYPES:
        for n in SIZES:
            x = np.random.default_rng(0).uniform(-2, 2, n).astype(dtype)
            reference = systems["tracegrad"](x)
            for name, step in systems.items():
                value, grad = step(x)
                ok = np.allclose(np.asarray(grad), reference[1],
                                 rtol=1e-4 if dtype == "float32" else 1e-9, atol=1e-6)
                median, best, runs = _median_time(step, x)
                rows.append(dict(dtype=dtype, n=n, system=name, median_s=median,
                                 min_s=best, runs=runs, correct=bool(ok)))
    return rows


def call_overhead():
    import tracegrad as tg
    step = tg.compile(tg.value_and_grad(lambda a, b, c: np.sum(a * b + c)))
    a, b, c = (np.full(8, v) for v in (1.0, 2.0, 3.0))
    median, best, runs = _median_time(step, a, b, c, budget=1.0, max_runs=200_000)
    dispatcher = step.lower(a, b, c).compile().executable.dispatcher
    d_median, d_best, _ = _median_time(dispatcher, a, b, c, budget=1.0, max_runs=200_000)
    return dict(call_s=median, call_min_s=best, numba_dispatch_s=d_median,
                overhead_s=median - d_median, runs=runs)


_FIRST_CALL = textwrap.dedent("""
    import time
    t0 = time.perf_counter()
    import numba, numpy as np
    import tracegrad as tg
    t1 = time.perf_counter()
    f = lambda params, x: np.mean(np.tanh(x @ params["w"] + params["b"]) ** 2)
    step = tg.compile(tg.value_and_grad(f))
    rng = np.random.default_rng(0)
    params = {"w": rng.standard_normal((64, 32)), "b": np.zeros(32)}
    x = rng.standard_normal((128, 64))
    t2 = time.perf_counter()
    step(params, x)
    t3 = time.perf_counter()
    info = step.cache_info()
    print(t1 - t0, t3 - t2, info.disk_hits)
""")


def first_calls():
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, TRACEGRAD_CACHE_DIR=cache)
        runs = []
        for label in ("cold (empty cache)", "second process (disk cache)"):
            out = subprocess.run([sys.executable, "-c", _FIRST_CALL], env=env, check=True,
                                 capture_output=True, text=True).stdout.split()
            runs.append(dict(run=label, import_s=float(out[0]), first_call_s=float(out[1]),
                             disk_hits=int(out[2])))
    return runs


def versions():
    import llvmlite
    import numba
    import tracegrad
    found = dict(python=platform.python_version(), numpy=np.__version__,
                 numba=numba.__version__, llvmlite=llvmlite.__version__,
                 tracegrad=tracegrad.__version__)
    try:
        import jax
        found["jax"] = jax.__version__
    except ImportError:
        pass
    return found


def markdown(results) -> str:
    lines = ["## value_and_grad of sum(sin(x)*exp(-x*x)+tanh(x)), steady state", "",
             "| dtype | n | system | median | min | ratio to tracegrad | correct |",
             "| --- | ---: | --- | ---: | ---: | ---: | --- |"]
    ref = {(r["dtype"], r["n"]): r["median_s"] for r in results["steady_state"]
           if r["system"] == "tracegrad"}
    for r in results["steady_state"]:
        lines.append(f"| {r['dtype']} | {r['n']:,} | {r['system']} | "
                     f"{r['median_s'] * 1e6:,.1f} us | {r['min_s'] * 1e6:,.1f} us | "
                     f"{r['median_s'] / ref[(r['dtype'], r['n'])]:.2f} | "
                     f"{'yes' if r['correct'] else 'NO'} |")
    o = results["call_overhead"]
    lines += ["", "## Per-call overhead (value_and_grad, 3 arrays of 8 float64)", "",
              f"- compiled call: {o['call_s'] * 1e6:.2f} us median "
              f"({o['call_min_s'] * 1e6:.2f} us min)",
              f"- the Numba dispatcher alone: {o['numba_dispatch_s'] * 1e6:.2f} us",
              f"- tracegrad's overhead: {o['overhead_s'] * 1e6:.2f} us", "",
              "## First call (MLP-layer value_and_grad), fresh processes", "",
              "| run | import tracegrad + numba | first call | disk hits |",
              "| --- | ---: | ---: | ---: |"]
    for r in results["first_calls"]:
        lines.append(f"| {r['run']} | {r['import_s']:.2f} s | {r['first_call_s']:.3f} s | "
                     f"{r['disk_hits']} |")
    cold, warm = results["first_calls"]
    lines += ["", f"Disk-cache first call / cold first call: "
              f"{warm['first_call_s'] / cold['first_call_s']:.1%}", "",
              "Versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items())]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    args = parser.parse_args(argv)
    results = dict(steady_state=steady_state(), call_overhead=call_overhead(),
                   first_calls=first_calls(), versions=versions())
    text = markdown(results)
    print(text)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
