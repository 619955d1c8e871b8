"""Derivatives on complex values in JAX's convention, checked against central finite
differences (complex128) and, where installed, against JAX itself:

- vjp(ct) of any f is df/dx - i df/dy of the real function g(z) = Re(sum(ct * f(z)))
  (for a real-valued f and ct = 1 that is grad(f); for holomorphic f it is ct * f'(z));
- jvp(t) is the directional derivative (f(z + h t) - f(z - h t)) / 2h;
- grad(holomorphic=True) of a holomorphic f is f'(z) = df/dx.
Compiled vjps equal eager ones."""
import warnings

import numpy as np
import pytest

import tracegrad as tg
from tests.complex.rows import ROWS, sample
from tests.complex.test_values import check, quiet

DIFFERENTIABLE = [r for r in ROWS if r.kind != "none"]
SMOOTH = [r for r in DIFFERENTIABLE if r.finite_differences]
H = 1e-6
RTOL, ATOL = 2e-6, 2e-7


def _args(row, rng, shape=(3,)):
    return [sample(rng, np.complex128, shape, row.away_from_cut) for _ in range(row.arity)]


def _like(out, rng):
    """A random cotangent (or tangent) of the output's dtype and shape."""
    out = np.asarray(out)
    if out.dtype.kind == "c":
        return (rng.normal(size=out.shape) + 1j * rng.normal(size=out.shape)).astype(out.dtype)
    return rng.normal(size=out.shape).astype(out.dtype)


def _fd_vjp(f, args, ct):
    """df/dx - i df/dy of g = Re(sum(ct * f)) for each argument, elementwise."""
    def g(*zs):
        return float(np.sum(np.real(ct * quiet(f, *zs))))
    grads = []
    for n, a in enumerate(args):
        grad = np.zeros(a.shape, np.complex128)
        for k in np.ndindex(a.shape):
            partial = []
            for step in (H, 1j * H):
                plus, minus = [list(args) for _ in range(2)]
                plus[n], minus[n] = a.copy(), a.copy()
                plus[n][k] += step
                minus[n][k] -= step
                partial.append((g(*plus) - g(*minus)) / (2 * H))
            grad[k] = partial[0] - 1j * partial[1]
        grads.append(grad)
    return grads


@pytest.mark.parametrize("row", SMOOTH, ids=lambda r: r.name)
def test_vjp_equals_finite_differences(row, rng):
    def f(*zs):
        return row.fn(np, *zs)
    for shape in [(), (3,)]:
        args = _args(row, rng, shape)
        out, vjp_fn = quiet(tg.vjp, f, *args)
        ct = _like(out, rng)
        got = quiet(vjp_fn, ct)
        for n, (g, expected) in enumerate(zip(got, _fd_vjp(f, args, ct))):
            assert g.dtype == np.complex128, f"{row.name}: cotangent dtype {g.dtype}"
            np.testing.assert_allclose(g, expected, rtol=RTOL, atol=ATOL,
                                       err_msg=f"{row.name}: argument {n}, shape {shape}")


@pytest.mark.parametrize("row", SMOOTH, ids=lambda r: r.name)
def test_jvp_equals_finite_differences(row, rng):
    def f(*zs):
        return row.fn(np, *zs)
    args = _args(row, rng)
    tangents = [_like(a, rng) for a in args]
    out, tangent_out = quiet(tg.jvp, f, args, tangents)
    plus = quiet(f, *[a + H * t for a, t in zip(args, tangents)])
    minus = quiet(f, *[a - H * t for a, t in zip(args, tangents)])
    expected = (np.asarray(plus) - np.asarray(minus)) / (2 * H)
    assert np.asarray(tangent_out).dtype == np.asarray(out).dtype
    np.testing.assert_allclose(tangent_out, expected.astype(np.asarray(out).dtype),
                               rtol=RTOL, atol=ATOL, err_msg=row.name)


@pytest.mark.parametrize("row", [r for r in ROWS if r.kind == "holomorphic"],
                         ids=lambda r: r.name)
def test_holomorphic_grad_is_the_complex_derivative(row, rng):
    args = _args(row, rng)

    def total(*zs):
        return np.sum(row.fn(np, *zs))
    got = quiet(tg.grad(total, argnums=tuple(range(row.arity)), holomorphic=True), *args)
    for n, g in enumerate(got):
        expected = np.zeros(args[n].shape, np.complex128)
        for k in np.ndindex(args[n].shape):
            plus, minus = [list(args) for _ in range(2)]
            plus[n], minus[n] = args[n].copy(), args[n].copy()
            plus[n][k] += H
            minus[n][k] -= H
            expected[k] = (quiet(total, *plus) - quiet(total, *minus)) / (2 * H)
        np.testing.assert_allclose(g, expected, rtol=RTOL, atol=ATOL, err_msg=row.name)


@pytest.mark.parametrize("row", [r for r in DIFFERENTIABLE if r.compiled],
                         ids=lambda r: r.name)
def test_compiled_vjp_equals_eager(row, rng):
    def f(*zs):
        return row.fn(np, *zs)
    args = _args(row, rng)
    out, vjp_fn = quiet(tg.vjp, f, *args)
    ct = _like(out, rng)
    program = tg.compile(lambda args, ct: tg.vjp(f, *args)[1](ct))
    check(quiet(program, args, ct), quiet(vjp_fn, ct), np.complex128, row.name)


@pytest.mark.parametrize("row", DIFFERENTIABLE, ids=lambda r: r.name)
def test_vjp_and_jvp_equal_jax(row, rng):
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    args = _args(row, rng)
    out, vjp_fn = quiet(tg.vjp, lambda *zs: row.fn(np, *zs), *args)
    ct = _like(out, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, jax_vjp = jax.vjp(lambda *zs: row.fn(jnp, *zs), *args)
        for got, expected in zip(quiet(vjp_fn, ct), jax_vjp(ct)):
            np.testing.assert_allclose(got, np.asarray(expected), rtol=1e-12, atol=1e-13,
                                       err_msg=f"{row.name}: vjp")
        tangents = [_like(a, rng) for a in args]
        _, t_out = quiet(tg.jvp, lambda *zs: row.fn(np, *zs), args, tangents)
        _, jax_t = jax.jvp(lambda *zs: row.fn(jnp, *zs), tuple(args), tuple(tangents))
        np.testing.assert_allclose(t_out, np.asarray(jax_t), rtol=1e-12, atol=1e-13,
                                   err_msg=f"{row.name}: jvp")
