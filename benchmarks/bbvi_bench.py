"""Black-box variational inference: a Gaussian q(z) = N(mu, diag(sigma^2)) fitted to the
posterior of a Bayesian logistic regression (500 rows, 20 features) by Adam on the
reparameterized ELBO, 10 samples per step, 1000 steps, a fresh key per step (split inside
the step). The whole step — draw, value_and_grad, Adam update — is one compiled program
for tracegrad (`tg.compile`) and one `jax.jit` for JAX, written once against `xp` and
`random`. Both use the same Threefry stream, so in float64 their trajectories agree to
rounding: the script checks it. Prints a markdown table.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bbvi_bench.py
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

ROWS, FEATURES, SAMPLES = 500, 20, 10
LR, B1, B2, EPS = 0.05, 0.9, 0.999, 1e-8


def make_step(xp, random, value_and_grad):
    def neg_elbo(params, key, x, y):
        mu, log_sigma = params["mu"], params["log_sigma"]
        eps = random.normal(key, (SAMPLES, FEATURES), dtype=x.dtype)
        z = mu + xp.exp(log_sigma) * eps                          # reparameterized
        logits = x @ z.T                                          # (rows, samples)
        loglik = -xp.sum(xp.logaddexp(0.0, -y[:, None] * logits), axis=0)
        logprior = -0.5 * xp.sum(z * z, axis=1)
        return -(xp.mean(loglik + logprior) + xp.sum(log_sigma))  # entropy up to a const

    def step(params, m, v, t, key, x, y):
        key, sub = random.split(key)
        value, grads = value_and_grad(neg_elbo)(params, sub, x, y)
        t = t + 1
        new_params, new_m, new_v = {}, {}, {}
        for k in params:                                          # Adam
            new_m[k] = B1 * m[k] + (1 - B1) * grads[k]
            new_v[k] = B2 * v[k] + (1 - B2) * grads[k] * grads[k]
            m_hat = new_m[k] / (1 - B1 ** t)
            v_hat = new_v[k] / (1 - B2 ** t)
            new_params[k] = params[k] - LR * m_hat / (xp.sqrt(v_hat) + EPS)
        return new_params, new_m, new_v, t, key, value
    return step


def data(dtype):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((ROWS, FEATURES)).astype(dtype)
    y = np.sign(x @ rng.standard_normal(FEATURES) + 0.3 * rng.standard_normal(ROWS))
    return x, y.astype(dtype)


def run(step, key, x, y, steps, dtype, to_numpy):
    zeros = {"mu": np.zeros(FEATURES, dtype), "log_sigma": np.full(FEATURES, -1.0, dtype)}
    params, m, v = zeros, {k: np.zeros(FEATURES, dtype) for k in zeros}, \
        {k: np.zeros(FEATURES, dtype) for k in zeros}
    t = np.asarray(0.0, dtype)
    start = time.perf_counter()
    params, m, v, t, key, value = step(params, m, v, t, key, x, y)
    to_numpy(value)
    first = time.perf_counter() - start
    if hasattr(step, "wait"):
        step.wait()             # tracegrad answered the first step interpreted; now native
    times, values = [], [float(to_numpy(value))]
    for _ in range(steps - 1):
        start = time.perf_counter()
        params, m, v, t, key, value = step(params, m, v, t, key, x, y)
        to_numpy(value)                                            # wait for the result
        times.append(time.perf_counter() - start)
        values.append(float(to_numpy(value)))
    return first, statistics.median(times), values, {k: to_numpy(p) for k, p in params.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--dtype", default="float64")
    args = parser.parse_args()
    dtype = np.dtype(args.dtype)
    x, y = data(dtype)
    results = {}

    import tracegrad as tg
    import tracegrad.numpy as tnp
    import tracegrad.random as tr
    step = tg.compile(make_step(tnp, tr, tg.value_and_grad))
    results["tracegrad (compile)"] = run(step, tr.key(42), x, y, args.steps, dtype, np.asarray)

    try:
        import jax
        jax.config.update("jax_enable_x64", dtype == np.float64)
        import jax.numpy as jnp
        jstep = jax.jit(make_step(jnp, jax.random, jax.value_and_grad))
        results["jax (jit)"] = run(jstep, jax.random.PRNGKey(42), x, y, args.steps, dtype,
                                   lambda a: np.asarray(jax.block_until_ready(a)))
    except ImportError:
        pass

    print(f"BBVI, Bayesian logistic regression {ROWS}x{FEATURES}, {SAMPLES} samples per "
          f"step, {args.steps} Adam steps, {dtype}\n")
    print("| system | first step (first result) | step median | vs tracegrad "
          "| ELBO loss first -> last |")
    print("|---|---:|---:|---:|---|")
    base = results["tracegrad (compile)"][1]
    for name, (first, median, values, _) in results.items():
        print(f"| {name} | {first * 1e3:.0f} ms | {median * 1e6:.1f} µs | "
              f"{median / base:.2f}x | {values[0]:.3f} -> {values[-1]:.3f} |")
    if len(results) == 2:
        (_, _, va, pa), (_, _, vb, pb) = results.values()
        gap = max(float(np.max(np.abs(pa[k] - pb[k]))) for k in pa)
        print(f"\nSame key stream: final parameters differ by at most {gap:.2e}; "
              f"losses by at most {max(abs(a - b) for a, b in zip(va, vb)):.2e}.")


if __name__ == "__main__":
    main()
