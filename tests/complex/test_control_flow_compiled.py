"""Complex values through compiled cond, scan and while (each complex operand and result
carried as two real ones): compiled == eager, float64 and float32 parts, gradients of
real losses through loops with complex state."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp

Z = np.array([1 + 2j, 3 - 1j, 0.5j])


def rotate(z):
    """A phasor turned step by step; complex carry, real and complex ys."""
    def step(c, k):
        c = c * np.exp(0.3j).astype(c.dtype) + (k * 0.1j).astype(c.dtype)
        return c, (tnp.abs(c), c * 2)
    c, ys = tg.scan(step, z, tnp.arange(5.0).astype(z.real.dtype))
    return c, ys


def grow(z):
    body = lambda s: (s[0] * np.complex64(1.5 + 0.5j).astype(s[0].dtype), s[1] + 1)
    return tg.while_loop(lambda s: tnp.abs(s[0]).sum() < 50, body, (z, 0))


def branch(z):
    return tg.cond(z[0].real > 0, lambda z: z * 2j, lambda z: tnp.conj(z), z)


def _close(a, b, dtype):
    for x, y in zip(tg.tree_leaves(a), tg.tree_leaves(b)):
        assert np.asarray(x).dtype == np.asarray(y).dtype
        np.testing.assert_allclose(x, y, rtol=1e-5 if dtype == np.complex64 else 1e-13)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
@pytest.mark.parametrize("fn", [rotate, grow, branch], ids=lambda f: f.__name__)
def test_compiled_matches_eager(fn, dtype):
    z = Z.astype(dtype)
    _close(tg.compile(fn)(z), fn(z), dtype)
    _close(tg.compile(fn)(-z), fn(-z), dtype)


def test_gradient_of_a_real_loss_through_a_complex_loop():
    loss = lambda x: tnp.sum(rotate(x * (1 + 1j))[1][0] ** 2)
    x = np.array([0.3, -0.2, 0.5])
    expected = tg.grad(loss)(x)
    np.testing.assert_allclose(tg.compile(tg.grad(loss))(x), expected, rtol=1e-12)
    tg.check_grads(loss, (x,), order=1, modes=("rev",))


def test_complex_loop_inside_a_loop():
    def f(z):
        return tg.fori_loop(0, 3, lambda i, c: rotate(c)[0] * 0.5, z)
    _close(tg.compile(f)(Z), f(Z), np.complex128)


def test_fft_inside_a_compiled_scan():
    x = np.random.default_rng(0).normal(size=16)

    def f(x):
        def step(c, _):
            spec = np.fft.rfft(c)
            c = np.fft.irfft(spec * np.exp(-0.1 * np.arange(9)), n=16)
            return c, tnp.abs(spec).sum()
        return tg.scan(step, x, None, length=4)
    _close(tg.compile(f)(x), f(x), np.complex128)
    g = tg.grad(lambda x: f(x)[1].sum())
    np.testing.assert_allclose(tg.compile(g)(x), g(x), rtol=1e-12)


def test_reverse_mode_through_a_while_loop_with_a_complex_carry():
    def f(x):
        body = lambda s: (s[0] * (1.5 + 0.5j) + x, s[1] + 1)
        z, _ = tg.while_loop(lambda s: tnp.abs(s[0]).sum() < 50, body, (x * (1 + 1j), 0))
        return tnp.sum(tnp.abs(z) + tnp.real(z))
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(tg.compile(tg.grad(f))(x), tg.grad(f)(x), rtol=1e-12)
    g = tg.grad(lambda z: tnp.sum(tnp.abs(tg.while_loop(
        lambda s: tnp.abs(s).sum() < 50, lambda s: s * (1.5 + 0.5j) + 1j, z))))
    z = np.array([1 + 1j, 2j])
    np.testing.assert_allclose(tg.compile(g)(z), g(z), rtol=1e-12)
