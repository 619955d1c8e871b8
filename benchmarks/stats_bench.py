"""scipy.stats speed: tracegrad against JAX, compiled (jit), float64.

Workload: multivariate_normal.logpdf of 10 000 points in 32 dimensions (full covariance),
summed: the value alone, and value_and_grad with respect to the mean and the covariance.

Usage:  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/stats_bench.py
Prints a markdown table of median times (ms) and the ratios tracegrad / JAX. The two
gradients with respect to the covariance differ by convention, not by value: tracegrad's
lives on the lower triangle that the Cholesky factorization reads (as NumPy's and SciPy's
routines read it), JAX's is symmetrized; along symmetric perturbations they agree, which
the script checks."""
from __future__ import annotations

import statistics
import time

import numpy as np

import jax
jax.config.update("jax_enable_x64", True)
import jax.scipy.stats as jst           # noqa: E402

import tracegrad as tg                  # noqa: E402
import tracegrad.scipy.stats as tst     # noqa: E402

POINTS, DIM = 10_000, 32


def median_ms(fn, repeats=7, number=10):
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return 1e3 * statistics.median(times)


def main():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(POINTS, DIM))
    a = rng.normal(size=(DIM, DIM))
    cov = a @ a.T / DIM + np.eye(DIM)
    mean = rng.normal(size=DIM)
    tg_f = lambda m, c: tst.multivariate_normal.logpdf(x, m, c).sum()
    jax_f = lambda m, c: jst.multivariate_normal.logpdf(x, m, c).sum()

    tg_value, jax_value = tg.compile(tg_f), jax.jit(jax_f)
    tg_vg = tg.compile(tg.value_and_grad(tg_f, (0, 1)))
    jax_vg = jax.jit(jax.value_and_grad(jax_f, (0, 1)))
    for fn in (tg_value, tg_vg):
        fn(mean, cov)
        fn.wait()
    v_tg, (gm_tg, gc_tg) = tg_vg(mean, cov)
    v_jax, (gm_jax, gc_jax) = jax_vg(mean, cov)
    sym = lambda g: np.asarray(g) + np.asarray(g).T - np.diag(np.diag(np.asarray(g)))
    lower = lambda g: np.tril(np.asarray(g) + np.asarray(g).T - np.diag(np.diag(np.asarray(g))))
    assert abs(v_tg - float(v_jax)) < 1e-8 * abs(v_tg)
    assert np.allclose(gm_tg, gm_jax, rtol=1e-9)
    assert np.allclose(sym(gc_tg), lower(gc_jax) + np.tril(lower(gc_jax), -1).T, rtol=1e-8)

    rows = []
    for name, t, j in [
            ("logpdf", lambda: tg_value(mean, cov),
             lambda: jax.block_until_ready(jax_value(mean, cov))),
            ("value_and_grad", lambda: tg_vg(mean, cov),
             lambda: jax.block_until_ready(jax_vg(mean, cov)))]:
        tms, jms = median_ms(t), median_ms(j)
        rows.append(f"| multivariate_normal {name} ({POINTS}x{DIM}) | {tms:.2f} | {jms:.2f} | "
                    f"{tms / jms:.2f}x |")
    print("| workload | tracegrad (ms) | JAX jit (ms) | tracegrad / JAX |")
    print("| --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
