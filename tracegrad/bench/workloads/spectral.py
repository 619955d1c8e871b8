"""A spectral loss: sum(abs(rfft(x))**2 * w), x of length n, w of length n//2 + 1 (a
weighted power spectrum), gradient in x: one real FFT forward, one backward."""
import numpy as np

from .base import Workload


def make_inputs(size, dtype, rng):
    x = rng.standard_normal(size).astype(dtype)
    w = rng.uniform(size=size // 2 + 1).astype(dtype)
    return x, w


def make_loss(xp, size):
    def loss(x, w):
        return xp.sum(xp.abs(xp.fft.rfft(x)) ** 2 * w)
    return loss


def make_torch_loss(torch, size):
    def loss(x, w):
        return torch.sum(torch.abs(torch.fft.rfft(x)) ** 2 * w)
    return loss


def numpy_value_and_grad(x, w):
    n = x.shape[0]
    spectrum = np.fft.rfft(x)
    value = np.sum(np.abs(spectrum) ** 2 * w)
    # The transpose of rfft: n * irfft(conj(ct) / m), m = 1 at the components irfft reads
    # once (zero frequency, Nyquist for even n) and 2 elsewhere; ct = 2 w conj(X).
    m = np.full(n // 2 + 1, 2.0)
    m[0] = 1.0
    if n % 2 == 0:
        m[-1] = 1.0
    grad = n * np.fft.irfft(2 * w * spectrum / m, n)
    return value, grad.astype(x.dtype)


WORKLOAD = Workload(
    name="spectral",
    description="weighted power spectrum sum(abs(rfft(x))**2 * w), x of length n",
    size_name="n",
    quick_sizes=(2 ** 16,),
    full_sizes=(2 ** 16, 2 ** 20),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
    numpy_value_and_grad=numpy_value_and_grad,
    tags=("fft",),
)
