"""Which dtypes generated code supports, and their names in Numba's type system (for
the driver's explicit signature)."""
from __future__ import annotations

import numpy as np

from ..errors import UnsupportedError

SUPPORTED_KINDS = "biuf"


def check_dtype(dtype, what: str) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype.kind not in SUPPORTED_KINDS or dtype.itemsize > 8 or dtype == np.float16:
        raise UnsupportedError(f"code generation does not support dtype {dtype.name} "
                               f"({what}); use float32/float64, integers or bool")
    return dtype


def numba_type(dtype) -> str:
    """The name in numba.types: `float32`, `boolean`."""
    dtype = np.dtype(dtype)
    return "boolean" if dtype == np.bool_ else dtype.name
