"""The fast Fourier transform: one primitive, `fft`, as JAX's lax.fft. It transforms the
trailing `len(fft_lengths)` axes (one to three) of its operand; every axis before them is
a batch axis. numpy.fft's functions (tracegrad/numpy/fft.py) are composites around it:
other axes by transposition, `n`/`s` by slicing and zero padding, `norm` by scaling.

  fft_type  operand                         result
  "fft"     complex (..., *L)               complex (..., *L), unscaled forward transform
  "ifft"    complex (..., *L)               complex (..., *L), inverse, scaled by 1/prod(L)
  "rfft"    real    (..., *L)               complex (..., *L[:-1], L[-1] // 2 + 1)
  "irfft"   complex (..., *L[:-1], L[-1] // 2 + 1)
                                            real    (..., *L), scaled by 1/prod(L)

(L = fft_lengths.) The scalings are NumPy's norm="backward". float32 and complex64 stay
in single precision (as NumPy 2); irfft ignores the imaginary parts of the components
that must be real (the zero frequency, and the Nyquist one for even lengths), as
NumPy does.

`interleaved=True` is the form code generation gives the node once complex values are
split into real parts (codegen/complex_split.py): each complex operand or result is
then a real array with a trailing axis of 2 (real, imaginary), which is the memory of
the complex array; the transform is the same."""
from __future__ import annotations

import numpy as np

from ..errors import DTypeError, ShapeError
from .aval import Aval, dtype_string
from .complex import complex_dtype, real_dtype
from .kinds import LINALG
from .primitive import Primitive

FFT_TYPES = ("fft", "ifft", "rfft", "irfft")


def _shapes(fft_type, fft_lengths, batch):
    """(operand shape, result shape) of the complex/real arrays."""
    lengths = tuple(fft_lengths)
    half = lengths[:-1] + (lengths[-1] // 2 + 1,)
    if fft_type == "rfft":
        return batch + lengths, batch + half
    if fft_type == "irfft":
        return batch + half, batch + lengths
    return batch + lengths, batch + lengths


def _fft_rule(x, *, fft_type, fft_lengths, interleaved=False):
    if fft_type not in FFT_TYPES:
        raise ValueError(f"fft: fft_type must be one of {FFT_TYPES}, got {fft_type!r}")
    k = len(fft_lengths)
    if not 1 <= k <= 3 or any(int(n) < 1 for n in fft_lengths):
        raise ShapeError(f"fft: needs one to three positive fft_lengths, got {fft_lengths}")
    complex_in = fft_type != "rfft"
    complex_out = fft_type != "irfft"
    shape = x.shape
    if interleaved and complex_in:
        if x.dtype.kind != "f" or not shape or shape[-1] != 2:
            raise ShapeError(f"fft (interleaved): needs a real (..., 2) operand, got "
                             f"{dtype_string(x.dtype)}{list(shape)}")
        shape = shape[:-1]
        dtype = complex_dtype(x.dtype)
    else:
        dtype = x.dtype
    if complex_in and dtype not in (np.complex64, np.complex128):
        raise DTypeError(f"fft ({fft_type}): needs a complex64 or complex128 operand, got "
                         f"{dtype_string(dtype)}")
    if not complex_in and dtype not in (np.float32, np.float64):
        raise DTypeError(f"fft (rfft): needs a float32 or float64 operand, got "
                         f"{dtype_string(dtype)}")
    if len(shape) < k:
        raise ShapeError(f"fft: operand of shape {tuple(shape)} has fewer than {k} axes")
    batch = tuple(shape[:len(shape) - k])
    want, out_shape = _shapes(fft_type, fft_lengths, batch)
    if tuple(shape) != want:
        raise ShapeError(f"fft ({fft_type}) with fft_lengths {tuple(fft_lengths)}: the "
                         f"operand's trailing axes must be {want[len(batch):]}, got shape "
                         f"{tuple(shape)}")
    part = real_dtype(dtype)
    if complex_out:
        if interleaved:
            return [Aval(out_shape + (2,), part)]
        return [Aval(out_shape, complex_dtype(part))]
    return [Aval(out_shape, part)]


def fft_reference(x, fft_type, fft_lengths):
    """The transform on a concrete (complex or real) array, by numpy.fft."""
    k = len(fft_lengths)
    axes = tuple(range(x.ndim - k, x.ndim))
    if x.size == 0:
        _, out_shape = _shapes(fft_type, fft_lengths, x.shape[:x.ndim - k])
        part = real_dtype(x.dtype)
        return np.zeros(out_shape, part if fft_type == "irfft" else complex_dtype(part))
    if fft_type == "fft":
        return np.fft.fftn(x, axes=axes)
    if fft_type == "ifft":
        return np.fft.ifftn(x, axes=axes)
    if fft_type == "rfft":
        return np.fft.rfftn(x, axes=axes)
    return np.fft.irfftn(x, s=tuple(fft_lengths), axes=axes)


def _fft_impl(x, *, fft_type, fft_lengths, interleaved=False):
    x = np.asarray(x)
    if interleaved and fft_type != "rfft":
        x = np.ascontiguousarray(x).view(complex_dtype(x.dtype))[..., 0]
    out = fft_reference(x, fft_type, tuple(fft_lengths))
    if interleaved and fft_type != "irfft":
        out = np.ascontiguousarray(out)
        out = out.view(real_dtype(out.dtype)).reshape(out.shape + (2,))
    return [out]


Primitive("fft", _fft_rule, _fft_impl, LINALG)
