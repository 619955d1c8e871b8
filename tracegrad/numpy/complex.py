"""Complex numbers: their parts, conjugate and angle, and the dtype predicates. Arithmetic,
exp, log, abs, ... on complex arrays are the ordinary ufuncs. As in NumPy, `real`, `conj`
of a real array are the array itself and `imag` is zeros."""
from __future__ import annotations

import numpy as np

from .. import lax
from ..tracer import Tracer
from ._core import asarray_traced, convert, implements, reject_kwargs
from .creation import ones_like, zeros_like
from .ufuncs import arctan2, loop_dtypes, multiply, not_equal, equal


def _is_complex(x) -> bool:
    return np.dtype(x.dtype).kind == "c"


@implements(np.real)
def real(val):
    val = asarray_traced(val)
    return lax.real(val) if _is_complex(val) else val


@implements(np.imag)
def imag(val):
    val = asarray_traced(val)
    return lax.imag(val) if _is_complex(val) else zeros_like(val)


def _conjugate(x, out=None, where=True, **kwargs):
    reject_kwargs("conjugate", out=out, where=where, **kwargs)
    x = asarray_traced(x)
    if _is_complex(x):
        return lax.conj(x)
    _, out_dtype = loop_dtypes(np.conjugate, x)      # bool -> int8, as NumPy's loop
    return convert(x, out_dtype) if isinstance(x, Tracer) else np.conjugate(x)


conjugate = implements(np.conjugate)(_conjugate)
conj = conjugate


@implements(np.angle)
def angle(z, deg=False):
    z = asarray_traced(z)
    a = arctan2(imag(z), real(z)) if _is_complex(z) else arctan2(0, z)
    return multiply(a, 180.0 / np.pi) if deg else a


def _dtype(x):
    x = asarray_traced(x)
    return np.dtype(x.dtype)


def iscomplexobj(x) -> bool:
    """Whether x has a complex dtype (whatever its values): a Python bool, also for
    traced values (their dtype is known)."""
    return _dtype(x).kind == "c"


def isrealobj(x) -> bool:
    return not iscomplexobj(x)


@implements(np.iscomplex)
def iscomplex(x):
    x = asarray_traced(x)
    return not_equal(imag(x), 0) if _is_complex(x) else zeros_like(x, dtype=bool)


@implements(np.isreal)
def isreal(x):
    x = asarray_traced(x)
    return equal(imag(x), 0) if _is_complex(x) else ones_like(x, dtype=bool)


iscomplexobj = implements(np.iscomplexobj)(iscomplexobj)
isrealobj = implements(np.isrealobj)(isrealobj)

__all__ = ["real", "imag", "conj", "conjugate", "angle", "iscomplexobj", "isrealobj",
           "iscomplex", "isreal"]
