"""More of NumPy's differentiable functions, each a composition of existing ones written
after NumPy's own source (its promotions included): NumPy 2's array-API names
(cumulative_sum/cumulative_prod, vecdot/matvec/vecmat), the NaN-ignoring nanprod,
nancumsum, nancumprod, nanvar, nanstd, the polynomial helpers polyadd, polysub, polyder,
polyint, vander, and cov/corrcoef (without weights)."""
from __future__ import annotations

import numpy as np

from . import _core
from ._core import asarray_traced, convert, implements, normalize_axis, reject_kwargs, shape
from .complex import conjugate, real
from .reductions import cumprod, cumsum, mean, prod, sum as _sum
from .shape import concatenate, expand_dims, reshape, squeeze, transpose
from .ufuncs import add, clip, greater, isnan, multiply, sqrt, subtract, true_divide
from .ufuncs import where as _where

_NoValue = np._NoValue


def _cumulative(np_fn, accumulate, neutral):
    def traced(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
        reject_kwargs(np_fn.__name__, out=out)
        x = asarray_traced(x)
        nd = len(shape(x))
        if axis is None:
            if nd > 1:
                raise ValueError("axis must be specified for multi-dimensional arrays")
            if nd == 0:
                x = reshape(x, (1,))
            axis = 0
        axis = normalize_axis(axis, max(nd, 1))
        result = accumulate(x, axis=axis, dtype=dtype)
        if include_initial:
            edge = list(shape(result))
            edge[axis] = 1
            result = concatenate((np.full(edge, neutral, dtype=result.dtype), result),
                                 axis=axis)
        return result
    traced.__name__ = np_fn.__name__
    return implements(np_fn)(traced)


cumulative_sum = _cumulative(np.cumulative_sum, cumsum, 0)
cumulative_prod = _cumulative(np.cumulative_prod, cumprod, 1)


def _conj_if_complex(x):
    return conjugate(x) if x.dtype.kind == "c" else x


def _gufunc(np_ufunc, body):
    def traced(x1, x2, /, out=None, **kwargs):
        reject_kwargs(np_ufunc.__name__, out=out, **{k: v for k, v in kwargs.items()
                                                      if k not in ("axis", "axes")})
        x1, x2 = asarray_traced(x1), asarray_traced(x2)
        for a in (x1, x2):
            if len(shape(a)) == 0:
                raise ValueError(f"{np_ufunc.__name__}: Input operand does not have enough "
                                 "dimensions")
        return body(x1, x2, **{k: v for k, v in kwargs.items() if k in ("axis", "axes")})
    traced.__name__ = np_ufunc.__name__
    return implements(np_ufunc)(traced)


def _vecdot(x1, x2, axis=-1, axes=None):
    if axes is not None:
        raise _core.unsupported("numpy.vecdot(..., axes=...)", "Use axis=.")
    return _sum(multiply(_conj_if_complex(x1), x2), axis=axis)


def _matvec(x1, x2, axes=None, axis=None):
    if axes is not None or axis is not None:
        raise _core.unsupported("numpy.matvec(..., axes=...)")
    return _sum(multiply(x1, expand_dims(x2, -2)), axis=-1)


def _vecmat(x1, x2, axes=None, axis=None):
    if axes is not None or axis is not None:
        raise _core.unsupported("numpy.vecmat(..., axes=...)")
    return _sum(multiply(expand_dims(_conj_if_complex(x1), -1), x2), axis=-2)


vecdot = _gufunc(np.vecdot, _vecdot)
matvec = _gufunc(np.matvec, _matvec)
vecmat = _gufunc(np.vecmat, _vecmat)


# -- NaN-ignoring ------------------------------------------------------------------

def _is_inexact(a):
    return a.dtype.kind in "fc"


def _without_nan(a, value):
    return _where(isnan(a), value, a) if _is_inexact(a) else a


@implements(np.nanprod)
def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    reject_kwargs("nanprod", out=out, initial=initial, where=where)
    return prod(_without_nan(asarray_traced(a), 1), axis=axis, dtype=dtype,
                keepdims=keepdims)


@implements(np.nancumsum)
def nancumsum(a, axis=None, dtype=None, out=None):
    reject_kwargs("nancumsum", out=out)
    return cumsum(_without_nan(asarray_traced(a), 0), axis=axis, dtype=dtype)


@implements(np.nancumprod)
def nancumprod(a, axis=None, dtype=None, out=None):
    reject_kwargs("nancumprod", out=out)
    return cumprod(_without_nan(asarray_traced(a), 1), axis=axis, dtype=dtype)


@implements(np.nanvar)
def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True,
           mean=_NoValue, correction=_NoValue):
    reject_kwargs("nanvar", out=out, where=where)
    if mean is not _NoValue:
        raise _core.unsupported("numpy.nanvar(..., mean=...)")
    if correction is not _NoValue:
        ddof = correction
    a = asarray_traced(a)
    if not _is_inexact(a):
        from .reductions import var
        return var(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims)
    present = ~isnan(a)
    total = _sum(_where(present, a, 0), axis=axis, dtype=dtype, keepdims=True)
    count = _sum(present, axis=axis, dtype=total.dtype, keepdims=True)
    centre = true_divide(total, count)
    dev = _where(present, subtract(a, centre), 0)
    square = real(multiply(conjugate(dev), dev)) if dev.dtype.kind == "c" else \
        multiply(dev, dev)
    sq = _sum(square, axis=axis, dtype=dtype, keepdims=keepdims)
    dof = subtract(_sum(present, axis=axis, dtype=sq.dtype, keepdims=keepdims), ddof)
    # dof <= 0 gives NaN, as NumPy (which also warns).
    positive = greater(dof, 0)
    return _where(positive, true_divide(sq, _where(positive, dof, 1)), np.nan)


@implements(np.nanstd)
def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True,
           mean=_NoValue, correction=_NoValue):
    return sqrt(nanvar(a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims,
                       where=where, mean=mean, correction=correction))


# -- polynomials ------------------------------------------------------------------

def _atleast_1d(a):
    a = asarray_traced(a)
    return reshape(a, (1,)) if len(shape(a)) == 0 else a


def _poly_sum(np_fn, combine):
    def traced(a1, a2):
        a1, a2 = _atleast_1d(a1), _atleast_1d(a2)
        diff = shape(a2)[0] - shape(a1)[0]
        if diff > 0:
            a1 = concatenate((np.zeros(diff, a1.dtype), a1))
        elif diff < 0:
            a2 = concatenate((np.zeros(-diff, a2.dtype), a2))
        return combine(a1, a2)
    traced.__name__ = np_fn.__name__
    return implements(np_fn)(traced)


polyadd = _poly_sum(np.polyadd, add)
polysub = _poly_sum(np.polysub, subtract)


@implements(np.polyder)
def polyder(p, m=1):
    m = int(m)
    if m < 0:
        raise ValueError("Order of derivative must be positive (see polyint)")
    p = asarray_traced(p)
    n = shape(p)[0] - 1
    y = multiply(p[:-1], np.arange(n, 0, -1))
    return y if m == 1 else (p if m == 0 else polyder(y, m - 1))


@implements(np.polyint)
def polyint(p, m=1, k=None):
    m = int(m)
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    if k is None:
        k = np.zeros(m, float)
    k = asarray_traced(k)
    if len(shape(k)) == 0:
        k = k * np.ones(m, float)
    if shape(k)[0] < m:
        raise ValueError("k must be a scalar or a rank-1 array of length 1 or >m.")
    p = asarray_traced(p)
    if m == 0:
        return p
    y = concatenate((true_divide(p, np.arange(shape(p)[0], 0, -1)), reshape(k[0], (1,))))
    return polyint(y, m - 1, k=k[1:])


@implements(np.vander)
def vander(x, N=None, increasing=False):
    x = asarray_traced(x)
    if len(shape(x)) != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    n = shape(x)[0] if N is None else int(N)
    dtype = np.promote_types(x.dtype, int)
    x = convert(x, dtype)
    if n == 0:
        return reshape(x[:0], (shape(x)[0], 0)) if shape(x)[0] == 0 else \
            multiply(expand_dims(x, 1), np.zeros((1, 0), dtype))
    # NumPy's multiply.accumulate of [1, x, x, ...] along each row.
    columns = [np.ones((shape(x)[0], 1), dtype)] + [expand_dims(x, 1)] * (n - 1)
    powers = cumprod(concatenate(columns, axis=1), axis=1)
    return powers if increasing else powers[:, ::-1]


# -- gradient --------------------------------------------------------------------------

def _take(f, axis, key):
    return f[(slice(None),) * axis + (key,)]


def _spacing(distances, length, np_diff):
    """A scalar step, or the differences of 1-D coordinates (a scalar if they are concrete
    and evenly spaced, as NumPy checks)."""
    if not _core.is_traced(distances):
        distances = np.asarray(distances)
        if distances.ndim == 0:
            return distances
    else:
        distances = asarray_traced(distances)
        if len(shape(distances)) == 0:
            return distances
    if len(shape(distances)) != 1:
        raise ValueError("distances must be either scalars or 1d")
    if shape(distances)[0] != length:
        raise ValueError("when 1d, distances must match the length of the corresponding "
                         "dimension")
    if distances.dtype.kind in "iub":
        distances = convert(asarray_traced(distances), np.float64) if _core.is_traced(
            distances) else distances.astype(np.float64)
    if not _core.is_traced(distances):
        step = np.diff(distances)
        return step[0] if (step == step[0]).all() else step
    return subtract(distances[1:], distances[:-1])


@implements(np.gradient)
def gradient(f, *varargs, axis=None, edge_order=1):
    """numpy.gradient: second-order central differences inside, first- or second-order
    one-sided ones at the edges; spacing a scalar per axis or coordinates (traced
    coordinates use the uneven formula even where they are evenly spaced)."""
    f = asarray_traced(f)
    nd = len(shape(f))
    axes = tuple(range(nd)) if axis is None else tuple(
        normalize_axis(a, nd) for a in ((axis,) if np.ndim(axis) == 0 else axis))
    n = len(varargs)
    if n == 0:
        steps = [1.0] * len(axes)
    elif n == 1 and np.ndim(varargs[0]) == 0:
        steps = [varargs[0]] * len(axes)
    elif n == len(axes):
        steps = [_spacing(d, shape(f)[a], np.diff) for d, a in zip(varargs, axes)]
    else:
        raise TypeError("invalid number of arguments")
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    out_dtype = np.float64 if f.dtype.kind in "iub" else f.dtype
    if f.dtype.kind in "iub":
        f = convert(f, np.float64)
    results = []
    for ax, h in zip(axes, steps):
        if shape(f)[ax] < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        uniform = np.ndim(h) == 0
        lo, mid, hi = (_take(f, ax, slice(None, -2)), _take(f, ax, slice(1, -1)),
                       _take(f, ax, slice(2, None)))
        if uniform:
            inside = true_divide(subtract(hi, lo), multiply(2.0, h))
        else:
            view = [1] * nd
            view[ax] = -1
            dx1, dx2 = h[:-1], h[1:]
            a = reshape(true_divide(-dx2, multiply(dx1, add(dx1, dx2))), view)
            b = reshape(true_divide(subtract(dx2, dx1), multiply(dx1, dx2)), view)
            c = reshape(true_divide(dx1, multiply(dx2, add(dx1, dx2))), view)
            inside = add(add(multiply(a, lo), multiply(b, mid)), multiply(c, hi))
        f0, f1, fn, fm = (_take(f, ax, slice(0, 1)), _take(f, ax, slice(1, 2)),
                          _take(f, ax, slice(-1, None)), _take(f, ax, slice(-2, -1)))
        if edge_order == 1:
            first = true_divide(subtract(f1, f0), h if uniform else h[0])
            last = true_divide(subtract(fn, fm), h if uniform else h[-1])
        else:
            f2, fl = _take(f, ax, slice(2, 3)), _take(f, ax, slice(-3, -2))
            if uniform:
                a, b, c = true_divide(-1.5, h), true_divide(2.0, h), true_divide(-0.5, h)
            else:
                dx1, dx2 = h[0], h[1]
                a = true_divide(-(2.0 * dx1 + dx2), multiply(dx1, add(dx1, dx2)))
                b = true_divide(add(dx1, dx2), multiply(dx1, dx2))
                c = true_divide(-dx1, multiply(dx2, add(dx1, dx2)))
            first = add(add(multiply(a, f0), multiply(b, f1)), multiply(c, f2))
            if uniform:
                a, b, c = true_divide(0.5, h), true_divide(-2.0, h), true_divide(1.5, h)
            else:
                dx1, dx2 = h[-2], h[-1]
                a = true_divide(dx2, multiply(dx1, add(dx1, dx2)))
                b = true_divide(-(dx2 + dx1), multiply(dx1, dx2))
                c = true_divide(2.0 * dx2 + dx1, multiply(dx2, add(dx1, dx2)))
            last = add(add(multiply(a, fl), multiply(b, fm)), multiply(c, fn))
        out = concatenate((first, inside, last), axis=ax)
        results.append(out if out.dtype == out_dtype else convert(out, out_dtype))
    return results[0] if len(axes) == 1 else tuple(results)


# -- shapes ------------------------------------------------------------------------------

@implements(np.unstack)
def unstack(x, /, *, axis=0):
    x = asarray_traced(x)
    if len(shape(x)) == 0:
        raise ValueError("Input array must be at least 1-d.")
    axis = normalize_axis(axis, len(shape(x)))
    return tuple(_take(x, axis, i) for i in range(shape(x)[axis]))


@implements(np.rollaxis)
def rollaxis(a, axis, start=0):
    a = asarray_traced(a)
    n = len(shape(a))
    axis = normalize_axis(axis, n)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise np.exceptions.AxisError(f"'start' arg requires {-n} <= start < {n + 1}, "
                                      f"but {start} was passed in")
    if axis < start:
        start -= 1
    if axis == start:
        return a
    axes = list(range(n))
    axes.remove(axis)
    axes.insert(start, axis)
    return transpose(a, axes)


def _block_depth(arrays, index=()):
    if type(arrays) is tuple:
        raise TypeError(f"{index} is a tuple. Only lists can be used to arrange blocks, "
                        "and np.block does not allow implicit conversion from tuple to "
                        "ndarray.")
    if type(arrays) is list:
        if not arrays:
            raise ValueError(f"List at {index} cannot be empty")
        depths = [_block_depth(a, index + (i,)) for i, a in enumerate(arrays)]
        if len({d for d, _ in depths}) != 1:
            raise ValueError("List depths are mismatched")
        return depths[0][0] + 1, max(n for _, n in depths)
    return 0, len(shape(asarray_traced(arrays)))


@implements(np.block)
def block(arrays):
    """numpy.block: the innermost lists concatenate along the last axis, the next ones
    along the one before, every block first raised to the result's dimensions."""
    depth, most = _block_depth(arrays)
    ndim = max(depth, most)

    def assemble(item, level):
        if level == depth:
            a = asarray_traced(item)
            return reshape(a, (1,) * (ndim - len(shape(a))) + tuple(shape(a)))
        parts = [assemble(x, level + 1) for x in item]
        return concatenate(parts, axis=-(depth - level))
    return assemble(arrays, 0)


# -- covariance ------------------------------------------------------------------

def _ndmin2(a, dtype):
    a = convert(asarray_traced(a), dtype)
    nd = len(shape(a))
    return reshape(a, (1,) * (2 - nd) + tuple(shape(a))) if nd < 2 else a


@implements(np.cov)
def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *,
        dtype=None):
    if fweights is not None or aweights is not None:
        raise _core.unsupported("numpy.cov(..., fweights=/aweights=)")
    if ddof is not None and ddof != int(ddof):
        raise ValueError("ddof must be integer")
    m = asarray_traced(m)
    if len(shape(m)) > 2:
        raise ValueError("m has more than 2 dimensions")
    if dtype is None:
        dtype = np.result_type(m.dtype, np.float64) if y is None else \
            np.result_type(m.dtype, asarray_traced(y).dtype, np.float64)
    x = _ndmin2(m, dtype)
    if not rowvar and shape(x)[0] != 1:
        x = transpose(x)
    if y is not None:
        yy = _ndmin2(y, dtype)
        if not rowvar and shape(yy)[0] != 1:
            yy = transpose(yy)
        x = concatenate((x, yy), axis=0)
    if ddof is None:
        ddof = 1 if bias == 0 else 0
    fact = max(shape(x)[1] - ddof, 0)             # NumPy warns at <= 0 and uses 0
    centred = subtract(x, mean(x, axis=1, keepdims=True))
    other = _conj_if_complex(transpose(centred))
    from .products import matmul
    c = multiply(matmul(centred, other), np.true_divide(1, fact) if fact else np.inf)
    return squeeze(c)


@implements(np.corrcoef)
def corrcoef(x, y=None, rowvar=True, bias=_NoValue, ddof=_NoValue, *, dtype=None):
    c = cov(x, y, rowvar, dtype=dtype)
    if len(shape(c)) == 0:
        return true_divide(c, c)
    from .diagonals import diagonal
    d = diagonal(c)
    stddev = sqrt(real(d) if d.dtype.kind == "c" else d)
    c = true_divide(true_divide(c, expand_dims(stddev, 1)), expand_dims(stddev, 0))
    if c.dtype.kind == "c":
        raise _core.unsupported("numpy.corrcoef of complex values")
    return clip(c, -1, 1)


__all__ = ["cumulative_sum", "cumulative_prod", "vecdot", "matvec", "vecmat", "nanprod",
           "nancumsum", "nancumprod", "nanvar", "nanstd", "polyadd", "polysub", "polyder",
           "polyint", "vander", "gradient", "unstack", "rollaxis", "block", "cov",
           "corrcoef"]
