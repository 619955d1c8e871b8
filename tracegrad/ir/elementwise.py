"""Elementwise primitives. Operands broadcast NumPy-style and share one dtype (the
namespace inserts `convert` first); comparisons return bool; `select` picks per element."""
from __future__ import annotations

import dataclasses
import math
from typing import Callable, Optional

import numpy as np

from ..errors import DTypeError, ShapeError
from .aval import Aval, broadcast_shapes, dtype_string
from .kinds import ELEMENTWISE
from .primitive import Primitive


try:
    # np.errstate(all="ignore") costs more than a scalar operation; its effect is one
    # context variable, set here directly (with a fallback should NumPy move it).
    from numpy._core._ufunc_config import _extobj_contextvar as _EXTOBJ, _make_extobj
    _IGNORE = _make_extobj(all="ignore")
except (ImportError, TypeError):                    # pragma: no cover
    _EXTOBJ = None


def quiet_state():
    """(NumPy's error-state context variable, its ignore-all value), or None where NumPy
    moved it: the eager recorder's fast path sets it around a raw implementation."""
    return None if _EXTOBJ is None else (_EXTOBJ, _IGNORE)


class errors_ignored:
    """np.errstate(all="ignore") for a block, through the context variable directly
    (every eager gradient's backward pass enters one)."""

    __slots__ = ("token", "fallback")

    def __enter__(self):
        if _EXTOBJ is not None:
            self.token = _EXTOBJ.set(_IGNORE)
        else:                                        # pragma: no cover
            self.fallback = np.errstate(all="ignore")
            self.fallback.__enter__()

    def __exit__(self, *exc):
        if _EXTOBJ is not None:
            _EXTOBJ.reset(self.token)
        else:                                        # pragma: no cover
            self.fallback.__exit__(*exc)
        return False


def _quiet(fn):
    if _EXTOBJ is not None:
        def run(*args, **params):
            token = _EXTOBJ.set(_IGNORE)
            try:
                return [np.asarray(fn(*args, **params))]
            finally:
                _EXTOBJ.reset(token)
    else:
        def run(*args, **params):
            with np.errstate(all="ignore"):
                return [np.asarray(fn(*args, **params))]
    run.__name__ = getattr(fn, "__name__", "impl")
    run.ufunc = fn if isinstance(fn, np.ufunc) else None    # takes out= (interpreter)
    run.raw = fn                                 # what run calls, errors ignored
    return run


def _shape(name, avals):
    try:
        return broadcast_shapes(*[a.shape for a in avals])
    except ValueError:
        shapes = ", ".join(str(a.shape) for a in avals)
        raise ShapeError(f"{name}: shapes {shapes} do not broadcast together") from None


def _same_dtype(name, avals):
    dtypes = {a.dtype for a in avals}
    if len(dtypes) != 1:
        names = ", ".join(dtype_string(a.dtype) for a in avals)
        raise DTypeError(f"{name}: operands must share one dtype, got {names}")
    return avals[0].dtype


def _check_kind(name, dtype, kinds):
    if dtype.kind not in kinds:
        raise DTypeError(f"{name} is not defined for dtype {dtype_string(dtype)}")


def _elementwise_rule(name, kinds, out_dtype=None):
    def rule(*avals):
        dtype = _same_dtype(name, avals)
        _check_kind(name, dtype, kinds)
        weak = all(a.weak for a in avals)
        if out_dtype == "real":       # |z| of a complex z is real; other dtypes stay
            return [Aval(_shape(name, avals), np.abs(np.empty((), dtype)).dtype, weak)]
        result = np.dtype(out_dtype) if out_dtype is not None else dtype
        return [Aval(_shape(name, avals), result, weak and out_dtype is None)]
    return rule


FLOAT = "fc"          # float and complex
REAL = "f"
NUMBER = "iufc"
INTLIKE = "biu"

_vec_erf = np.vectorize(math.erf, otypes=[np.float64])
_vec_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def _via_float64(vec):
    def fn(x):
        return vec(x.astype(np.float64)).astype(x.dtype)
    return fn


def _logistic(x):
    # Stable in both tails: exp of a non-positive number only.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)


@dataclasses.dataclass(frozen=True)
class Elementwise:
    """One elementwise primitive, declared once; every layer derives from these rows:
    the primitive (shape/dtype rule, NumPy reference), tracegrad.numpy's dispatch of the
    NumPy ufunc to it and its export, and codegen's default (a call of the C library's
    `libm` function). Derivatives live in autodiff/derivatives.py, one row each."""
    name: str
    numpy: Callable              # the NumPy function it is (a ufunc is dispatched to it)
    kinds: str                   # dtype kinds its operands may have
    arity: int
    libm: Optional[str] = None   # the C math library function that computes it
    result: Optional[str] = None  # result dtype if not the operands': "bool", "real" (|z|)


def _rows(arity, result=None, **rows):
    return [Elementwise(name, numpy, kinds, arity, libm, result)
            for name, (numpy, kinds, libm) in rows.items()]


# name=(NumPy function, operand dtype kinds, C function). NumPy has bool and integer loops
# for abs/floor/ceil/trunc (identity-like).
ROWS = _rows(1, "real", abs=(np.abs, NUMBER + "b", None)) + _rows(
    1, neg=(np.negative, NUMBER, None),
    sign=(np.sign, NUMBER, None), floor=(np.floor, "biuf", "floor"),
    ceil=(np.ceil, "biuf", "ceil"), round=(np.rint, REAL, "rint"),
    trunc=(np.trunc, "biuf", "trunc"),
    exp=(np.exp, FLOAT, "exp"), exp2=(np.exp2, FLOAT, "exp2"), expm1=(np.expm1, FLOAT, "expm1"),
    log=(np.log, FLOAT, "log"), log2=(np.log2, FLOAT, "log2"), log10=(np.log10, FLOAT, "log10"),
    log1p=(np.log1p, FLOAT, "log1p"), sqrt=(np.sqrt, FLOAT, "sqrt"), cbrt=(np.cbrt, REAL, "cbrt"),
    sin=(np.sin, FLOAT, "sin"), cos=(np.cos, FLOAT, "cos"), tan=(np.tan, FLOAT, "tan"),
    asin=(np.arcsin, FLOAT, "asin"), acos=(np.arccos, FLOAT, "acos"),
    atan=(np.arctan, FLOAT, "atan"), sinh=(np.sinh, FLOAT, "sinh"),
    cosh=(np.cosh, FLOAT, "cosh"), tanh=(np.tanh, FLOAT, "tanh"),
    asinh=(np.arcsinh, FLOAT, "asinh"), acosh=(np.arccosh, FLOAT, "acosh"),
    atanh=(np.arctanh, FLOAT, "atanh"),
    logistic=(_logistic, REAL, None),
    erf=(_via_float64(_vec_erf), REAL, "erf"), erfc=(_via_float64(_vec_erfc), REAL, "erfc"),
    **{"not": (np.invert, INTLIKE, None)},
) + _rows(
    1, "bool", isnan=(np.isnan, NUMBER + "b", None), isinf=(np.isinf, NUMBER + "b", None),
    isfinite=(np.isfinite, NUMBER + "b", None),
) + _rows(
    2, add=(np.add, NUMBER + "b", None), sub=(np.subtract, NUMBER, None),
    mul=(np.multiply, NUMBER + "b", None), div=(np.true_divide, FLOAT, None),
    floordiv=(np.floor_divide, "iuf", None), rem=(np.remainder, "iuf", None),
    fmod=(np.fmod, "iuf", None), pow=(np.power, NUMBER, "pow"),
    max=(np.maximum, NUMBER + "b", None), min=(np.minimum, NUMBER + "b", None),
    atan2=(np.arctan2, REAL, "atan2"), copysign=(np.copysign, REAL, "copysign"),
    nextafter=(np.nextafter, REAL, "nextafter"),
    **{"and": (np.bitwise_and, INTLIKE, None), "or": (np.bitwise_or, INTLIKE, None),
       "xor": (np.bitwise_xor, INTLIKE, None)},
    # NumPy's shifts: right is arithmetic for signed types, logical for unsigned; a
    # count outside [0, bits) shifts everything out (0, or -1 for negative signed).
    shift_left=(np.left_shift, "iu", None), shift_right=(np.right_shift, "iu", None),
) + _rows(
    2, "bool", eq=(np.equal, NUMBER + "b", None), ne=(np.not_equal, NUMBER + "b", None),
    lt=(np.less, NUMBER + "b", None), le=(np.less_equal, NUMBER + "b", None),
    gt=(np.greater, NUMBER + "b", None), ge=(np.greater_equal, NUMBER + "b", None),
)
ROW = {row.name: row for row in ROWS}

for _row in ROWS:
    Primitive(_row.name, _elementwise_rule(_row.name, _row.kinds, _row.result),
              _quiet(_row.numpy), ELEMENTWISE)

# The same facts by family, as tables keyed by name.
UNARY = {r.name: (r.numpy, r.kinds) for r in ROWS
         if r.arity == 1 and r.result in (None, "real")}
PREDICATES = {r.name: r.numpy for r in ROWS if r.arity == 1 and r.result == "bool"}
BINARY = {r.name: (r.numpy, r.kinds) for r in ROWS if r.arity == 2 and r.result is None}
COMPARISONS = {r.name: r.numpy for r in ROWS if r.arity == 2 and r.result == "bool"}


def _select_rule(pred, on_true, on_false):
    if pred.dtype != np.bool_:
        raise DTypeError(f"select: the condition must be bool, got {dtype_string(pred.dtype)}")
    dtype = _same_dtype("select", [on_true, on_false])
    shape = _shape("select", [pred, on_true, on_false])
    return [Aval(shape, dtype, on_true.weak and on_false.weak)]


Primitive("select", _select_rule, _quiet(lambda p, a, b: np.where(p, a, b)), ELEMENTWISE)


def _convert_rule(x, *, dtype, weak=False):
    return [Aval(x.shape, dtype, weak)]


def _convert_impl(x, *, dtype, weak=False):
    with np.errstate(all="ignore"):
        return [np.asarray(x).astype(dtype)]


Primitive("convert", _convert_rule, _convert_impl, ELEMENTWISE)

# Identity whose derivative is zero (jax.lax.stop_gradient, torch's detach).
Primitive("stop_gradient", lambda x: [x], lambda x: [np.asarray(x)], ELEMENTWISE)
