"""The emit rule of threefry2x32: the cipher's rounds (ir/threefry.py `encrypt`, the
same code the NumPy reference runs) on i32 registers. Rotations are funnel shifts,
which LLVM turns into the target's rotate instructions (vector ones in vector loops);
the key schedule depends on the key only, so LLVM hoists it out of the loop."""
from __future__ import annotations

import numpy as np

from ..ir.threefry import encrypt
from .irtext import Emitter, convert


class _Words:
    """The word operations of `encrypt` as LLVM IR on i32 values."""

    def __init__(self, e: Emitter):
        self.e = e

    def add(self, a, b):
        return self.e.iop("add", "i32", a, b)

    def xor(self, a, b):
        return self.e.iop("xor", "i32", a, b)

    def rotl(self, x, r):
        return self.e.call("i32", "llvm.fshl.i32", [("i32", x), ("i32", x), ("i32", str(r))])

    @staticmethod
    def const(value):
        return str(int(value) - (1 << 32) if value >= 1 << 31 else int(value))


def emit_threefry(e: Emitter, args, dtype, out_dtype, params, in_loop):
    y0, y1 = encrypt(_Words(e), *args)
    hi = e.iop("shl", "i64", e.cast("zext", "i32", y0, "i64"), "32")
    block = e.iop("or", "i64", hi, e.cast("zext", "i32", y1, "i64"))
    return convert(e, block, np.uint64, out_dtype)
