"""Elementwise primitives. Operands broadcast NumPy-style and share one dtype (the
namespace inserts `convert` first); comparisons return bool; `select` picks per element."""
from __future__ import annotations

import math

import numpy as np

from ..errors import DTypeError, ShapeError
from .aval import Aval, broadcast_shapes, dtype_string
from .kinds import ELEMENTWISE
from .primitive import Primitive


def _quiet(fn):
    def run(*args, **params):
        with np.errstate(all="ignore"):
            return [np.asarray(fn(*args, **params))]
    run.__name__ = getattr(fn, "__name__", "impl")
    run.ufunc = fn if isinstance(fn, np.ufunc) else None    # takes out= (interpreter)
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


UNARY = {
    # name: (numpy implementation, allowed dtype kinds)
    # NumPy has bool and integer loops for abs/floor/ceil/trunc (identity-like).
    "neg": (np.negative, NUMBER), "abs": (np.abs, NUMBER + "b"), "sign": (np.sign, NUMBER),
    "floor": (np.floor, "biuf"), "ceil": (np.ceil, "biuf"), "round": (np.rint, REAL),
    "trunc": (np.trunc, "biuf"),
    "exp": (np.exp, FLOAT), "exp2": (np.exp2, FLOAT), "expm1": (np.expm1, FLOAT),
    "log": (np.log, FLOAT), "log2": (np.log2, FLOAT), "log10": (np.log10, FLOAT),
    "log1p": (np.log1p, FLOAT), "sqrt": (np.sqrt, FLOAT), "cbrt": (np.cbrt, REAL),
    "sin": (np.sin, FLOAT), "cos": (np.cos, FLOAT), "tan": (np.tan, FLOAT),
    "asin": (np.arcsin, FLOAT), "acos": (np.arccos, FLOAT), "atan": (np.arctan, FLOAT),
    "sinh": (np.sinh, FLOAT), "cosh": (np.cosh, FLOAT), "tanh": (np.tanh, FLOAT),
    "asinh": (np.arcsinh, FLOAT), "acosh": (np.arccosh, FLOAT),
    "atanh": (np.arctanh, FLOAT),
    "logistic": (_logistic, REAL),
    "erf": (_via_float64(_vec_erf), REAL), "erfc": (_via_float64(_vec_erfc), REAL),
    "not": (np.invert, INTLIKE),
}

PREDICATES = {"isnan": np.isnan, "isinf": np.isinf, "isfinite": np.isfinite}

BINARY = {
    "add": (np.add, NUMBER + "b"), "sub": (np.subtract, NUMBER), "mul": (np.multiply, NUMBER + "b"),
    "div": (np.true_divide, FLOAT), "floordiv": (np.floor_divide, "iuf"),
    "rem": (np.remainder, "iuf"), "fmod": (np.fmod, "iuf"), "pow": (np.power, NUMBER),
    "max": (np.maximum, NUMBER + "b"), "min": (np.minimum, NUMBER + "b"),
    "atan2": (np.arctan2, REAL), "copysign": (np.copysign, REAL),
    "nextafter": (np.nextafter, REAL),
    "and": (np.bitwise_and, INTLIKE), "or": (np.bitwise_or, INTLIKE),
    "xor": (np.bitwise_xor, INTLIKE),
}

COMPARISONS = {"eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal,
               "gt": np.greater, "ge": np.greater_equal}

for _name, (_fn, _kinds) in UNARY.items():
    Primitive(_name, _elementwise_rule(_name, _kinds), _quiet(_fn), ELEMENTWISE)
for _name, _fn in PREDICATES.items():
    Primitive(_name, _elementwise_rule(_name, NUMBER + "b", np.bool_), _quiet(_fn), ELEMENTWISE)
for _name, (_fn, _kinds) in BINARY.items():
    Primitive(_name, _elementwise_rule(_name, _kinds), _quiet(_fn), ELEMENTWISE)
for _name, _fn in COMPARISONS.items():
    Primitive(_name, _elementwise_rule(_name, NUMBER + "b", np.bool_), _quiet(_fn), ELEMENTWISE)


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
