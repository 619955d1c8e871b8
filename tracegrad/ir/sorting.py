"""Sorting along one axis. One primitive gives both the sorted values and the permutation
(argsort) because the VJP of the values needs the permutation anyway. NaNs sort last and
ties keep their original order (a stable sort), as NumPy's kind='stable'."""
from __future__ import annotations

import numpy as np

from ..errors import DTypeError, ShapeError
from .aval import Aval, dtype_string
from .kinds import SORT
from .primitive import Primitive


def _sort_rule(x, *, axis, index_dtype):
    if not 0 <= axis < x.ndim:
        raise ShapeError(f"sort: axis {axis} is invalid for shape {x.shape}")
    if x.dtype.kind not in "biuf":
        raise DTypeError(f"sort is not defined for dtype {dtype_string(x.dtype)}")
    return [Aval(x.shape, x.dtype, x.weak), Aval(x.shape, index_dtype)]


def _sort_impl(x, *, axis, index_dtype):
    x = np.asarray(x)
    order = np.argsort(x, axis=axis, kind="stable")
    return [np.take_along_axis(x, order, axis=axis), order.astype(index_dtype)]


Primitive("sort", _sort_rule, _sort_impl, SORT, multiple_results=True)
