"""tracegrad.numpy: NumPy's API on traced values.

Every function behaves exactly like NumPy on concrete arrays (it calls NumPy) and emits
primitives on traced values. Plain `np.` calls on traced values dispatch here through
NumPy's __array_ufunc__/__array_function__ protocols. A NumPy function that is not
implemented raises UnsupportedError naming it; it never runs NumPy on a tracer."""
import numpy as _np

from . import methods as _methods
from .creation import (array, asarray, empty, eye, full, full_like, identity,
                       linspace, ones, ones_like, zeros, zeros_like)
from .creation import arange as _traced_arange
from .indexing import take, take_along_axis
from . import linalg
from . import fft
from . import random
from .at import at
from .complex import (angle, conj, conjugate, imag, iscomplex, iscomplexobj, isreal,
                      isrealobj, real)
from .creation_extra import astype, empty_like, indices, logspace, meshgrid, tri
from .diagonals import diag, diagflat, diagonal, trace, tril, triu
from .logic_extra import isclose, select
from .math_extra import (around, deg2rad, degrees, float_power, fmax, fmin, heaviside, hypot,
                         logaddexp, logaddexp2, nan_to_num, rad2deg, radians, round, signbit,
                         sinc)
from .products_extra import cross, matrix_transpose
from .reductions_extra import (amax, amin, average, count_nonzero, nanmax, nanmean,
                               nanmin, nansum, ptp)
from .shape_extra import (array_split, atleast_1d, atleast_2d, atleast_3d, column_stack,
                          dstack, flip, fliplr, flipud, hstack, kron, pad, repeat, roll,
                          rot90, split, tile, vstack)
from .sorting import argsort, median, percentile, quantile, searchsorted, sort
from .products import dot, einsum, inner, matmul, outer, tensordot, vdot
from .reductions import (all, any, argmax, argmin, cumprod, cumsum, max, mean,
                         min, prod, std, sum, var)
from .shape import (ndim, size, shape_of as shape, broadcast_arrays, broadcast_to, concatenate, expand_dims, moveaxis,
                    ravel, reshape, squeeze, stack, swapaxes, transpose)
from .index_tricks import c_, r_
from .sequences import append, diff, dsplit, ediff1d, hsplit, trapezoid, unwrap, vsplit
from .signals import convolve, correlate, interp, piecewise, polyval
from .tail_more import (block, corrcoef, cov, cumulative_prod, cumulative_sum, gradient,
                        matvec, nancumprod, nancumsum, nanprod, nanstd, nanvar, polyadd,
                        polyder, polyint, polysub, rollaxis, unstack, vander, vecdot, vecmat)
from .ufuncs import *  # noqa: F401,F403  (every ufunc of the primitives' rows)
# NumPy 2's array-API spellings of the same functions.
from .ufuncs import (arccos as acos, arccosh as acosh, arcsin as asin, arcsinh as asinh,
                     arctan as atan, arctan2 as atan2, arctanh as atanh, power as pow)
concat, permute_dims = concatenate, transpose


def arange(*args, **kwargs):
    """numpy.arange: bounds must be concrete (the length depends on them)."""
    if any(hasattr(a, "_trace") for a in list(args) + list(kwargs.values())):
        return _traced_arange(*args, **kwargs)
    return _np.arange(*args, **kwargs)


pi, e, inf, nan, newaxis = _np.pi, _np.e, _np.inf, _np.nan, _np.newaxis
float16, float32, float64 = _np.float16, _np.float32, _np.float64
complex64, complex128 = _np.complex64, _np.complex128
int8, int16, int32, int64 = _np.int8, _np.int16, _np.int32, _np.int64
uint8, bool_, dtype, ndarray = _np.uint8, _np.bool_, _np.dtype, _np.ndarray
result_type, finfo, iinfo = _np.result_type, _np.finfo, _np.iinfo

_methods.install()
