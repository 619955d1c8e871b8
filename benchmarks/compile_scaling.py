"""Compile time against program size: is it linear?

Three families of generated programs, each at about 100, 1 000 and 10 000 IR nodes (the
optimized graph that code generation receives), value_and_grad of:
  chain   a chain of mixed elementwise ops on a 64-vector,
  matmul  a wide sum of small (8x8) matrix products,
  scalar  a straight-line graph of scalar (0-d) ops, like the bench's scalar_graph.
Each point runs in a fresh process with an empty cache, after the process's Numba/LLVM
start-up (measured separately), with tiered=False so the call waits for native code.
The target: compile time <= 0.3 s + 1 ms x N, and trace + passes + codegen <= 50 us x N.

Usage:  python benchmarks/compile_scaling.py [--json PATH] [--markdown PATH] [--sizes ...]"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap

FAMILIES = {
    "chain": ("64-vector, mixed elementwise chain",
              """
def make(steps):
    def f(x):
        for i in range(steps):
            x = tnp.sin(x) * 1.001 + tnp.tanh(x * 0.5) * 0.01 if i % 2 else x / (1.0 + x * x)
        return tnp.sum(x)
    return f, (np.linspace(-1.0, 1.0, 64),)
"""),
    "matmul": ("sum of tanh(A_i @ B), 8x8 matrices",
               """
def make(steps):
    def f(b, a):
        total = 0.0
        for i in range(steps):
            total = total + tnp.sum(tnp.tanh(a[i % a.shape[0]] @ b * (1.0 + i * 1e-3)))
        return total
    rng = np.random.default_rng(0)
    return f, (rng.standard_normal((8, 8)), rng.standard_normal((16, 8, 8)))
"""),
    "scalar": ("straight-line scalar (0-d) graph on 50 parameters",
               """
from tracegrad.bench.workloads import scalar_graph
def make(steps):
    loss = scalar_graph.make_loss(tnp, steps)
    return loss, scalar_graph.make_inputs(steps, "float64", np.random.default_rng(0))
"""),
}

# steps per family that give about 100, 1 000 and 10 000 optimized-graph nodes
STEPS = {"chain": (5, 50, 500), "matmul": (11, 110, 1100), "scalar": (31, 312, 3120)}

POINT = """
import json, time
import numpy as np
import tracegrad as tg, tracegrad.numpy as tnp
from tracegrad.runtime import warmup
{family}
warmup.wait()                               # the process's start-up is not the program's
f, args = make({steps})
compiled = tg.compile(tg.value_and_grad(f), tiered=False)
start = time.perf_counter()
compiled(*args)
total = time.perf_counter() - start
lowering = compiled.lower(*args)
phases = lowering.timings
print(json.dumps({{"nodes": len(lowering.ir.nodes), "total_s": total, "phases": phases,
                   "kernels": len(lowering.kernels)}}))
"""


def run_point(family: str, steps: int) -> dict:
    code = POINT.format(family=textwrap.dedent(FAMILIES[family][1]), steps=steps)
    env = dict(os.environ, TRACEGRAD_CACHE_DIR=tempfile.mkdtemp(prefix="tg-scaling-"))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    point = json.loads(result.stdout.strip().splitlines()[-1])
    phases = point["phases"]
    point["front_s"] = sum(phases.get(k, 0.0) for k in
                           ("trace + differentiate", "graph passes", "codegen"))
    point.update(family=family, steps=steps)
    return point


def markdown(points, command) -> str:
    lines = ["# Compile time against program size", "",
             f"- command: `{command}`",
             "- each point: a fresh process, empty cache, after Numba/LLVM start-up, "
             "`tiered=False`; N = nodes of the optimized graph",
             "- target: compile <= 0.3 s + 1 ms x N; trace + passes + codegen <= 50 us x N",
             "", "| family | N | kernels | trace+passes+codegen | us/node | LLVM | Numba "
             "(driver) | compile total | target | met |", "|---|---:|---:|---:|---:|---:|"
             "---:|---:|---:|---|"]
    for p in points:
        n, ph = p["nodes"], p["phases"]
        target = 0.3 + 1e-3 * n
        lines.append(
            f"| {p['family']} | {n} | {p['kernels']} | {p['front_s']:.3f} s | "
            f"{1e6 * p['front_s'] / n:.0f} | {ph.get('kernels (LLVM)', 0):.3f} s | "
            f"{ph.get('driver (Numba)', 0):.3f} s | {p['total_s']:.3f} s | {target:.2f} s | "
            f"{'yes' if p['total_s'] <= target else 'NO'} |")
    lines += ["", "Families: " + "; ".join(f"{k}: {v[0]}" for k, v in FAMILIES.items()), ""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    parser.add_argument("--families", default=",".join(FAMILIES))
    args = parser.parse_args(argv)
    points = []
    for family in args.families.split(","):
        for steps in STEPS[family]:
            point = run_point(family, steps)
            print(f"{family:7s} N={point['nodes']:6d}  front {point['front_s']:.3f} s  "
                  f"total {point['total_s']:.3f} s  {point['phases']}", flush=True)
            points.append(point)
    command = "python benchmarks/compile_scaling.py " + " ".join(argv or sys.argv[1:])
    if args.json:
        with open(args.json, "w") as f:
            json.dump(points, f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(points, command.strip()))


if __name__ == "__main__":
    main()
