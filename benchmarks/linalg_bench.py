"""Linear algebra speed: tracegrad against JAX, compiled (jit) and eager, float64.

Workloads (value_and_grad of each):
  slogdet_solve n   slogdet(A)[1] + sum(solve(A, B)), A n x n, B n x 16, for n = 64, 512
  gp_nll 1000       negative log-likelihood of a Gaussian process (squared-exponential
                    kernel over 1000 points in 3-d, Cholesky-based), gradient in its
                    three log-parameters

Usage:  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/linalg_bench.py
Prints a markdown table of median times (ms) and the ratios tracegrad / JAX."""
from __future__ import annotations

import statistics
import time

import numpy as np

import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp                 # noqa: E402
import jax.scipy.linalg as jsl          # noqa: E402

import tracegrad as tg                  # noqa: E402
import tracegrad.numpy as tnp           # noqa: E402
import tracegrad.scipy.linalg as tsl    # noqa: E402


def slogdet_solve(xp):
    def f(a, b):
        return xp.linalg.slogdet(a)[1] + xp.sum(xp.linalg.solve(a, b))
    return f


def gp_nll(xp, sl):
    def f(params, x, y):
        length, scale, noise = xp.exp(params[0]), xp.exp(params[1]), xp.exp(params[2])
        sq = xp.sum(x * x, axis=1)
        d2 = sq[:, None] + sq[None, :] - 2.0 * (x @ x.T)
        k = scale * xp.exp(-0.5 * d2 / (length * length)) + (noise + 1e-6) * xp.eye(x.shape[0])
        chol = sl.cho_factor(k, lower=True)
        alpha = sl.cho_solve(chol, y)
        n = x.shape[0]
        return 0.5 * y @ alpha + xp.sum(xp.log(xp.diagonal(chol[0]))) + \
            0.5 * n * np.log(2 * np.pi)
    return f


def median_ms(fn, repeats, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def jax_ready(fn):
    return lambda: jax.block_until_ready(fn())


def workloads():
    rng = np.random.default_rng(0)
    for n, repeats in ((64, 200), (512, 20)):
        a = rng.normal(size=(n, n)) + n ** 0.5 * np.eye(n)
        b = rng.normal(size=(n, 16))
        yield f"slogdet_solve {n}", slogdet_solve(tnp), slogdet_solve(jnp), (a, b), repeats
    x = rng.uniform(-1, 1, size=(1000, 3))
    y = np.sin(3 * x[:, 0]) + 0.1 * rng.normal(size=1000)
    params = np.array([np.log(0.5), 0.0, np.log(0.1)])
    yield ("gp_nll 1000", gp_nll(tnp, tsl), gp_nll(jnp, jsl), (params, x, y), 10)


def main():
    rows = []
    for name, tg_f, jax_f, args, repeats in workloads():
        tg_step = tg.compile(tg.value_and_grad(tg_f), tiered=False)
        jax_step = jax.jit(jax.value_and_grad(jax_f))
        jargs = tuple(jnp.asarray(a) for a in args)
        value, grad = tg_step(*args)
        jvalue, jgrad = jax_step(*jargs)
        assert np.allclose(value, jvalue, rtol=1e-8), (name, value, jvalue)
        assert np.allclose(grad, jgrad, rtol=1e-6, atol=1e-8), name
        compiled = median_ms(lambda: tg_step(*args), repeats)
        jit = median_ms(jax_ready(lambda: jax_step(*jargs)), repeats)
        eager_tg = median_ms(lambda: tg.value_and_grad(tg_f)(*args), max(repeats // 4, 3), 1)
        eager_jax = median_ms(jax_ready(lambda: jax.value_and_grad(jax_f)(*jargs)),
                              max(repeats // 4, 3), 1)
        rows.append((name, compiled, jit, eager_tg, eager_jax))
    print("| workload | tracegrad compiled | JAX jit | ratio | tracegrad eager | JAX eager "
          "| ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, c, j, e, je in rows:
        print(f"| {name} | {c:.3f} ms | {j:.3f} ms | {c / j:.2f}x | {e:.2f} ms | {je:.2f} ms "
              f"| {e / je:.2f}x |")


if __name__ == "__main__":
    main()
