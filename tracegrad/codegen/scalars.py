"""Scalar types in generated code: NumPy dtype -> Numba/NumPy names, literals, casts.

Numba's scalar typing differs from NumPy 2 (int32 + int32 is int64 in Numba; float32 times
a Python float is float64), so every scalar result whose dtype is not float64 or bool is
wrapped in an explicit constructor, and every literal carries its dtype."""
from __future__ import annotations

import math

import numpy as np

from ..errors import UnsupportedError

SUPPORTED_KINDS = "biuf"


def check_dtype(dtype, what: str) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype.kind not in SUPPORTED_KINDS or dtype.itemsize > 8 or dtype == np.float16:
        raise UnsupportedError(f"code generation does not support dtype {dtype.name} "
                               f"({what}); use float32/float64, integers or bool")
    return dtype


def np_type(dtype) -> str:
    """`np.float32`, `np.bool_`: a constructor usable inside Numba code."""
    dtype = np.dtype(dtype)
    return "np.bool_" if dtype == np.bool_ else f"np.{dtype.name}"


def numba_type(dtype) -> str:
    """The name in numba.types: `float32`, `boolean`."""
    dtype = np.dtype(dtype)
    return "boolean" if dtype == np.bool_ else dtype.name


def short(dtype) -> str:
    """Buffer-name suffix: f64, i32, b."""
    dtype = np.dtype(dtype)
    return "b" if dtype == np.bool_ else f"{dtype.kind}{dtype.itemsize * 8}"


def literal(value, dtype) -> str:
    """Source text for a scalar constant of `dtype` that Numba types as exactly `dtype`."""
    dtype = np.dtype(dtype)
    value = np.asarray(value, dtype=dtype)[()]
    if dtype == np.bool_:
        return "True" if value else "False"
    if dtype.kind == "f":
        v = float(value)
        if math.isnan(v):
            text = "np.nan"
        elif math.isinf(v):
            text = "np.inf" if v > 0 else "-np.inf"
        else:
            text = repr(v)
        return text if dtype == np.float64 else f"np.float32({text})"
    return f"{np_type(dtype)}({int(value)})"


def cast(expr: str, dtype) -> str:
    """Force `expr` to `dtype`; float64 and bool expressions are already typed exactly."""
    dtype = np.dtype(dtype)
    if dtype == np.float64 or dtype == np.bool_:
        return expr
    return f"{np_type(dtype)}({expr})"


def identity(op: str, dtype) -> str:
    """The start value of a reduction or scan with this combining op."""
    dtype = np.dtype(dtype)
    if op in ("sum", "prod"):
        one = op == "prod"
        return literal(one, dtype)
    lowest = op in ("max", "argmax")
    if dtype.kind == "f":
        return literal(-np.inf if lowest else np.inf, dtype)
    if dtype == np.bool_:
        return literal(not lowest, dtype)
    info = np.iinfo(dtype)
    return literal(info.min if lowest else info.max, dtype)
