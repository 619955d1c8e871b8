"""tracegrad.numpy.fft: numpy.fft on traced values (`np.fft.*` on a traced value dispatches
here). Every transform is a composite around one primitive, `fft` (tracegrad/ir/fft.py,
JAX's lax.fft: complex or real-to-complex transforms of the trailing one to three axes):

  axes      the transformed axes are moved last (a transpose, a view in compiled code)
            and back; more than three axes, or repeated ones, take several transforms
  n / s     the input is cut or zero-padded to the transform's length first
  norm      a scaling of the result ("backward" is the primitive's own)
  hfft      irfft of the conjugate with the other norm; ihfft the conjugate of rfft

Dtypes follow NumPy 2: float32 and complex64 stay single precision (float16 is promoted
to it), integers and bools become float64/complex128. rfft of a complex array is a
TypeError, as in NumPy. Gradients: the primitive's transposition rules
(autodiff/fft_rules.py)."""
from __future__ import annotations

import math

import numpy as np

from .. import lax
from ..errors import UnsupportedError
from ..ir.complex import complex_dtype
from . import _core
from ._core import asarray_traced, convert, implements, normalize_axis, shape
from .complex import conjugate
from .shape import transpose
from .shape_extra import roll
from .ufuncs import divide, multiply

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2",
           "irfft2", "fftn", "ifftn", "rfftn", "irfftn", "fftshift", "ifftshift",
           "fftfreq", "rfftfreq"]

_MAX_AXES = 3                        # the primitive transforms up to three axes at once


# ---- operands, lengths, norms ---------------------------------------------------------

def _float_dtype(dtype) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype.kind in "biu":
        return np.dtype(np.float64)
    if dtype == np.float16:
        return np.dtype(np.float32)
    return dtype


def _complex_operand(a):
    a = asarray_traced(a)
    dtype = _float_dtype(a.dtype)
    return convert(a, complex_dtype(dtype) if dtype.kind != "c" else dtype, weak=False)


def _real_operand(a, name):
    a = asarray_traced(a)
    if np.dtype(a.dtype).kind == "c":
        raise TypeError(f"numpy.fft.{name}: the input must be real, got "
                        f"{np.dtype(a.dtype).name} (take its real part, or use fft)")
    return convert(a, _float_dtype(a.dtype), weak=False)


def _check_out(name, out):
    if out is not None:
        raise UnsupportedError(f"numpy.fft.{name}(..., out=...) on traced values: traced "
                               f"arrays are immutable; use the returned array")


def _check_length(n):
    if int(n) < 1:
        raise ValueError(f"Invalid number of FFT data points ({n}) specified.")
    return int(n)


def _resize(x, axis, n):
    """x cut or zero-padded to length n along axis (NumPy's n/s)."""
    m = shape(x)[axis]
    if n == m:
        return x
    if n < m:
        dims = [(0, 1, k) for k in shape(x)]
        dims[axis] = (0, 1, n)
        return lax.slice(x, dims)
    widths = [(0, 0)] * len(shape(x))
    widths[axis] = (0, n - m)
    return lax.pad(x, np.zeros((), x.dtype), widths)


def _norm_scale(norm, size, inverse) -> float:
    """The factor that takes the primitive's "backward" scaling to `norm`."""
    if norm is None or norm == "backward":
        return 1.0
    if norm == "ortho":
        return math.sqrt(size) if inverse else 1.0 / math.sqrt(size)
    if norm == "forward":
        return float(size) if inverse else 1.0 / size
    raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or '
                     f'"forward".')


def _scaled(y, norm, size, inverse):
    factor = _norm_scale(norm, size, inverse)
    return y if factor == 1.0 else multiply(y, factor)


def _swap_direction(norm):
    if norm is None or norm == "backward":
        return "forward"
    if norm == "ortho":
        return "ortho"
    if norm == "forward":
        return "backward"
    raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or '
                     f'"forward".')


def _axes_and_lengths(x, s, axes, name, real_inverse=False):
    """(axes, transform lengths) as numpy.fft.*n reads s and axes."""
    nd = len(shape(x))
    if axes is None:
        axes = tuple(range(nd)) if s is None else tuple(range(nd - len(s), nd))
    else:
        axes = tuple(np.atleast_1d(axes).tolist()) if not isinstance(axes, (tuple, list)) \
            else tuple(axes)
    axes = tuple(normalize_axis(int(a), nd) for a in axes)
    if s is None:
        lengths = [shape(x)[a] for a in axes]
        if real_inverse and axes:
            lengths[-1] = 2 * (shape(x)[axes[-1]] - 1)
    else:
        s = tuple(np.atleast_1d(s).tolist())
        if len(s) != len(axes):
            raise ValueError("Shape and axes have different lengths.")
        lengths = []
        for i, (a, n) in enumerate(zip(axes, s)):
            if n == -1:
                n = 2 * (shape(x)[a] - 1) if real_inverse and i == len(s) - 1 else shape(x)[a]
            lengths.append(n)
    return axes, [_check_length(n) for n in lengths]


# ---- transforms over distinct axes ------------------------------------------------------

def _over(x, fft_type, axes, lengths):
    """The primitive over `axes` (distinct, at most three), which are moved last and
    back; x already has the operand's lengths along them."""
    nd = len(shape(x))
    rest = [i for i in range(nd) if i not in axes]
    perm = rest + list(axes)
    moved = perm != list(range(nd))
    y = lax.fft(transpose(x, perm) if moved else x, fft_type, lengths)
    return transpose(y, np.argsort(perm)) if moved else y


def _c2c(x, axes, lengths, inverse):
    """Complex transforms over axes (repeated ones transform again, as NumPy)."""
    fft_type = "ifft" if inverse else "fft"
    if len(set(axes)) != len(axes):
        for a, n in reversed(list(zip(axes, lengths))):
            x = _over(_resize(x, a, n), fft_type, [a], [n])
        return x
    for a, n in zip(axes, lengths):
        x = _resize(x, a, n)
    for start in range(0, len(axes), _MAX_AXES):
        x = _over(x, fft_type, axes[start:start + _MAX_AXES], lengths[start:start + _MAX_AXES])
    return x


def _r2c(x, axes, lengths):
    """rfftn: the real transform over the last axis (and up to two before it), complex
    ones over the rest."""
    if len(set(axes)) != len(axes):
        x = _over(_resize(x, axes[-1], lengths[-1]), "rfft", [axes[-1]], [lengths[-1]])
        return _c2c(x, axes[:-1], lengths[:-1], inverse=False)
    for a, n in zip(axes, lengths):
        x = _resize(x, a, n)
    k = min(len(axes), _MAX_AXES)
    x = _over(x, "rfft", axes[-k:], lengths[-k:])
    return _c2c(x, axes[:-k], lengths[:-k], inverse=False) if len(axes) > k else x


def _c2r(x, axes, lengths):
    """irfftn: complex inverse transforms over the leading axes, the real one last."""
    half = lengths[-1] // 2 + 1
    if len(set(axes)) != len(axes):
        x = _c2c(x, axes[:-1], lengths[:-1], inverse=True)
        return _over(_resize(x, axes[-1], half), "irfft", [axes[-1]], [lengths[-1]])
    k = min(len(axes), _MAX_AXES)
    if len(axes) > k:
        x = _c2c(x, axes[:-k], lengths[:-k], inverse=True)
    for a, n in zip(axes[-k:-1], lengths[-k:-1]):
        x = _resize(x, a, n)
    x = _resize(x, axes[-1], half)
    return _over(x, "irfft", axes[-k:], lengths[-k:])


def _one_axis(x, n, axis, name, real_inverse=False):
    nd = len(shape(x))
    axis = normalize_axis(int(axis), nd)
    if n is None:
        n = 2 * (shape(x)[axis] - 1) if real_inverse else shape(x)[axis]
    return [axis], [_check_length(n)]


# ---- numpy.fft ------------------------------------------------------------------------

@implements(np.fft.fft)
def fft(a, n=None, axis=-1, norm=None, out=None):
    _check_out("fft", out)
    x = _complex_operand(a)
    axes, lengths = _one_axis(x, n, axis, "fft")
    return _scaled(_c2c(x, axes, lengths, False), norm, lengths[0], False)


@implements(np.fft.ifft)
def ifft(a, n=None, axis=-1, norm=None, out=None):
    _check_out("ifft", out)
    x = _complex_operand(a)
    axes, lengths = _one_axis(x, n, axis, "ifft")
    return _scaled(_c2c(x, axes, lengths, True), norm, lengths[0], True)


@implements(np.fft.rfft)
def rfft(a, n=None, axis=-1, norm=None, out=None):
    _check_out("rfft", out)
    x = _real_operand(a, "rfft")
    axes, lengths = _one_axis(x, n, axis, "rfft")
    return _scaled(_r2c(x, axes, lengths), norm, lengths[0], False)


@implements(np.fft.irfft)
def irfft(a, n=None, axis=-1, norm=None, out=None):
    _check_out("irfft", out)
    x = _complex_operand(a)
    axes, lengths = _one_axis(x, n, axis, "irfft", real_inverse=True)
    return _scaled(_c2r(x, axes, lengths), norm, lengths[0], True)


@implements(np.fft.hfft)
def hfft(a, n=None, axis=-1, norm=None, out=None):
    _check_out("hfft", out)
    x = _complex_operand(a)
    return irfft(conjugate(x), n, axis, norm=_swap_direction(norm))


@implements(np.fft.ihfft)
def ihfft(a, n=None, axis=-1, norm=None, out=None):
    _check_out("ihfft", out)
    x = _real_operand(a, "ihfft")
    return conjugate(rfft(x, n, axis, norm=_swap_direction(norm)))


def _c2c_n(name, a, s, axes, norm, out, inverse):
    """fftn / ifftn: complex transforms over several axes."""
    _check_out(name, out)
    if axes is not None and len(np.atleast_1d(axes)) == 0 and not s:
        return asarray_traced(a)            # nothing to transform: NumPy returns a as it is
    x = _complex_operand(a)
    axes, lengths = _axes_and_lengths(x, s, axes, name)
    return _scaled(_c2c(x, axes, lengths, inverse), norm, math.prod(lengths), inverse)


@implements(np.fft.fftn)
def fftn(a, s=None, axes=None, norm=None, out=None):
    return _c2c_n("fftn", a, s, axes, norm, out, False)


@implements(np.fft.ifftn)
def ifftn(a, s=None, axes=None, norm=None, out=None):
    return _c2c_n("ifftn", a, s, axes, norm, out, True)


@implements(np.fft.rfftn)
def rfftn(a, s=None, axes=None, norm=None, out=None):
    _check_out("rfftn", out)
    x = _real_operand(a, "rfftn")
    axes, lengths = _axes_and_lengths(x, s, axes, "rfftn")
    if not axes:
        raise ValueError("at least 1 axis must be transformed")
    return _scaled(_r2c(x, axes, lengths), norm, math.prod(lengths), False)


@implements(np.fft.irfftn)
def irfftn(a, s=None, axes=None, norm=None, out=None):
    _check_out("irfftn", out)
    x = _complex_operand(a)
    axes, lengths = _axes_and_lengths(x, s, axes, "irfftn", real_inverse=True)
    if not axes:
        raise ValueError("at least 1 axis must be transformed")
    return _scaled(_c2r(x, axes, lengths), norm, math.prod(lengths), True)


@implements(np.fft.fft2)
def fft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    return fftn(a, s, axes, norm, out)


@implements(np.fft.ifft2)
def ifft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    return ifftn(a, s, axes, norm, out)


@implements(np.fft.rfft2)
def rfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    return rfftn(a, s, axes, norm, out)


@implements(np.fft.irfft2)
def irfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    return irfftn(a, s, axes, norm, out)


# ---- helpers --------------------------------------------------------------------------

def _shifts(x, axes, sign):
    nd = len(shape(x))
    if axes is None:
        axes = tuple(range(nd))
    elif isinstance(axes, (int, np.integer)):
        axes = (int(axes),)
    shifts = [sign * (shape(x)[normalize_axis(int(a), nd)] // 2) for a in axes]
    return roll(x, shifts, tuple(axes))


@implements(np.fft.fftshift)
def fftshift(x, axes=None):
    return _shifts(asarray_traced(x), axes, 1)


@implements(np.fft.ifftshift)
def ifftshift(x, axes=None):
    return _shifts(asarray_traced(x), axes, -1)


@implements(np.fft.fftfreq)
def fftfreq(n, d=1.0, device=None):
    """The sample frequencies; a traced spacing d gives a traced result."""
    if _core.is_traced(n):
        raise UnsupportedError("numpy.fft.fftfreq: n must be a concrete integer (it is "
                               "the length of the result)")
    n = int(n)
    half = (n - 1) // 2 + 1
    ramp = np.concatenate([np.arange(0, half), np.arange(-(n // 2), 0)]).astype(np.int64)
    return multiply(ramp, divide(1.0, multiply(n, d)))


@implements(np.fft.rfftfreq)
def rfftfreq(n, d=1.0, device=None):
    """The sample frequencies of rfft; a traced spacing d gives a traced result."""
    if _core.is_traced(n):
        raise UnsupportedError("numpy.fft.rfftfreq: n must be a concrete integer (it is "
                               "the length of the result)")
    n = int(n)
    return multiply(np.arange(0, n // 2 + 1, dtype=np.int64), divide(1.0, multiply(n, d)))
