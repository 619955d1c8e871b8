"""Array creation. Creation from shapes gives concrete NumPy arrays even while tracing
(they become constants of the trace); from traced values it builds traced arrays."""
from __future__ import annotations

import numpy as np

from ..ir import Aval, Literal
from .. import lax
from ..tracer import Tracer
from ..ir import is_float
from . import _core
from ._core import asarray_traced, broadcast_to_shape, convert, implements, is_traced, \
    unsupported
from .indexing import getitem
from .shape import concatenate, expand_dims, stack
from .ufuncs import add, floor, multiply, subtract, true_divide


def _from_nested(obj, dtype):
    if isinstance(obj, Tracer):
        return obj if dtype is None else convert(obj, dtype, weak=False)
    if isinstance(obj, (list, tuple)) and is_traced(obj):
        parts = [_from_nested(o, None) for o in obj]
        out_dtype = np.dtype(dtype) if dtype is not None else _core.result_type(*parts)
        return stack([convert(asarray_traced(p), out_dtype, weak=False) for p in parts])
    return np.asarray(obj, dtype=dtype)


@implements(np.array)
def array(object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, like=None):
    out = _from_nested(object, dtype)
    if ndmin and len(_core.shape(out)) < ndmin:
        out = _core.reshape(out, (1,) * (ndmin - len(_core.shape(out))) + _core.shape(out))
    if isinstance(out, Tracer) and out.aval.weak:
        out = convert(out, out.dtype, weak=False)
    return out


@implements(np.asarray)
def asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    return array(a, dtype=dtype)


def _like(np_fn, fill_from_arg):
    def traced(a, *args, dtype=None, order="K", subok=True, shape=None, device=None):
        dt = np.dtype(dtype) if dtype is not None else a.dtype
        sh = _core.shape(a) if shape is None else shape
        fill = args[0] if fill_from_arg else (1 if np_fn is np.ones_like else 0)
        if isinstance(fill, Tracer):
            return broadcast_to_shape(convert(fill, dt, weak=False), sh)
        # Recorded in a's trace as a broadcast literal, not captured as a constant array.
        return lax.broadcast_in_dim(Literal(fill, Aval((), dt)), sh, (), like=a)
    traced.__name__ = np_fn.__name__
    return implements(np_fn)(traced)


zeros_like = _like(np.zeros_like, False)
ones_like = _like(np.ones_like, False)
empty_like = _like(np.zeros_like, False)   # traced "empty" memory is zeros
full_like = _like(np.full_like, True)
# Shapes are static, so these are NumPy's own functions.
zeros, ones, empty, eye, identity = np.zeros, np.ones, np.empty, np.eye, np.identity


@implements(np.full)
def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    dt = np.dtype(dtype) if dtype is not None else (
        fill_value.dtype if not fill_value.aval.weak else np.result_type(
            _core.dtype_token(fill_value)))
    return broadcast_to_shape(convert(fill_value, dt, weak=False),
                              (shape,) if isinstance(shape, int) else tuple(shape))


@implements(np.arange)
def arange(*args, **kwargs):
    raise unsupported("numpy.arange with traced start/stop/step (its length depends on "
                      "the values)", "Pass the bounds as static arguments.")


@implements(np.linspace)
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0,
             *, device=None):
    if retstep or axis != 0:
        raise unsupported("numpy.linspace(..., retstep=True / axis!=0) on traced bounds")
    # NumPy computes in the promoted dtype of the bounds (float64 only for integers).
    compute_dtype = _core.result_type(start, stop)
    if not is_float(compute_dtype):
        compute_dtype = np.dtype(np.float64)
    start, stop = asarray_traced(start), asarray_traced(stop)
    div = (num - 1) if endpoint else num
    ramp = np.arange(num, dtype=compute_dtype).reshape((num,) + (1,) * len(
        np.broadcast_shapes(_core.shape(start), _core.shape(stop))))
    step = true_divide(subtract(stop, start), float(div)) if div > 0 else \
        subtract(stop, start)
    out = add(start, multiply(ramp if div > 0 else ramp * 0.0, step))
    if endpoint and num > 1:
        out = concatenate([getitem(out, slice(0, num - 1)),
                           expand_dims(broadcast_to_shape(stop, _core.shape(out)[1:]), 0)])
    out_dtype = np.dtype(dtype) if dtype is not None else compute_dtype
    if out_dtype.kind in "iu":
        out = floor(out)          # as NumPy: round down, then cast
    return convert(out, out_dtype, weak=False)
