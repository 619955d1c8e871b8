"""Typed wrappers of the primitives (see tracegrad/lax/__init__.py)."""
from __future__ import annotations

import numpy as np

from ..ir import PRIMITIVES
from ..tracer import aval_of, bind


def apply(name: str, *operands, like=None, **params):
    """Primitive `name` on `operands` with `params` (the result, or a list of them)."""
    return bind(PRIMITIVES[name], list(operands), params, like=like)


def _dims(dims):
    (lc, rc), (lb, rb) = dims
    return (tuple(lc), tuple(rc)), (tuple(lb), tuple(rb))


# ---- elementwise ------------------------------------------------------------------------

def convert(x, dtype, weak=False, like=None):
    return apply("convert", x, dtype=np.dtype(dtype), weak=bool(weak), like=like)


def real(x):
    return apply("real", x)


def imag(x):
    return apply("imag", x)


def conj(x):
    return apply("conj", x)


def complex(re, im):           # noqa: A001  (the primitive's name, as lax.complex)
    """re + 1j * im from two real arrays of one dtype (exact: no multiplication)."""
    return apply("complex", re, im)


def select(pred, on_true, on_false):
    return apply("select", pred, on_true, on_false)


def stop_gradient(x):
    return apply("stop_gradient", x)


def polygamma(x, order: int):
    return apply("polygamma", x, order=int(order))


def erf_inv(x):
    return apply("erf_inv", x)


# ---- integer bits -------------------------------------------------------------------------

def shift_left(x, y):
    return apply("shift_left", x, y)


def _shift_right_as(kind: str, x, y):
    """x >> y computed on x's bits read as the integer type of `kind` ("u": zeros shift
    in, "i": copies of the sign bit), as JAX's shift_right_logical/_arithmetic."""
    dtype = aval_of(x).dtype
    if dtype.kind == kind:
        return apply("shift_right", x, y)
    as_kind = np.dtype(f"{kind}{dtype.itemsize}")
    return convert(apply("shift_right", convert(x, as_kind), convert(y, as_kind)), dtype)


def shift_right_logical(x, y):
    return _shift_right_as("u", x, y)


def shift_right_arithmetic(x, y):
    return _shift_right_as("i", x, y)


def threefry2x32(k0, k1, x0, x1):
    """Block (x0, x1) encrypted under key (k0, k1), all uint32 -> uint64 y0 << 32 | y1."""
    return apply("threefry2x32", k0, k1, x0, x1)


# ---- data movement ----------------------------------------------------------------------

def broadcast_in_dim(x, shape, dims, like=None):
    return apply("broadcast_in_dim", x, shape=tuple(int(n) for n in shape),
                 dims=tuple(int(d) for d in dims), like=like)


def reshape(x, shape):
    return apply("reshape", x, shape=tuple(int(n) for n in shape))


def transpose(x, perm):
    return apply("transpose", x, perm=tuple(int(p) for p in perm))


def slice(x, dims):            # noqa: A001  (the primitive's name, as lax.slice)
    """dims: one (start, step, count) per axis."""
    return apply("slice", x, dims=tuple(tuple(int(v) for v in d) for d in dims))


def pad(x, value, widths):
    return apply("pad", x, value, widths=tuple((int(lo), int(hi)) for lo, hi in widths))


def concatenate(xs, axis: int):
    return apply("concatenate", *xs, axis=int(axis))


def gather(x, idx):
    return apply("gather", x, idx)


def scatter_add(x, idx, updates, like=None):
    return apply("scatter_add", x, idx, updates, like=like)


def iota(dtype, shape, dimension: int, like=None):
    return apply("iota", dtype=np.dtype(dtype), shape=tuple(int(n) for n in shape),
                 dimension=int(dimension), like=like)


# ---- reductions, scans, products, sorting ----------------------------------------------

def reduce(op: str, x, axes):
    """op: 'sum', 'prod', 'max' or 'min'."""
    return apply(f"reduce_{op}", x, axes=tuple(int(a) for a in axes))


def argreduce(op: str, x, axis: int, index_dtype=np.intp):
    """op: 'argmax' or 'argmin'."""
    return apply(op, x, axis=int(axis), index_dtype=np.dtype(index_dtype))


def cumulative(op: str, x, axis: int, reverse: bool = False):
    """op: 'cumsum' or 'cumprod'."""
    return apply(op, x, axis=int(axis), reverse=bool(reverse))


def dot_general(a, b, dims):
    """dims: ((a's contracted axes, b's), (a's batch axes, b's))."""
    return apply("dot_general", a, b, dims=_dims(dims))


def sort(x, axis: int, index_dtype=np.intp):
    """[sorted values, the permutation] along `axis` (stable; NaNs last)."""
    return apply("sort", x, axis=int(axis), index_dtype=np.dtype(index_dtype))


__all__ = ["apply", "convert", "real", "imag", "conj", "complex", "select", "stop_gradient", "polygamma", "erf_inv", "shift_left",
           "shift_right_logical", "shift_right_arithmetic", "threefry2x32", "broadcast_in_dim",
           "reshape", "transpose", "slice", "pad", "concatenate", "gather", "scatter_add",
           "iota", "reduce", "argreduce", "cumulative", "dot_general", "sort"]
