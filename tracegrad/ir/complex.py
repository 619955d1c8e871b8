"""The primitives that take complex numbers apart and put them together (JAX's lax.real,
lax.imag, lax.conj, lax.complex). The arithmetic (add, mul, exp, ...) is the ordinary
elementwise rows on complex dtypes; these four are the ones that are not holomorphic, so
they carry derivative rules of their own (autodiff/complex_rules.py)."""
from __future__ import annotations

import numpy as np

from ..errors import DTypeError
from .aval import Aval, dtype_string
from .elementwise import _quiet, _same_dtype, _shape
from .kinds import ELEMENTWISE
from .primitive import Primitive


def real_dtype(dtype) -> np.dtype:
    """The dtype of a complex dtype's parts (complex64 -> float32); others unchanged."""
    dtype = np.dtype(dtype)
    return np.empty((), dtype).real.dtype if dtype.kind == "c" else dtype


def complex_dtype(dtype) -> np.dtype:
    """The complex dtype whose parts have `dtype` (float32 -> complex64)."""
    return np.result_type(np.dtype(dtype), np.complex64)


def _parts_rule(name):
    def rule(x):
        if x.dtype.kind != "c":
            raise DTypeError(f"{name} takes a complex operand, got {dtype_string(x.dtype)}")
        return [Aval(x.shape, real_dtype(x.dtype), x.weak)]
    return rule


def _conj_rule(x):
    if x.dtype.kind != "c":
        raise DTypeError(f"conj takes a complex operand, got {dtype_string(x.dtype)}")
    return [x]


def _complex_rule(re, im):
    dtype = _same_dtype("complex", [re, im])
    if dtype not in (np.float32, np.float64):
        raise DTypeError(f"complex takes float32 or float64 parts, got {dtype_string(dtype)}")
    return [Aval(_shape("complex", [re, im]), complex_dtype(dtype), re.weak and im.weak)]


def _complex_impl(re, im):
    out = np.empty(np.broadcast_shapes(np.shape(re), np.shape(im)), complex_dtype(re.dtype))
    out.real, out.imag = re, im         # exact: no 1j * im (inf * 1j would make a NaN)
    return out


Primitive("real", _parts_rule("real"), _quiet(np.real), ELEMENTWISE)
Primitive("imag", _parts_rule("imag"), _quiet(np.imag), ELEMENTWISE)
Primitive("conj", _conj_rule, _quiet(np.conjugate), ELEMENTWISE)
Primitive("complex", _complex_rule, _quiet(_complex_impl), ELEMENTWISE)
