"""What the linear-algebra functions share: NumPy's argument checks and dtype rule, and
NumPy's LinAlgError on concrete (eager) values.

Compiled programs cannot raise from inside native code: there a singular matrix gives
inf/NaN and a matrix that is not positive definite a Cholesky factor of NaNs, as in JAX
(docs/numpy.md). Eager calls see the concrete values and raise NumPy's LinAlgError."""
from __future__ import annotations

import numpy as np

from ..errors import DTypeError
from ..tracer import Tracer, concrete_value
from ..tracer.source import describe_location, user_location
from ._core import asarray_traced, convert, result_type

LinAlgError = np.linalg.LinAlgError


def float_matrices(*arrays, square=True, name="linalg"):
    """The operands as traced-or-NumPy arrays of one float dtype (integers and bools
    become float64, as NumPy's linalg computes), checked as NumPy checks them."""
    arrays = [asarray_traced(a) for a in arrays]
    dtype = result_type(*arrays)
    if dtype.kind == "c":
        raise DTypeError(f"numpy.linalg.{name} of complex matrices is not supported on traced "
                         f"values yet (at {describe_location(user_location())})")
    if dtype.kind != "f":
        dtype = np.dtype(np.float64)
    if dtype not in (np.float32, np.float64):
        raise DTypeError(f"array type {dtype} is unsupported in linalg (numpy.linalg.{name}, "
                         f"at {describe_location(user_location())}); convert to float32")
    a = arrays[0]
    if a.ndim < 2:
        raise LinAlgError(f"{a.ndim}-dimensional array given. Array must be at least "
                          f"two-dimensional")
    if square and a.shape[-1] != a.shape[-2]:
        raise LinAlgError("Last 2 dimensions of the array must be square")
    return [convert(x, dtype, weak=False) for x in arrays]


def eager_value(x):
    """The concrete value of an eager tracer (None under compile or make_ir)."""
    return concrete_value(x) if isinstance(x, Tracer) else np.asarray(x)


def check_nonsingular(lu_factor):
    """NumPy's 'Singular matrix' error: an exact zero pivot (eager values only)."""
    value = eager_value(lu_factor)
    if value is not None and np.any(np.diagonal(value, axis1=-2, axis2=-1) == 0):
        raise LinAlgError("Singular matrix")


def check_positive_definite(a, factor):
    """NumPy's error for a Cholesky factorization that failed (eager values only)."""
    value, original = eager_value(factor), eager_value(a)
    if value is not None and original is not None and \
            np.isnan(value).any() and not np.isnan(original).any():
        raise LinAlgError("Matrix is not positive definite")
