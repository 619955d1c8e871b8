"""FFT speed: tracegrad against JAX, value_and_grad of a spectral loss, float64.

  spectral n   sum(abs(rfft(x))**2 * w), x and w of lengths n and n//2 + 1, gradient in x,
               for n = 2**16 and 2**20

Compiled (tracegrad.compile / jax.jit) and eager (tracegrad.value_and_grad / JAX without
jit). Inputs are NumPy arrays for tracegrad, device arrays for JAX (converted once).

Usage:  python benchmarks/fft_bench.py
Prints a markdown table of median times (ms) and the ratios tracegrad / JAX."""
from __future__ import annotations

import statistics
import time

import numpy as np

import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp                 # noqa: E402

import tracegrad as tg                  # noqa: E402
import tracegrad.numpy as tnp           # noqa: E402


def spectral(xp):
    def f(x, w):
        return xp.sum(xp.abs(xp.fft.rfft(x)) ** 2 * w)
    return f


def median_ms(fn, repeats, warmup=3):
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


def main():
    rng = np.random.default_rng(0)
    rows = []
    for log2n, repeats in ((16, 200), (20, 20)):
        n = 2 ** log2n
        x, w = rng.normal(size=n), rng.uniform(size=n // 2 + 1)
        tg_step = tg.compile(tg.value_and_grad(spectral(tnp)), tiered=False)
        jax_step = jax.jit(jax.value_and_grad(spectral(jnp)))
        jx, jw = jnp.asarray(x), jnp.asarray(w)
        value, grad = tg_step(x, w)
        jvalue, jgrad = jax_step(jx, jw)
        assert np.allclose(value, jvalue, rtol=1e-10) and \
            np.allclose(grad, np.asarray(jgrad), rtol=1e-9, atol=1e-9 * np.abs(grad).max())
        compiled = median_ms(lambda: tg_step(x, w), repeats)
        jit = median_ms(jax_ready(lambda: jax_step(jx, jw)), repeats)
        tg_eager = tg.value_and_grad(spectral(tnp))
        jax_eager = jax.value_and_grad(spectral(jnp))
        eager = median_ms(lambda: tg_eager(x, w), max(repeats // 4, 5))
        jeager = median_ms(jax_ready(lambda: jax_eager(jx, jw)), max(repeats // 4, 5))
        rows.append((f"spectral 2^{log2n}", compiled, jit, eager, jeager))
    print("| workload | tracegrad compiled | JAX jit | ratio | tracegrad eager | JAX eager | ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, c, j, e, je in rows:
        print(f"| {name} | {c:.3f} ms | {j:.3f} ms | {c / j:.2f}x | {e:.2f} ms | {je:.2f} ms "
              f"| {e / je:.2f}x |")


if __name__ == "__main__":
    main()
