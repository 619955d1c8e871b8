"""Composites computed in float64 and rounded to the loop's dtype once at the end: SciPy's
float32 loops compute in double too, so a float32 result then differs from SciPy's by
at most the final rounding rather than by the rounding of every intermediate step."""
from __future__ import annotations

import numpy as np

from ..errors import DTypeError
from ..numpy._core import asarray_traced, convert, ufunc_name
from ..numpy.ufuncs import composite, loop_dtypes, loop_inputs


def real_loop_inputs(sp_ufunc, *args):
    """loop_inputs, refusing SciPy's complex loops: the traced forms are real only (a
    complex argument would otherwise lose its imaginary part without a word)."""
    args = loop_inputs(sp_ufunc, *args)
    loop_in, _ = loop_dtypes(sp_ufunc, *args)
    if any(d.kind == "c" for d in loop_in):
        raise DTypeError(f"{ufunc_name(sp_ufunc)} on traced values is defined for real "
                         f"arguments only, not {', '.join(str(d) for d in loop_in)}")
    return args


def real_float64(x, name):
    """x as float64 for SciPy's Python functions over real ufuncs (polygamma, ...)."""
    x = asarray_traced(x)
    if x.dtype.kind == "c":
        raise DTypeError(f"scipy.special.{name} is defined for real arguments only, not "
                         f"{x.dtype}")
    return convert(x, np.float64, weak=False)


def float64_ufunc(sp_ufunc):
    """Register body(*float64 operands) as the traced form of a real SciPy ufunc."""
    def wrap(body):
        def traced(*args):
            args = real_loop_inputs(sp_ufunc, *args)
            _, out_dtype = loop_dtypes(sp_ufunc, *args)
            wide = [a if isinstance(a, (int, float)) else convert(a, np.float64)
                    for a in args]
            out = body(*wide)
            return out if out.dtype == out_dtype else convert(out, out_dtype)
        traced.__name__ = sp_ufunc.__name__
        return composite(sp_ufunc)(traced)
    return wrap
