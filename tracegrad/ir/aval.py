"""Abstract values: the shape and dtype of an array, and whether its type is weak.

A weak type marks a value that came from a Python scalar: it takes the dtype of the
array it meets, as NumPy 2 (NEP 50) does for `float32_array * 0.5`.
"""
from __future__ import annotations

import math

import numpy as np

_SHORT = {"bool": "bool", "float16": "f16", "float32": "f32", "float64": "f64",
          "complex64": "c64", "complex128": "c128", "int8": "i8", "int16": "i16",
          "int32": "i32", "int64": "i64", "uint8": "u8", "uint16": "u16",
          "uint32": "u32", "uint64": "u64"}


_set = object.__setattr__


class Aval:
    """(shape, dtype, weak). Immutable and hashable."""

    __slots__ = ("shape", "dtype", "weak", "_hash", "scalar_type", "inexact")

    def __init__(self, shape, dtype, weak: bool = False):
        if type(shape) is not tuple or not all(type(d) is int for d in shape):
            shape = tuple(int(d) for d in shape)
        if not isinstance(dtype, np.dtype):
            dtype = np.dtype(dtype)
        weak = bool(weak)
        _set(self, "shape", shape)
        _set(self, "dtype", dtype)
        _set(self, "weak", weak)
        _set(self, "_hash", hash((shape, dtype, weak)))
        # The NumPy scalar type an eager 0-d value of this type may be (else None).
        _set(self, "scalar_type", dtype.type if shape == () else None)
        _set(self, "inexact", dtype.kind in "fc")        # floating point or complex

    def __setattr__(self, name, value):
        raise AttributeError("Aval is immutable")

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def update(self, shape=None, dtype=None, weak=None) -> "Aval":
        return Aval(self.shape if shape is None else shape,
                    self.dtype if dtype is None else dtype,
                    self.weak if weak is None else weak)

    def __eq__(self, other):
        return (isinstance(other, Aval) and self.shape == other.shape
                and self.dtype == other.dtype and self.weak == other.weak)

    def __hash__(self):
        return self._hash

    def __repr__(self):
        return type_string(self)


def dtype_string(dtype) -> str:
    return _SHORT.get(np.dtype(dtype).name, np.dtype(dtype).name)


def type_string(aval: Aval) -> str:
    """'f32[3,4]', with '~' after the dtype for weak types: 'f64~[]'."""
    weak = "~" if aval.weak else ""
    return f"{dtype_string(aval.dtype)}{weak}[{','.join(map(str, aval.shape))}]"


def is_float(dtype) -> bool:
    """Floating point or complex (NumPy's inexact kinds)."""
    return np.dtype(dtype).kind in "fc"


def is_integer(dtype) -> bool:
    return np.issubdtype(np.dtype(dtype), np.integer)


def python_scalar_kind(dtype):
    """The Python type that stands for a weak value of this dtype in NumPy's promotion."""
    kind = np.dtype(dtype).kind
    return {"b": bool, "i": int, "u": int, "f": float, "c": complex}[kind]


def broadcast_shapes(*shapes) -> tuple:
    """NumPy broadcasting of shapes; raises ValueError naming the shapes."""
    return tuple(np.broadcast_shapes(*shapes))
