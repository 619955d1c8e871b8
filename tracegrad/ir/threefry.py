"""threefry2x32: the block cipher random numbers are made of (Threefry-2x32, 20 rounds:
Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011; JAX's generator).

Elementwise on uint32 operands that broadcast: key words k0, k1 and block words x0, x1
-> the encrypted block as one uint64, y0 << 32 | y1 (a 64-bit block cipher's output as
one value keeps the primitive single-result). Counter-based: element i of a draw
encrypts its own index, so a draw is a pure function of (key, index) — reproducible,
independent of evaluation order, and vectorizable.

The rounds are written once (`encrypt`) over a small set of word operations; the
NumPy reference below and code generation both run them, so eager and compiled bits are
equal by construction."""
from __future__ import annotations

import numpy as np

from ..errors import DTypeError, ShapeError
from .aval import Aval, broadcast_shapes, dtype_string
from .kinds import ELEMENTWISE
from .primitive import Primitive

ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
PARITY = 0x1BD11BDA         # Threefish's key-schedule constant


def encrypt(ops, k0, k1, x0, x1):
    """(y0, y1): the 20 rounds on 32-bit words. `ops` has add (wrapping), xor,
    rotl(word, r) and const(int)."""
    keys = (k0, k1, ops.xor(ops.xor(k0, k1), ops.const(PARITY)))
    x0, x1 = ops.add(x0, keys[0]), ops.add(x1, keys[1])
    for i in range(5):                 # 5 groups of 4 rounds, a key injection after each
        for r in ROTATIONS[i % 2]:
            x0 = ops.add(x0, x1)
            x1 = ops.xor(x0, ops.rotl(x1, r))
        x0 = ops.add(x0, keys[(i + 1) % 3])
        x1 = ops.add(ops.add(x1, keys[(i + 2) % 3]), ops.const(i + 1))
    return x0, x1


class _NumpyWords:
    """The word operations on uint32 arrays (uint32 arithmetic wraps)."""
    add = staticmethod(np.add)
    xor = staticmethod(np.bitwise_xor)

    @staticmethod
    def rotl(x, r):
        return (x << np.uint32(r)) | (x >> np.uint32(32 - r))

    @staticmethod
    def const(value):
        return np.uint32(value)


def _rule(*avals):
    for a in avals:
        if a.dtype != np.uint32:
            raise DTypeError(f"threefry2x32: key and block words must be uint32, got "
                             f"{', '.join(dtype_string(b.dtype) for b in avals)}")
    try:
        shape = broadcast_shapes(*[a.shape for a in avals])
    except ValueError:
        raise ShapeError(f"threefry2x32: shapes {', '.join(str(a.shape) for a in avals)} "
                         f"do not broadcast together") from None
    return [Aval(shape, np.dtype(np.uint64))]


def _impl(k0, k1, x0, x1):
    words = np.broadcast_arrays(*[np.asarray(v, np.uint32) for v in (k0, k1, x0, x1)])
    with np.errstate(over="ignore"):
        y0, y1 = encrypt(_NumpyWords, *words)
    return [(np.asarray(y0, np.uint64) << np.uint64(32)) | np.asarray(y1, np.uint64)]


Primitive("threefry2x32", _rule, _impl, ELEMENTWISE)
