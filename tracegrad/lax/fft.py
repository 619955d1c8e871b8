"""tracegrad.lax.fft: the fft primitive with JAX's lax.fft signature (typed: the operand
must already be complex, or real for "rfft"; the transformed axes are the trailing
ones). numpy.fft's functions (tracegrad.numpy.fft) are built on it."""
from __future__ import annotations

from .ops import apply

__all__ = ["fft", "FFT_TYPES"]

FFT_TYPES = ("fft", "ifft", "rfft", "irfft")


def fft(x, fft_type, fft_lengths):
    """The transform of type `fft_type` ("fft", "ifft", "rfft", "irfft") over the trailing
    len(fft_lengths) axes (one to three); see tracegrad/ir/fft.py for shapes and
    scaling."""
    fft_type = str(getattr(fft_type, "name", fft_type)).lower()
    return apply("fft", x, fft_type=fft_type, fft_lengths=tuple(int(n) for n in fft_lengths))
