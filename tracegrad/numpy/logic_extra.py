"""isclose and select: comparisons and choices composed from elementwise primitives."""
from __future__ import annotations

import numpy as np

from ._core import asarray_traced, broadcast_to_shape, convert, implements, \
    is_python_scalar, result_type, shape
from .ufuncs import (absolute, add, bitwise_and, bitwise_or, equal, isfinite, isnan,
                     less_equal, multiply, subtract, where)


@implements(np.isclose)
def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    # NumPy's formula, including its promotion of b to at least float.
    if not is_python_scalar(b):
        b = convert(asarray_traced(b), result_type(b, 1.0))
    elif isinstance(b, int):
        b = float(b)
    close = less_equal(absolute(subtract(a, b)), add(atol, multiply(rtol, absolute(b))))
    result = bitwise_or(bitwise_and(close, isfinite(b)), equal(a, b))
    if equal_nan:
        result = bitwise_or(result, bitwise_and(isnan(a), isnan(b)))
    return result


@implements(np.select)
def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if len(choicelist) == 0:
        raise ValueError("select with an empty condition list is not possible")
    dtype = result_type(*choicelist, default)
    target = np.broadcast_shapes(*[shape(c) for c in list(condlist) + list(choicelist)],
                                 shape(default))
    out = convert(asarray_traced(default), dtype, weak=False)
    # The first true condition wins, so apply them last to first.
    for cond, choice in zip(condlist[::-1], choicelist[::-1]):
        cond_dtype = cond.dtype if hasattr(cond, "dtype") else np.asarray(cond).dtype
        if cond_dtype != np.bool_:
            raise TypeError("invalid entry in condlist: should be boolean ndarray")
        out = where(cond, convert(asarray_traced(choice), dtype, weak=False), out)
    return broadcast_to_shape(out, target)
