"""Keys and raw bits: `key`, `split`, `fold_in`, `bits`, all made of one primitive,
threefry2x32 (a block cipher; see tracegrad/ir/threefry.py).

A key is a uint32 array of shape (2,). Element i of a draw of `shape` is the cipher of
the block (i >> 32, i & 0xFFFFFFFF) — i its index in the flattened draw — under the key;
`split` draws new keys the same way, `fold_in(key, d)` encrypts the block (0, d). This is
JAX's Threefry stream (jax_threefry_partitionable, JAX's default since 0.5), so the same
seed gives JAX's bits."""
from __future__ import annotations

import math

import numpy as np

from .. import lax
from .. import numpy as tnp
from ..errors import DTypeError, ShapeError
from ..tracer import Tracer, aval_of, is_python_scalar
from ..tracer.source import describe_location, user_location

_WIDTHS = {np.dtype(np.uint8): 8, np.dtype(np.uint16): 16, np.dtype(np.uint32): 32,
           np.dtype(np.uint64): 64}


def _here() -> str:
    return describe_location(user_location())


def check_key(key, name: str):
    """The key, after checking that it is one (a uint32 array of shape (2,))."""
    try:
        aval = aval_of(key)
    except (TypeError, ValueError):
        aval = None
    if aval is None or aval.shape != (2,) or aval.dtype != np.uint32:
        got = f"{type(key).__name__}" if aval is None else f"an array of type {aval}"
        hint = (" (an integer is a seed: make a key of it with tg.random.key(seed))"
                if aval is not None and aval.shape == () else "")
        raise DTypeError(f"tg.random.{name} takes a key, a uint32 array of shape (2,) from "
                         f"tg.random.key(seed) or tg.random.split(key), but got {got}{hint}; "
                         f"at {_here()}")
    return key if isinstance(key, Tracer) else np.asarray(key)


def shape_tuple(shape, name: str) -> tuple:
    """A shape as NumPy's `size` takes it: an int or a sequence of ints."""
    if isinstance(shape, Tracer):
        raise ShapeError(f"tg.random.{name}: the shape must be concrete ints (it decides "
                         f"the result's type), got a traced value; at {_here()}")
    try:
        dims = (int(shape),) if np.ndim(shape) == 0 else tuple(int(n) for n in shape)
    except TypeError:
        raise ShapeError(f"tg.random.{name}: shape must be an int or a tuple of ints, got "
                         f"{shape!r}; at {_here()}") from None
    if any(n < 0 for n in dims):
        raise ShapeError(f"tg.random.{name}: negative dimensions in shape {dims}; at "
                         f"{_here()}")
    return dims


def _words(key):
    """The key's two words, as scalars."""
    return key[0], key[1]


def _high(block):
    return lax.convert(lax.shift_right_logical(block, np.uint64(32)), np.uint32)


def _low(block):
    return lax.convert(block, np.uint32)


def blocks(key, shape: tuple):
    """uint64 of `shape`: the cipher of each element's index in the flattened shape."""
    n = math.prod(shape)
    if n <= 1 << 32:                    # the high word of every index is 0
        hi = np.uint32(0)
        lo = lax.reshape(lax.iota(np.uint32, (n,), 0, like=key), shape)
    else:
        index = lax.reshape(lax.iota(np.uint64, (n,), 0, like=key), shape)
        hi, lo = _high(index), _low(index)
    return lax.threefry2x32(*_words(key), hi, lo)


def key(seed):
    """A key from an integer seed (a Python int, NumPy integer or traced integer scalar):
    [seed >> 32, seed & 0xFFFFFFFF] in the seed's own width, as jax.random.key and
    jax.random.PRNGKey (with 64-bit integers enabled; a Python int is an int64)."""
    if is_python_scalar(seed) and not isinstance(seed, bool) and isinstance(seed, int):
        seed = np.int64(seed)               # OverflowError beyond int64, as JAX
    aval = aval_of(seed)
    if aval.shape != () or aval.dtype.kind not in "iu":
        raise DTypeError(f"tg.random.key: the seed must be an integer scalar, got "
                         f"{aval}; at {_here()}")
    if not isinstance(seed, Tracer):
        seed = np.asarray(seed)
    high = lax.shift_right_logical(seed, aval.dtype.type(32))   # 0 for narrower seeds
    return tnp.stack([lax.convert(high, np.uint32), lax.convert(seed, np.uint32)])


PRNGKey = key


def key_data(key):
    """The key's uint32 words: the key itself (tracegrad's keys are raw, as PRNGKey's)."""
    return check_key(key, "key_data")


def split(key, num=2):
    """`num` new keys (an int, or a shape: keys of shape num + (2,)), independent of the
    key and of each other, as jax.random.split."""
    key = check_key(key, "split")
    block = blocks(key, shape_tuple(num, "split"))
    return tnp.stack([_high(block), _low(block)], axis=-1)


def fold_in(key, data):
    """A new key from a key and an integer (a step number, a worker index): the same
    (key, data) always gives the same key, different data give independent keys.
    `data` wraps to uint32, as jax.random.fold_in."""
    key = check_key(key, "fold_in")
    aval = aval_of(data)
    if aval.shape != () or aval.dtype.kind not in "iu":
        raise DTypeError(f"tg.random.fold_in: data must be an integer scalar, got {aval}; "
                         f"at {_here()}")
    if isinstance(data, Tracer):
        data = lax.convert(data, np.uint32)
    else:
        data = np.uint32(int(data) & 0xFFFFFFFF)
    block = lax.threefry2x32(*_words(key), np.uint32(0), data)
    return tnp.stack([_high(block), _low(block)])


def bits(key, shape=(), dtype=np.uint32):
    """Uniformly distributed unsigned integers of `dtype` (uint8, 16, 32 or 64), as
    jax.random.bits: 64 bits are a block's two words, fewer their xor (truncated)."""
    key = check_key(key, "bits")
    dtype = np.dtype(dtype)
    if dtype not in _WIDTHS:
        raise DTypeError(f"tg.random.bits: dtype must be uint8, uint16, uint32 or uint64, "
                         f"got {dtype}; at {_here()}")
    block = blocks(key, shape_tuple(shape, "bits"))
    if dtype == np.uint64:
        return block
    return lax.convert(tnp.bitwise_xor(_high(block), _low(block)), dtype)
