"""Reductions over axes, arg-reductions, cumulative scans."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..errors import DTypeError, ShapeError
from .aval import Aval, dtype_string
from .elementwise import errors_ignored
from .kinds import ARGREDUCE, DOT, REDUCE, SCAN
from .primitive import Primitive


def _check_axes(name, x, axes):
    if len(set(axes)) != len(axes) or any(not 0 <= a < x.ndim for a in axes):
        raise ShapeError(f"{name}: axes {tuple(axes)} are invalid for shape {x.shape}")


def _reduce_rule(name, empty_ok):
    def rule(x, *, axes):
        _check_axes(name, x, axes)
        if not empty_ok and any(x.shape[a] == 0 for a in axes):
            raise ShapeError(f"{name}: zero-size reduction over axes {tuple(axes)} of "
                             f"shape {x.shape} has no identity")
        shape = [n for i, n in enumerate(x.shape) if i not in axes]
        return [x.update(shape=shape)]
    return rule


def _reduce_impl(ufunc):
    # ufunc.reduce is what np.sum, np.prod, np.max and np.min call, minus their Python
    # wrappers (an eager trace runs this for every reduction).
    def impl(x, *, axes):
        x = np.asarray(x)
        with errors_ignored():
            out = np.asarray(ufunc.reduce(x, axis=tuple(axes)))
        return [out if out.dtype == x.dtype else out.astype(x.dtype)]
    impl.ufunc = ufunc          # what an eager reduction's plan calls directly
    return impl


Primitive("reduce_sum", _reduce_rule("reduce_sum", True), _reduce_impl(np.add), REDUCE)
Primitive("reduce_prod", _reduce_rule("reduce_prod", True), _reduce_impl(np.multiply),
          REDUCE)
Primitive("reduce_max", _reduce_rule("reduce_max", False), _reduce_impl(np.maximum), REDUCE)
Primitive("reduce_min", _reduce_rule("reduce_min", False), _reduce_impl(np.minimum), REDUCE)


def _arg_rule(name):
    def rule(x, *, axis, index_dtype):
        _check_axes(name, x, (axis,))
        if x.shape[axis] == 0:
            raise ShapeError(f"{name}: attempt to get {name} of an empty sequence")
        return [Aval([n for i, n in enumerate(x.shape) if i != axis], index_dtype)]
    return rule


Primitive("argmax", _arg_rule("argmax"),
          lambda x, *, axis, index_dtype: [np.argmax(x, axis=axis).astype(index_dtype)],
          ARGREDUCE)
Primitive("argmin", _arg_rule("argmin"),
          lambda x, *, axis, index_dtype: [np.argmin(x, axis=axis).astype(index_dtype)],
          ARGREDUCE)


def _cumulative(name, fn):
    def rule(x, *, axis, reverse):
        _check_axes(name, x, (axis,))
        return [x]

    def impl(x, *, axis, reverse):
        x = np.asarray(x)
        with np.errstate(all="ignore"):
            if reverse:
                return [np.flip(fn(np.flip(x, axis), axis=axis, dtype=x.dtype), axis)]
            return [fn(x, axis=axis, dtype=x.dtype)]
    Primitive(name, rule, impl, SCAN)


_cumulative("cumsum", np.cumsum)
_cumulative("cumprod", np.cumprod)


class DotAxes(NamedTuple):
    """dot_general's axes, spelled out: contracted and batch axes of each operand, and
    the free (kept) axes of each. The result is batch, then a's free, then b's free."""
    a_contract: tuple
    b_contract: tuple
    a_batch: tuple
    b_batch: tuple
    a_free: tuple
    b_free: tuple


def dot_axes(a_ndim: int, b_ndim: int, dims) -> DotAxes:
    (lc, rc), (lb, rb) = dims
    return DotAxes(tuple(lc), tuple(rc), tuple(lb), tuple(rb),
                   tuple(i for i in range(a_ndim) if i not in lc + lb),
                   tuple(i for i in range(b_ndim) if i not in rc + rb))


def _dot_general_rule(a, b, *, dims):
    (lc, rc), (lb, rb) = dims
    if a.dtype != b.dtype:
        raise DTypeError(f"dot_general: operands must share one dtype, got "
                         f"{dtype_string(a.dtype)} and {dtype_string(b.dtype)}")
    if ([a.shape[i] for i in lc] != [b.shape[i] for i in rc] or
            [a.shape[i] for i in lb] != [b.shape[i] for i in rb] or
            len(set(lc + lb)) != len(lc + lb) or len(set(rc + rb)) != len(rc + rb)):
        raise ShapeError(f"dot_general: shapes {a.shape} and {b.shape} do not match for "
                         f"contracting dims {lc}/{rc} and batch dims {lb}/{rb}")
    axes = dot_axes(a.ndim, b.ndim, dims)
    shape = [a.shape[i] for i in lb + axes.a_free] + [b.shape[i] for i in axes.b_free]
    return [Aval(shape, a.dtype, a.weak and b.weak)]


def dot_general_impl(a, b, *, dims):
    """Batch dims first, then a's free dims, then b's, via one batched matmul."""
    (lc, rc), (lb, rb) = dims
    a, b = np.asarray(a), np.asarray(b)
    _, _, _, _, a_free, b_free = (list(t) for t in dot_axes(a.ndim, b.ndim, dims))
    batch = [a.shape[i] for i in lb]
    size = lambda arr, axes: int(np.prod([arr.shape[i] for i in axes], dtype=np.int64))
    a2 = np.transpose(a, list(lb) + a_free + list(lc)).reshape(
        size(a, lb), size(a, a_free), size(a, lc))
    b2 = np.transpose(b, list(rb) + list(rc) + b_free).reshape(
        size(b, rb), size(b, rc), size(b, b_free))
    out = np.matmul(a2, b2)
    shape = batch + [a.shape[i] for i in a_free] + [b.shape[i] for i in b_free]
    return [out.reshape(shape).astype(a.dtype, copy=False)]


Primitive("dot_general", _dot_general_rule, dot_general_impl, DOT)
