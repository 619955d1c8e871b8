"""Discrete distributions, composed from random bits as JAX composes them (a seed gives
JAX's numbers): bernoulli, categorical (the Gumbel-max trick), randint (two words per
integer, so the modulo bias is tiny), permutation (sorts by random keys)."""
from __future__ import annotations

import math

import numpy as np

from .. import lax
from .. import numpy as tnp
from ..errors import DTypeError, ShapeError
from ..tracer import Tracer, aval_of
from .continuous import as_dtype, check_shape, gumbel, uniform
from .keys import _here, bits, check_key, shape_tuple, split

def bernoulli(key, p=0.5, shape=None):
    """True with probability p (in p's float dtype; float64 for Python numbers)."""
    key = check_key(key, "bernoulli")
    kind = aval_of(p).dtype
    dtype = kind if kind in (np.float32, np.float64) else np.dtype(np.float64)
    p = as_dtype(p, dtype)
    shape = aval_of(p).shape if shape is None else shape_tuple(shape, "bernoulli")
    check_shape("bernoulli", shape, p)
    return uniform(key, shape, dtype) < p


def categorical(key, logits, axis=-1, shape=None, replace=True):
    """Indices drawn with probabilities softmax(logits) along `axis` (the Gumbel-max
    trick); shape defaults to the logits' batch shape. replace=False draws distinct
    indices: the top ones of the perturbed logits."""
    key = check_key(key, "categorical")
    kind = aval_of(logits).dtype
    logits = as_dtype(logits, kind if kind in (np.float32, np.float64) else np.float64)
    ndim = logits.ndim
    if not -ndim <= axis < ndim:
        raise ShapeError(f"tg.random.categorical: axis {axis} is out of range for logits "
                         f"of shape {logits.shape}; at {_here()}")
    axis = axis - ndim if axis >= 0 else axis
    batch = tuple(np.delete(logits.shape, axis))
    shape = batch if shape is None else shape_tuple(shape, "categorical")
    if shape[len(shape) - len(batch):] != batch:
        raise ShapeError(f"tg.random.categorical: shape {shape} must end with the logits' "
                         f"batch shape {batch}; at {_here()}")
    prefix = shape[:len(shape) - len(batch)]
    if replace:
        noise_shape = list(shape[len(prefix):])
        noise_shape.insert(axis % ndim, logits.shape[axis])
        noise = gumbel(key, prefix + tuple(noise_shape), logits.dtype)
        return tnp.argmax(noise + tnp.expand_dims(logits, tuple(range(len(prefix)))),
                          axis=axis)
    count = int(np.prod(prefix))
    if count > logits.shape[axis]:
        raise ShapeError(f"tg.random.categorical: {count} samples without replacement from "
                         f"{logits.shape[axis]} categories; at {_here()}")
    perturbed = tnp.moveaxis(logits + gumbel(key, logits.shape, logits.dtype), axis, -1)
    # The largest first, ties to the lower index (a stable sort of the negated values).
    _, order = lax.sort(-perturbed, perturbed.ndim - 1)
    top = tnp.moveaxis(order[..., :count], -1, 0)
    return tnp.reshape(top, shape)


def _integer(x):
    """An integer parameter (floats truncate to int64, as JAX)."""
    if isinstance(x, Tracer):
        return x if x.dtype.kind in "iu" else lax.convert(x, np.int64)
    x = np.asarray(x)
    return x if x.dtype.kind in "iu" else x.astype(np.int64)


def _convert_clipped(x, dtype):
    """x as `dtype`, values beyond its range clipped to it rather than wrapped."""
    have, want = np.iinfo(aval_of(x).dtype), np.iinfo(dtype)
    kind = aval_of(x).dtype.type
    clipped = tnp.clip(x, kind(max(have.min, want.min)), kind(min(have.max, want.max)))
    return lax.convert(clipped, dtype)


def _rem(x, span):
    """x % span, with x % 0 = x (a span of 0 is the whole range, wrapped)."""
    zero = lax.apply("eq", span, span.dtype.type(0))
    safe = lax.select(zero, tnp.ones_like(span), span)
    return lax.select(zero, x, lax.apply("rem", x, safe))


def randint(key, shape, minval, maxval, dtype=np.int64):
    """Integers uniform on [minval, maxval) (minval where maxval <= minval). Two words
    of random bits per integer, reduced modulo the span: a bias of order
    span**2 / 2**(2 * bits), as JAX; maxval beyond the dtype's range is allowed (256
    for uint8)."""
    key = check_key(key, "randint")
    dtype = np.dtype(dtype)
    if dtype.kind not in "iu":
        raise DTypeError(f"tg.random.randint: dtype must be an integer type, got {dtype}; "
                         f"at {_here()}")
    shape = shape_tuple(shape, "randint")
    minval, maxval = _integer(minval), _integer(maxval)
    check_shape("randint", shape, minval, maxval)
    if dtype.itemsize < 4:
        # Narrow types are drawn as int32 (less bias) and converted, as JAX.
        info = np.iinfo(dtype)
        low, high = (lax.convert(v, np.int32) for v in (minval, maxval))
        low = tnp.clip(low, np.int32(info.min), np.int32(info.max))
        high = tnp.clip(high, np.int32(info.min), np.int32(info.max + 1))
        return lax.convert(_randint(key, shape, low, high, np.dtype(np.int32)), dtype)
    return _randint(key, shape, minval, maxval, dtype)


def _randint(key, shape, minval, maxval, dtype):
    limit = _convert_clipped(np.array(np.iinfo(dtype).max, dtype), aval_of(maxval).dtype)
    beyond = lax.apply("gt", maxval, limit)
    minval, maxval = _convert_clipped(minval, dtype), _convert_clipped(maxval, dtype)
    unsigned = np.dtype(f"u{dtype.itemsize}")
    k1, k2 = split(key)
    higher, lower = bits(k1, shape, unsigned), bits(k2, shape, unsigned)
    span = lax.convert(lax.apply("sub", maxval, minval), unsigned)
    one = unsigned.type(1)
    empty = lax.apply("le", maxval, minval)
    span = lax.select(empty, tnp.ones_like(span), span)
    widen = lax.apply("and", beyond, lax.apply("not", empty))
    span = lax.select(widen, lax.apply("add", span, one), span)
    # (hi * 2**bits + lo) % span, with 2**bits % span computed without overflow as
    # ((2**(bits/2) % span)**2) % span.
    half = _rem(unsigned.type(1 << (4 * dtype.itemsize)), span)
    multiplier = _rem(lax.apply("mul", half, half), span)
    offset = lax.apply("add", lax.apply("mul", _rem(higher, span), multiplier),
                       _rem(lower, span))
    offset = _rem(offset, span)
    return lax.apply("add", minval, lax.convert(offset, dtype))


def _shuffle(key, x, axis: int):
    """x permuted along `axis`: sorted by random 32-bit keys, in rounds enough that ties
    (equal keys, kept in order by the stable sort) are negligible."""
    rounds = math.ceil(3 * math.log(max(1, math.prod(aval_of(x).shape))) /
                       math.log(np.iinfo(np.uint32).max))
    for _ in range(rounds):
        key, subkey = split(key)
        _, order = lax.sort(bits(subkey, aval_of(x).shape), axis)
        x = tnp.take_along_axis(x, order, axis)
    return x


def permutation(key, x, axis=0, independent=False):
    """A random permutation of range(x) for an integer x, or of x's slices along `axis`
    (independent=True: each 1-D line along the axis on its own)."""
    key = check_key(key, "permutation")
    aval = aval_of(x)
    if aval.ndim == 0:
        if isinstance(x, Tracer) or aval.dtype.kind not in "iu":
            raise DTypeError(f"tg.random.permutation: x must be a concrete integer (the "
                             f"length) or an array of at least one dimension, got "
                             f"{aval}; at {_here()}")
        return _shuffle(key, np.arange(int(x)), 0)
    if not isinstance(x, Tracer):
        x = np.asarray(x)
    if not -aval.ndim <= axis < aval.ndim:
        raise ShapeError(f"tg.random.permutation: axis {axis} is out of range for shape "
                         f"{aval.shape}; at {_here()}")
    axis %= aval.ndim
    if independent or aval.ndim == 1:
        return _shuffle(key, x, axis)
    order = _shuffle(key, np.arange(aval.shape[axis]), 0)
    return tnp.take(x, order, axis=axis)
