"""Derivatives of the fft primitive (ir/fft.py). It is linear, so its JVP is itself and
its VJP is its transpose (linear.py's deflinear), in JAX's convention for complex values
(the transpose for the pairing <a, b> = Re(a b), no conjugation; complex_rules.py):

  fft, ifft   the DFT matrix (and its inverse) is symmetric: the transpose is the same
              transform of the cotangent.
  rfft        x -> the first L//2 + 1 components of fft(x): the transpose is
              Re(sum_k ct_k e^{-2 pi i jk/L}), i.e. prod(L) * irfft(conj(ct) / m), with
              m = 1 at the zero frequency (and the Nyquist one for even L), 2 elsewhere
              (irfft counts the components it does not store twice, and reads only the
              real part of the ones m = 1 marks).
  irfft       c -> the real signal with spectrum c and its Hermitian mirror: the transpose
              is conj(m * rfft(ct)) / prod(L), the same m.

These are JAX's _rfft_transpose and _irfft_transpose (jax/_src/lax/fft.py)."""
from __future__ import annotations

import math

import numpy as np

from .. import lax
from .. import numpy as tnp
from ..ir.complex import complex_dtype, real_dtype
from .linear import deflinear


def _hermitian_weights(fft_lengths, dtype):
    """m over the last transformed axis: 1 at the zero frequency (and Nyquist), else 2."""
    n = fft_lengths[-1]
    m = np.full(n // 2 + 1, 2.0)
    m[0] = 1.0
    if n % 2 == 0:
        m[-1] = 1.0
    return m.astype(dtype)


def _as(ct, dtype):
    return ct if np.dtype(ct.dtype) == dtype else lax.convert(ct, dtype)


@deflinear("fft")
def _fft_transpose(ct, y, x, *, fft_type, fft_lengths, interleaved=False):
    if interleaved:
        raise NotImplementedError("fft: the interleaved form exists in code generation only")
    lengths = tuple(fft_lengths)
    if fft_type in ("fft", "ifft"):
        return (lax.fft(ct, fft_type, lengths),)
    size = math.prod(lengths)
    if fft_type == "rfft":
        ct = _as(ct, complex_dtype(x.dtype))
        m = _hermitian_weights(lengths, real_dtype(ct.dtype))
        return (lax.fft(tnp.conj(ct) / m, "irfft", lengths) * np.asarray(size, x.dtype),)
    # irfft: ct is real, the operand complex
    ct = _as(ct, real_dtype(x.dtype))
    m = _hermitian_weights(lengths, ct.dtype) / np.asarray(size, ct.dtype)
    return (tnp.conj(lax.fft(ct, "rfft", lengths) * m),)
