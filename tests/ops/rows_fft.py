"""Op-table rows for numpy.fft (tracegrad.numpy.fft). Complex inputs are built inside
the row from two real arrays (z = x + 1j*y), so the gradients are with respect to real
and imaginary parts. Each row returns several variants at once (n/s padding and
truncation, odd and even lengths, axes in other orders, every norm), so that one compiled
program checks them all. The float64 row returns complex results as (real, imag) pairs
(finite differences compare real arrays); the float32 row returns them as they are, so
their dtype (complex64, as NumPy 2) is checked."""
import numpy as np

from .op_table import Row

NORMS = (None, "backward", "ortho", "forward")


def cases(*shape_lists, low=-1.0, high=1.0):
    """One case per list of shapes: normal entries."""
    def make(rng, dtype):
        return [tuple(rng.uniform(low, high, s).astype(dtype) for s in shapes)
                for shapes in shape_lists]
    return make


def _parts(fn):
    """fn with each complex result as its real and imaginary parts."""
    def split(xp, *args):
        out = fn(xp, *args)
        leaves = out if isinstance(out, tuple) else (out,)
        result = []
        for o in leaves:
            if np.dtype(o.dtype).kind == "c":
                result += [xp.real(o), xp.imag(o)]
            else:
                result.append(o)
        return tuple(result)
    return split


def row(name, fn, make, grad_order=1, **kw):
    return [Row(name, _parts(fn), make, dtypes=(np.float64,), grad_order=grad_order,
                rtol=1e-12, atol=1e-12, **kw),
            Row(name + "[f32]", fn, make, dtypes=(np.float32,), grad_order=0,
                rtol=3e-5, atol=3e-5, **kw)]


def _z(x, y):
    return x + 1j * y


ROWS = [
    # Second order here (the transform is linear: its second derivative is zero, and
    # forward-over-reverse goes through the transposed transforms).
    *row("fft.fft", lambda xp, x, y: (
        xp.fft.fft(_z(x, y)), xp.fft.fft(_z(x, y), n=x.shape[0] + 3, axis=0, norm="ortho"),
        xp.fft.fft(_z(x, y), n=2, norm="forward"), xp.fft.fft(x, norm="backward")),
        cases([(5, 3), (5, 3)], [(4, 6), (4, 6)], [(1, 2), (1, 2)]), grad_order=2,
        grad_argnums=(0, 1)),
    *row("fft.ifft", lambda xp, x, y: (
        xp.fft.ifft(_z(x, y)), xp.fft.ifft(_z(x, y), n=7, axis=0, norm="ortho"),
        xp.fft.ifft(_z(x, y), n=2, axis=-2, norm="forward"), xp.fft.ifft(x, norm="backward")),
        cases([(4, 3), (4, 3)], [(5, 6), (5, 6)]), grad_argnums=(0, 1)),
    *row("fft.rfft", lambda xp, x: (
        xp.fft.rfft(x), xp.fft.rfft(x, n=9, axis=0, norm="ortho"),
        xp.fft.rfft(x, n=4, norm="forward"), xp.fft.rfft(x, n=1, norm="backward")),
        cases([(6, 5)], [(7, 4)], [(2, 2, 3)])),
    *row("fft.irfft", lambda xp, x, y: (
        xp.fft.irfft(_z(x, y)), xp.fft.irfft(_z(x, y), n=7, axis=0, norm="ortho"),
        xp.fft.irfft(_z(x, y), n=3, norm="forward"),
        xp.fft.irfft(_z(x, y), n=8, norm="backward")),
        cases([(4, 5), (4, 5)], [(3, 4), (3, 4)], [(2, 1, 2), (2, 1, 2)]),
        grad_argnums=(0, 1)),
    *row("fft.hfft_ihfft", lambda xp, x, y: (
        xp.fft.hfft(_z(x, y)), xp.fft.hfft(_z(x, y), n=5, axis=0, norm="ortho"),
        xp.fft.hfft(_z(x, y), n=2, norm="forward"), xp.fft.ihfft(x),
        xp.fft.ihfft(x, n=6, axis=0, norm="forward"), xp.fft.ihfft(y, n=3, norm="ortho")),
        cases([(4, 3), (4, 3)], [(3, 5), (3, 5)]), grad_argnums=(0, 1)),
    *row("fft.fft2_ifft2", lambda xp, x, y: (
        xp.fft.fft2(_z(x, y)), xp.fft.ifft2(_z(x, y), s=(3, 5), norm="ortho"),
        xp.fft.fft2(_z(x, y), axes=(2, 0), norm="forward"),
        xp.fft.ifft2(x, s=(2, 2), axes=(1, 0))),
        cases([(2, 4, 3), (2, 4, 3)], [(3, 2, 5), (3, 2, 5)]), grad_argnums=(0, 1)),
    *row("fft.rfft2_irfft2", lambda xp, x, y: (
        xp.fft.rfft2(x), xp.fft.rfft2(x, s=(3, 4), axes=(0, 2), norm="ortho"),
        xp.fft.irfft2(_z(x, y)), xp.fft.irfft2(_z(x, y), s=(5, 3), axes=(2, 0),
                                               norm="forward")),
        cases([(2, 4, 3), (2, 4, 3)], [(3, 3, 4), (3, 3, 4)]), grad_argnums=(0, 1)),
    # Four axes (two transforms of the primitive), permuted and repeated axes.
    *row("fft.fftn_ifftn", lambda xp, x, y: (
        xp.fft.fftn(_z(x, y)), xp.fft.ifftn(_z(x, y), axes=(1, 0, 3, 2), norm="ortho"),
        xp.fft.fftn(_z(x, y), s=(3, 2), axes=(2, 0), norm="forward"),
        xp.fft.fftn(x, axes=(1, 1))),
        cases([(2, 3, 2, 3), (2, 3, 2, 3)], [(3, 2, 4, 1), (3, 2, 4, 1)]),
        grad_argnums=(0, 1)),
    *row("fft.rfftn_irfftn", lambda xp, x, y: (
        xp.fft.rfftn(x), xp.fft.rfftn(x, axes=(3, 1, 0, 2), norm="ortho"),
        xp.fft.rfftn(x, s=(4, 3), axes=(0, 3)),
        xp.fft.irfftn(_z(x, y), axes=(0, 1, 2, 3)),
        xp.fft.irfftn(_z(x, y), s=(3, 2, 5), axes=(2, 0, 3), norm="forward")),
        cases([(2, 3, 2, 3), (2, 3, 2, 3)], [(3, 2, 2, 4), (3, 2, 2, 4)]),
        grad_argnums=(0, 1)),
    *row("fft.fftshift", lambda xp, x: (
        xp.fft.fftshift(x), xp.fft.ifftshift(x), xp.fft.fftshift(x, axes=0),
        xp.fft.ifftshift(x, axes=(-1,))),
        cases([(5, 4)], [(2, 3, 6)], [(1,)])),
    *row("fft.fftfreq", lambda xp, d: (
        xp.fft.fftfreq(5, d), xp.fft.fftfreq(6, d=d), xp.fft.rfftfreq(7, d),
        xp.fft.rfftfreq(4, d=d)),
        cases([()], [()], low=0.5, high=2.0)),
]
