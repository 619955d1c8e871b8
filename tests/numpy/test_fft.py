"""numpy.fft beyond the op table (tests/ops/rows_fft.py): complex inputs differentiated
in JAX's convention (checked against JAX), the primitive's transposes, larger transforms
compiled, errors, and compiled FFT programs loaded from the disk cache by a second
process."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.errors import UnsupportedError

from tests.runtime.support import run_python


def _complex(rng, *shape, dtype=np.complex128):
    return (rng.normal(size=shape) + 1j * rng.normal(size=shape)).astype(dtype)


# Real-valued losses of complex inputs: grad is df/dx - i df/dy (JAX's convention).
LOSSES = {
    "fft": lambda xp, z, w: xp.sum(xp.abs(xp.fft.fft(z, n=7, norm="ortho")) ** 2 * w[:7]),
    "ifft2": lambda xp, z, w: xp.sum(xp.real(xp.fft.ifft2(z, axes=(1, 0))) * w[:6].reshape(2, 3)),
    "irfft": lambda xp, z, w: xp.sum(xp.fft.irfft(z, n=5, axis=0) * w[:1]),
    "hfft": lambda xp, z, w: xp.sum(xp.fft.hfft(z[0], norm="forward") ** 2 * w[:4]),
    "rfftn_of_real": lambda xp, z, w: xp.sum(xp.abs(xp.fft.rfftn(xp.real(z) * w[:3])) ** 2),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_complex_gradients_match_jax(name, rng):
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    f = LOSSES[name]
    z, w = _complex(rng, 2, 3), rng.uniform(0.5, 1.5, size=8)
    ours = tg.grad(lambda z: f(np, z, w))(z)
    theirs = np.asarray(jax.grad(lambda z: f(jnp, z, jnp.asarray(w)))(jnp.asarray(z)))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    assert ours.dtype == np.complex128


def test_complex_gradients_compiled_match_eager(rng):
    z, w = _complex(rng, 2, 3), rng.uniform(0.5, 1.5, size=8)

    def losses(z):
        return sum(LOSSES[name](np, z, w) for name in sorted(LOSSES))
    eager = tg.value_and_grad(losses)(z)
    compiled = tg.compile(tg.value_and_grad(losses))(z)
    np.testing.assert_allclose(compiled[0], eager[0], rtol=1e-12)
    np.testing.assert_allclose(compiled[1], eager[1], rtol=1e-11, atol=1e-12)


def test_primitive_transposes_are_adjoint(rng):
    """<ct, T(x)> == <T^t(ct), x> for the pairing Re(sum a b), every fft_type."""
    for fft_type, lengths, x in (
            ("fft", (4, 3), _complex(rng, 2, 4, 3)),
            ("ifft", (5,), _complex(rng, 3, 5)),
            ("rfft", (3, 4), rng.normal(size=(2, 3, 4))),
            ("rfft", (5,), rng.normal(size=(5,))),
            ("irfft", (2, 6), _complex(rng, 2, 4)),
            ("irfft", (7,), _complex(rng, 3, 4))):
        def transform(x):
            return tg.lax.fft(x, fft_type, lengths)
        y, vjp = tg.vjp(transform, x)
        ct = rng.normal(size=y.shape) + (1j * rng.normal(size=y.shape) if y.dtype.kind == "c" else 0)
        (back,) = vjp(ct.astype(y.dtype))
        if fft_type == "irfft":       # irfft reads only a real DC (and Nyquist) component
            x = np.fft.rfftn(np.fft.irfftn(x, s=lengths, axes=(-2, -1)[-len(lengths):]),
                             axes=(-2, -1)[-len(lengths):])
        lhs = np.sum(np.real(ct * np.asarray(y)))
        rhs = np.sum(np.real(back * x))
        np.testing.assert_allclose(lhs, rhs, rtol=1e-10, err_msg=f"{fft_type} {lengths}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_transforms_compiled(dtype, rng):
    x = rng.normal(size=(3, 1024)).astype(dtype)
    z = (x[:, :513] + 1j * x[:, 1:514])

    def f(x, z):
        return (np.fft.rfft(x), np.fft.irfft(z, n=1024), np.fft.fft2(x, s=(4, 1000)),
                np.fft.ifftn(z, axes=(0, 1), norm="ortho"))
    compiled = tg.compile(f)(x, z)
    tol = 1e-11 if dtype == np.float64 else 2e-3
    for c, e in zip(compiled, f(x, z)):
        assert c.dtype == e.dtype
        np.testing.assert_allclose(c, e, rtol=tol, atol=tol * np.abs(e).max())


def test_fft_in_a_loop_body(rng):
    """Eager, interpreted and compiled (complex values in a loop body are carried as
    pairs of real arrays)."""
    x = rng.normal(size=16)

    def f(x):
        def body(i, carry):
            return np.fft.irfft(np.fft.rfft(carry) * 0.5, n=16)
        return tg.lax.fori_loop(0, 3, body, x)
    np.testing.assert_allclose(tg.make_ir(f)(x).evaluate(x), x / 8, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(tg.compile(f)(x), x / 8, rtol=1e-12, atol=1e-14)


def test_vmap_over_transforms(rng):
    x = rng.normal(size=(4, 6))

    def f(v):
        return np.fft.rfft(v, n=8, norm="ortho"), np.fft.fft2(v.reshape(2, 3), axes=(1, 0))
    batched = tg.vmap(f)(x)
    expected = (np.fft.rfft(x, n=8, norm="ortho"),
                np.fft.fft2(x.reshape(4, 2, 3), axes=(2, 1)))
    for b, c, e in zip(batched, tg.compile(tg.vmap(f))(x), expected):
        np.testing.assert_allclose(b, e, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(c, e, rtol=1e-12, atol=1e-12)
    jacobian = tg.jacrev(lambda v: np.imag(np.fft.rfft(v)))(x[0])
    np.testing.assert_allclose(jacobian, np.imag(np.fft.rfft(np.eye(6), axis=0)), atol=1e-12)


def test_errors_follow_numpy(rng):
    x = rng.normal(size=6)
    trace = tg.make_ir

    with pytest.raises(TypeError):
        trace(lambda z: np.fft.rfft(z))(x + 1j)
    with pytest.raises(ValueError, match="Invalid number of FFT data points"):
        trace(lambda x: np.fft.fft(x, n=0))(x)
    with pytest.raises(ValueError, match="Invalid norm value"):
        trace(lambda x: np.fft.fft(x, norm="unitary"))(x)
    with pytest.raises(UnsupportedError, match="out="):
        trace(lambda x: np.fft.fft(x, out=np.empty(6, complex)))(x)
    assert tnp.fft.fftfreq(4).dtype == np.fft.fftfreq(4).dtype


def test_every_numpy_fft_function_dispatches():
    from tracegrad.numpy._core import HANDLED_FUNCTIONS
    for name in tnp.fft.__all__:
        assert getattr(np.fft, name) in HANDLED_FUNCTIONS, name
    assert set(tnp.fft.__all__) == {n for n in np.fft.__all__}


@pytest.mark.slow
def test_compiled_fft_loads_from_the_disk_cache_in_another_process():
    code = """
        import numpy as np
        import tracegrad as tg
        from tracegrad.codegen import native
        f = tg.compile(tg.value_and_grad(lambda x: np.sum(np.abs(np.fft.rfft(x)) ** 2)))
        x = np.linspace(0.0, 1.0, 32)
        value, grad = f(x)
        eager = tg.grad(lambda x: np.sum(np.abs(np.fft.rfft(x)) ** 2))(x)
        assert np.allclose(grad, eager, rtol=1e-12, atol=1e-12)
        print(sorted({s["origin"] for s in native.STATS.values()}))
    """
    first = run_python(code)
    second = run_python(code)
    assert "compiled" in first.stdout or "disk" in first.stdout
    assert second.stdout.strip().endswith("['disk']"), second.stdout
