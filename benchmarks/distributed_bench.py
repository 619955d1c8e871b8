"""One full-batch gradient over 4 million x 32 float32 rows in 16 chunks: tracegrad's
compiled value_and_grad in one process on the whole array, and tracegrad.distributed on a
LocalCluster of 1 and of 2 worker processes (1 thread each), for logistic regression and
a 2-layer MLP. Prints a markdown table (medians of --steps steps after a warm-up step).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        python benchmarks/distributed_bench.py
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import tracegrad as tg
import tracegrad.numpy as tnp


def logistic(w, x, y):
    return tnp.mean(tnp.logaddexp(0.0, -y * (x @ w)))


def mlp(p, x, y):
    h = tnp.tanh(x @ p["W1"] + p["b1"])
    return tnp.mean((h @ p["w2"] - y) ** 2)


def params_for(name, cols, rng):
    if name == "logistic":
        return (rng.standard_normal(cols) * 0.1).astype(np.float32)
    return {"W1": (rng.standard_normal((cols, 32)) * 0.2).astype(np.float32),
            "b1": np.zeros(32, np.float32),
            "w2": (rng.standard_normal(32) * 0.2).astype(np.float32)}


def median_seconds(fn, steps):
    fn()                                    # compile / warm up
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--cols", type=int, default=32)
    parser.add_argument("--chunks", type=int, default=16)
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()

    import dask.array as da
    from distributed import Client, LocalCluster

    import tracegrad.distributed as tgd

    rows_per_chunk = args.rows // args.chunks
    rng = np.random.default_rng(0)
    direction = rng.standard_normal(args.cols).astype(np.float32)
    losses = {"logistic": logistic, "mlp": mlp}
    results = {}
    x_local = y_local = None
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            x = da.random.default_rng(1).standard_normal(
                (args.rows, args.cols), chunks=(rows_per_chunk, args.cols),
                dtype=np.float32)
            y = da.sign(x @ direction + np.float32(0.1)).astype(np.float32)
            x, y = client.persist([x, y])
            if x_local is None:
                x_local, y_local = client.compute([x, y], sync=True)
            for name, loss in losses.items():
                step = tgd.value_and_grad(loss)
                params = params_for(name, args.cols, np.random.default_rng(2))
                results[(name, workers)] = median_seconds(
                    lambda: step(params, x, y), args.steps)
    for name, loss in losses.items():
        local = tg.compile(tg.value_and_grad(loss))
        params = params_for(name, args.cols, np.random.default_rng(2))
        results[(name, 0)] = median_seconds(lambda: local(params, x_local, y_local),
                                            args.steps)

    print(f"{args.rows} x {args.cols} float32 rows in {args.chunks} chunks, "
          f"median of {args.steps} full-batch gradients\n")
    print("| loss | one process (whole array) | 1 worker | 2 workers | speed-up 1 -> 2 "
          "| 2 workers / (one process / 2) | Dask overhead per step (2 workers) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in losses:
        single, one, two = (results[(name, k)] for k in (0, 1, 2))
        print(f"| {name} | {single * 1e3:.1f} ms | {one * 1e3:.1f} ms | {two * 1e3:.1f} ms "
              f"| {one / two:.2f}x | {two / (single / 2):.2f} | "
              f"{(two - single / 2) * 1e3:.1f} ms |")


if __name__ == "__main__":
    main()
