"""Installs NumPy's array interface on Tracer: operators (and reflected forms), methods,
properties, indexing, and the __array_ufunc__ / __array_function__ protocols that make
plain `np.` calls on traced values trace."""
from __future__ import annotations

import numpy as np

from ..tracer import Tracer
from . import creation, indexing, products, reductions, shape, ufuncs
from . import at, diagonals, math_extra, shape_extra, sorting
from . import complex as complex_
from ._core import HANDLED_FUNCTIONS, convert, is_array_wrapper, ufunc_name, unsupported


def _binary(fn):
    # `self` is traced, so the traced implementation is called directly (the NumPy
    # dispatch in front of it would only find that out again).
    fn = getattr(fn, "__wrapped__", fn)
    spec = getattr(fn, "ufunc_primitive", None)
    if spec is not None:                     # a ufunc that is one primitive
        return ufuncs.binary_operators(*spec)

    def forward(self, other):
        if is_array_wrapper(other):
            return NotImplemented               # the wrapper's reflected operator's
        return fn(self, other)
    return forward, (lambda self, other: fn(other, self))


def _comparison(fn):
    def compare(self, other):
        if is_array_wrapper(other):
            return NotImplemented               # the wrapper's reflected comparison
        return fn(self, other)
    return compare


_OPERATORS = {
    "add": ufuncs.add, "sub": ufuncs.subtract, "mul": ufuncs.multiply,
    "truediv": ufuncs.true_divide, "floordiv": ufuncs.floor_divide, "mod": ufuncs.remainder,
    "pow": ufuncs.power, "matmul": products.matmul, "and": ufuncs.bitwise_and,
    "or": ufuncs.bitwise_or, "xor": ufuncs.bitwise_xor, "lshift": ufuncs.left_shift,
    "rshift": ufuncs.right_shift,
}


def _reshape_method(self, *shape_args, order="C"):
    target = shape_args[0] if len(shape_args) == 1 else shape_args
    return shape.reshape(self, target, order=order)


def _transpose_method(self, *axes):
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return shape.transpose(self, axes or None)


def _astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
    return convert(self, np.dtype(dtype), weak=False)


def _iter(self):
    if not self.shape:
        raise TypeError("iteration over a 0-d traced array")
    return (indexing.getitem(self, i) for i in range(self.shape[0]))


def _escape_hatch(name: str) -> str:
    """The fix for a NumPy function tracegrad lacks: its own code, or NumPy's through a
    callback (which also runs in compiled programs)."""
    short = "np." + name[len("numpy."):] if name.startswith("numpy.") else name
    return ("Write it with supported tracegrad.numpy functions, or run NumPy on the "
            "concrete values with tg.pure_callback (compiled code calls back into Python):\n"
            "    result_type = tg.ShapeDtypeStruct(shape, dtype)    # of its result\n"
            f"    y = tg.pure_callback({short}, result_type, x)\n"
            "A callback has no derivative of its own: give it one with tg.custom_vjp or "
            "tg.custom_jvp (see docs/escape-hatch.md).")


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    if method != "__call__":
        raise unsupported(f"{ufunc_name(ufunc)}.{method}",
                          "Use the tracegrad.numpy reductions (sum, prod, max, ...).")
    fn = HANDLED_FUNCTIONS.get(ufunc)
    if fn is None:
        raise unsupported(ufunc_name(ufunc), _escape_hatch(ufunc_name(ufunc)))
    return fn(*inputs, **kwargs)


def _array_function(self, func, types, args, kwargs):
    fn = HANDLED_FUNCTIONS.get(func)
    if fn is None:
        name = getattr(func, "__module__", "numpy") + "." + getattr(func, "__name__", "?")
        name = name.replace("numpy._core.", "numpy.").replace("numpy.fromnumeric.", "numpy.")
        raise unsupported(name, _escape_hatch(name))
    return fn(*args, **kwargs)


def install():
    for name, fn in _OPERATORS.items():
        forward, reflected = _binary(fn)
        setattr(Tracer, f"__{name}__", forward)
        setattr(Tracer, f"__r{name}__", reflected)
    for name, fn in {"eq": ufuncs.equal, "ne": ufuncs.not_equal, "lt": ufuncs.less,
                     "le": ufuncs.less_equal, "gt": ufuncs.greater,
                     "ge": ufuncs.greater_equal}.items():
        setattr(Tracer, f"__{name}__", _comparison(fn))
    Tracer.__hash__ = object.__hash__
    Tracer.__neg__ = lambda self: ufuncs.apply_unary(np.negative, "neg", self)
    Tracer.__pos__ = lambda self: self
    Tracer.__abs__ = lambda self: ufuncs.absolute(self)
    Tracer.__invert__ = lambda self: ufuncs.invert(self)
    Tracer.__getitem__ = indexing.getitem
    Tracer.__iter__ = _iter
    Tracer.__array_ufunc__ = _array_ufunc
    Tracer.__array_function__ = _array_function
    Tracer.T = property(lambda self: shape.transpose(self))
    Tracer.mT = property(lambda self: shape.swapaxes(self, -1, -2))
    Tracer.real = property(complex_.real)
    Tracer.imag = property(complex_.imag)
    methods = {
        "sum": reductions.sum, "mean": reductions.mean, "max": reductions.max,
        "min": reductions.min, "prod": reductions.prod, "var": reductions.var,
        "std": reductions.std, "argmax": reductions.argmax, "argmin": reductions.argmin,
        "cumsum": reductions.cumsum, "cumprod": reductions.cumprod, "all": reductions.all,
        "any": reductions.any, "ravel": shape.ravel, "flatten": shape.ravel,
        "squeeze": shape.squeeze, "swapaxes": shape.swapaxes, "clip": ufuncs.clip,
        "dot": products.dot, "take": indexing.take,
        "reshape": _reshape_method, "transpose": _transpose_method, "astype": _astype,
        "copy": lambda self: self,
        "round": math_extra.round, "sort": sorting.sort, "argsort": sorting.argsort,
        "searchsorted": sorting.searchsorted, "trace": diagonals.trace,
        "diagonal": diagonals.diagonal, "repeat": shape_extra.repeat,
        "conj": complex_.conjugate, "conjugate": complex_.conjugate,
    }
    # Functional updates (x.at[idx].set(v)); traced arrays are immutable.
    Tracer.at = property(at.IndexUpdateHelper)
    Tracer.__round__ = lambda self, ndigits=None: math_extra.round(self, ndigits or 0)
    for name, fn in methods.items():
        if fn is not None:
            setattr(Tracer, name, fn)


__all__ = ["install", "creation"]
