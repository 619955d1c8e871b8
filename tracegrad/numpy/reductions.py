"""Reductions (axis as int, tuple or None; keepdims; negative axes), arg-reductions,
cumulative sums, mean/var/std."""
from __future__ import annotations

import functools

import numpy as np

from .. import lax
from ..ir import PRIMITIVES
from ..ir.elementwise import quiet_state
from ..tracer import Tracer
from ..tracer.trace import out_avals_of
from ._core import (asarray_traced, convert, implements, normalize_axes, normalize_axis,
                    reject_kwargs, reshape, shape)
from .ufuncs import multiply, sqrt, subtract, true_divide, where as _where


@functools.lru_cache(maxsize=None)
def _reduced_dtype(np_fn, dtype, requested):
    """The dtype NumPy's reduction gives (int8 sums to int64, mean of ints is float64)."""
    with np.errstate(all="ignore"):
        return np.asarray(np_fn(np.ones(1, dtype), dtype=requested)).dtype


def _keep(result, x_shape, axes, keepdims):
    if not keepdims:
        return result
    return reshape(result, [1 if i in axes else n for i, n in enumerate(x_shape)])


# (primitive name, input aval, axis) -> (primitive, params, (output aval, raw, NumPy's
# error state)) or None: a reduction of an eager tracer that keeps its (inexact, strong)
# dtype, planned once; recorded straight into its trace (Trace.record_planned).
_PLANS: dict = {}
_AXIS_TYPES = frozenset({type(None), int, tuple})


def _plan(prim_name, aval, axis):
    quiet = quiet_state()
    if quiet is None or aval.weak or aval.dtype.kind not in "fc" or not aval.shape:
        return None
    try:
        axes = normalize_axes(axis, len(aval.shape))
        params = {"axes": axes}
        prim = PRIMITIVES[prim_name]
        (out_aval,) = out_avals_of(prim, [aval], params)
    except Exception:                 # reported, with the user's line, by the general path
        return None
    ufunc = prim.impl.ufunc           # the ufunc whose reduce the primitive's impl calls
    return prim, params, (out_aval, lambda x: ufunc.reduce(x, axis=axes), quiet)


def _eager_reduction(prim_name, a, axis, dtype, keepdims):
    """The reduction of the eager tracer `a` recorded from its plan, or None where the
    general path must run (another dtype, a finished or abstract trace, ...)."""
    if type(axis) not in _AXIS_TYPES:
        return None
    trace = a._trace
    if not trace.eager or trace.finished:
        return None
    aval = a._value.aval
    key = (prim_name, aval, axis)
    found = _PLANS.get(key, False)
    if found is False:
        if len(_PLANS) > 10_000:
            _PLANS.clear()
        found = _PLANS[key] = _plan(prim_name, aval, axis)
    if found is None or (dtype is not None and np.dtype(dtype) != aval.dtype):
        return None
    prim, params, plan = found
    # Skips: this frame, _reduce, the reduction, its NumPy-dispatch wrapper.
    result = trace.record_planned(prim, a, params, plan, 4)
    return _keep(result, aval.shape, params["axes"], keepdims)


def _reduce(prim_name, np_fn, a, axis, dtype, keepdims, where=True, identity=None):
    if type(a) is Tracer and where is True:
        result = _eager_reduction(prim_name, a, axis, dtype, keepdims)
        if result is not None:
            return result
    a = asarray_traced(a)
    axes = normalize_axes(axis, len(shape(a)))
    out_dtype = _reduced_dtype(np_fn, np.dtype(a.dtype), None if dtype is None else
                               np.dtype(dtype))
    x = convert(a, out_dtype, weak=False)
    if where is not True:
        x = _where(where, x, identity)
    result = lax.apply(prim_name, x, axes=axes)
    return _keep(result, shape(a), axes, keepdims)


@implements(np.sum)
def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    if out is not None or initial is not None:
        reject_kwargs("sum", out=out, initial=initial)
    return _reduce("reduce_sum", np.sum, a, axis, dtype, keepdims, where, 0)


@implements(np.prod)
def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    if out is not None or initial is not None:
        reject_kwargs("prod", out=out, initial=initial)
    return _reduce("reduce_prod", np.prod, a, axis, dtype, keepdims, where, 1)


def _extremum(prim_name, np_fn):
    def traced(a, axis=None, out=None, keepdims=False, initial=None, where=True):
        if out is not None or initial is not None or where is not True:
            reject_kwargs(np_fn.__name__, out=out, initial=initial, where=where)
        if type(a) is Tracer:
            result = _eager_reduction(prim_name, a, axis, None, keepdims)
            if result is not None:
                return result
        a = asarray_traced(a)
        axes = normalize_axes(axis, len(shape(a)))
        result = lax.apply(prim_name, convert(a, a.dtype, weak=False), axes=axes)
        return _keep(result, shape(a), axes, keepdims)
    traced.__name__ = np_fn.__name__
    return implements(np_fn)(traced)


max = amax = _extremum("reduce_max", np.max)
min = amin = _extremum("reduce_min", np.min)


@implements(np.all)
def all(a, axis=None, out=None, keepdims=False, where=True):
    reject_kwargs("all", out=out, where=where)
    return min(convert(a, np.bool_, weak=False) if a.dtype == np.bool_ else
               (a != 0), axis=axis, keepdims=keepdims)


@implements(np.any)
def any(a, axis=None, out=None, keepdims=False, where=True):
    reject_kwargs("any", out=out, where=where)
    return max(convert(a, np.bool_, weak=False) if a.dtype == np.bool_ else
               (a != 0), axis=axis, keepdims=keepdims)


def _count(a_shape, axes):
    return int(np.prod([a_shape[i] for i in axes], dtype=np.int64))


@implements(np.mean)
def mean(a, axis=None, dtype=None, out=None, keepdims=False, where=True):
    reject_kwargs("mean", out=out)
    a = asarray_traced(a)
    axes = normalize_axes(axis, len(shape(a)))
    out_dtype = _reduced_dtype(np.mean, np.dtype(a.dtype),
                               None if dtype is None else np.dtype(dtype))
    total = _reduce("reduce_sum", np.sum, convert(a, out_dtype), axis, out_dtype,
                    keepdims, where, 0)
    if where is True:
        return true_divide(total, float(_count(shape(a), axes)))
    count = sum(np.broadcast_to(where, shape(a)) if not hasattr(where, "_trace") else where,
                axis=axis, keepdims=keepdims, dtype=out_dtype)
    return true_divide(total, count)


@implements(np.var)
def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None,
        correction=None):
    reject_kwargs("var", out=out, where=where, mean=mean)
    if correction is not None:
        ddof = correction
    a = asarray_traced(a)
    axes = normalize_axes(axis, len(shape(a)))
    m = _mean(a, axis=axis, dtype=dtype, keepdims=True)
    centered = subtract(convert(a, m.dtype) if a.dtype != m.dtype else a, m)
    if np.dtype(centered.dtype).kind == "c":
        # |x - mean|^2, a real number, computed as NumPy does: Re(x * conj(x)).
        squares = lax.real(multiply(centered, lax.conj(centered)))
    else:
        squares = multiply(centered, centered)
    ss = sum(squares, axis=axis, keepdims=keepdims)
    return true_divide(ss, float(_count(shape(a), axes) - ddof))


_mean = mean


@implements(np.std)
def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None,
        correction=None):
    reject_kwargs("std", out=out, where=where, mean=mean)
    a = asarray_traced(a)
    v = var(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims, correction=correction)
    if _count(shape(a), normalize_axes(axis, len(shape(a)))) == 1:
        # One element per std: its deviation is identically 0, and so is the derivative
        # (sqrt'(0) * 0 would be NaN).
        v = lax.stop_gradient(v)
    return sqrt(v)


def _arg(prim_name, np_fn):
    def traced(a, axis=None, out=None, keepdims=False):
        reject_kwargs(np_fn.__name__, out=out)
        a = asarray_traced(a)
        a_shape = shape(a)
        if axis is None:
            result = lax.argreduce(prim_name, reshape(a, (-1,) if a_shape else (1,))
                                   if len(a_shape) != 1 else a, 0)
            return reshape(result, (1,) * len(a_shape)) if keepdims else result
        ax = normalize_axis(axis, len(a_shape))
        result = lax.argreduce(prim_name, a, ax)
        return _keep(result, a_shape, (ax,), keepdims)
    traced.__name__ = np_fn.__name__
    return implements(np_fn)(traced)


argmax = _arg("argmax", np.argmax)
argmin = _arg("argmin", np.argmin)


def _cumulative(prim_name, np_fn):
    def traced(a, axis=None, dtype=None, out=None):
        reject_kwargs(np_fn.__name__, out=out)
        a = asarray_traced(a)
        if axis is None:
            a = reshape(a, (a.size if hasattr(a, "size") else int(np.prod(shape(a))),))
            axis = 0
        ax = normalize_axis(axis, len(shape(a)))
        out_dtype = _reduced_dtype(np.sum if np_fn is np.cumsum else np.prod,
                                   np.dtype(a.dtype), None if dtype is None else
                                   np.dtype(dtype))
        return lax.cumulative(prim_name, convert(a, out_dtype, weak=False), ax)
    traced.__name__ = np_fn.__name__
    return implements(np_fn)(traced)


cumsum = _cumulative("cumsum", np.cumsum)
cumprod = _cumulative("cumprod", np.cumprod)
