"""Continuous distributions, composed from random bits with tracegrad operations as JAX
composes them (so a seed gives JAX's numbers, to rounding). Parameters (minval, maxval,
lower, upper) may be traced; samples are differentiable in them (reparameterized), the
bits themselves have no derivative."""
from __future__ import annotations

import numpy as np

from .. import lax
from .. import numpy as tnp
from ..errors import DTypeError, ShapeError
from ..tracer import Tracer, aval_of
from .keys import bits, check_key, shape_tuple
from .keys import _here

_SQRT2 = float(np.sqrt(2.0))


def float_dtype(dtype, name: str) -> np.dtype:
    dtype = np.dtype(np.float64 if dtype is None else dtype)
    if dtype not in (np.float32, np.float64):
        raise DTypeError(f"tg.random.{name}: dtype must be float32 or float64, got {dtype}; "
                         f"at {_here()}")
    return dtype


def as_dtype(x, dtype):
    """A parameter in the draw's dtype (traced or not)."""
    if isinstance(x, Tracer):
        return x if x.dtype == dtype else lax.convert(x, dtype)
    return np.asarray(x, dtype=dtype)


def check_shape(name: str, shape: tuple, *params):
    """The parameters must broadcast to the draw's shape (not widen it), as JAX."""
    shapes = [tuple(aval_of(p).shape) for p in params]
    try:
        wide = np.broadcast_shapes(shape, *shapes)
    except ValueError:
        wide = None
    if wide != shape:
        raise ShapeError(f"tg.random.{name}: parameters of shapes {shapes} do not broadcast "
                         f"to the shape {shape} of the draw; at {_here()}")


def uniform(key, shape=(), dtype=np.float64, minval=0.0, maxval=1.0):
    """Uniform on [minval, maxval): the top mantissa bits of random bits, scaled."""
    key = check_key(key, "uniform")
    dtype = float_dtype(dtype, "uniform")
    shape = shape_tuple(shape, "uniform")
    minval, maxval = as_dtype(minval, dtype), as_dtype(maxval, dtype)
    check_shape("uniform", shape, minval, maxval)
    info = np.finfo(dtype)
    raw = bits(key, shape, np.dtype(f"u{dtype.itemsize}"))
    mantissa = lax.shift_right_logical(raw, raw.dtype.type(info.bits - info.nmant))
    # JAX sets these bits under the exponent of 1.0 and subtracts 1: the same value.
    floats = lax.convert(mantissa, dtype) * dtype.type(2.0 ** -info.nmant)
    return tnp.maximum(minval, floats * (maxval - minval) + minval)


def normal(key, shape=(), dtype=np.float64):
    """Standard normal: sqrt(2) erf_inv(u), u uniform on (-1, 1)."""
    dtype = float_dtype(dtype, "normal")
    low = np.nextafter(dtype.type(-1.0), dtype.type(0.0))
    u = uniform(key, shape, dtype, low, 1.0)
    return lax.erf_inv(u) * dtype.type(_SQRT2)


def truncated_normal(key, lower, upper, shape=None, dtype=np.float64):
    """Standard normal conditioned on lower < x < upper (inverse CDF of a uniform on
    [Phi(lower), Phi(upper)]), clamped into the open interval against rounding."""
    key = check_key(key, "truncated_normal")
    dtype = float_dtype(dtype, "truncated_normal")
    lower, upper = as_dtype(lower, dtype), as_dtype(upper, dtype)
    if shape is None:
        shape = np.broadcast_shapes(aval_of(lower).shape, aval_of(upper).shape)
    shape = shape_tuple(shape, "truncated_normal")
    check_shape("truncated_normal", shape, lower, upper)
    sqrt2 = dtype.type(_SQRT2)
    a = lax.apply("erf", lower / sqrt2)
    b = lax.apply("erf", upper / sqrt2)
    out = lax.erf_inv(uniform(key, shape, dtype, a, b)) * sqrt2
    return tnp.clip(out, tnp.nextafter(lax.stop_gradient(lower), dtype.type(np.inf)),
                    tnp.nextafter(lax.stop_gradient(upper), dtype.type(-np.inf)))


def gumbel(key, shape=(), dtype=np.float64):
    """Standard Gumbel: -log(-log(u)), u uniform on [tiny, 1)."""
    dtype = float_dtype(dtype, "gumbel")
    u = uniform(key, shape, dtype, np.finfo(dtype).tiny, 1.0)
    return -tnp.log(-tnp.log(u))
