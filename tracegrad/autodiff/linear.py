"""The linear primitives: one rule serves both modes. A primitive linear in its operands
has the primitive itself as its JVP (applied to the tangents, zeros standing in for
symbolic-zero tangents), so only its transpose — the VJP — is written here, once.
dot_general is bilinear: its JVP applies it once per operand tangent."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from .. import lax
from ..ir import PRIMITIVES
from ..ir.kinds import ELEMENTWISE
from ..ir.reductions import dot_axes
from ..numpy.products import dot_general
from ..ir import is_float
from .jvp_rules import add_tangents, apply_primitive, defjvp
from .rules import defvjp, needs_aware, nondifferentiable
from .shapes import expand_reduced as _expand, shape_of as _shape

nondifferentiable("iota", "argmax", "argmin")

# name -> the operand positions it is linear in (None: all of them jointly), or BILINEAR
# (linear in each operand while the others are fixed). Transposing a traced linear
# function (transpose.py) checks its nodes against this.
BILINEAR = "bilinear"
LINEAR_IN: dict = {}


def deflinear(*names, linear=None, bilinear=False):
    """Register `transpose` (ct, y, *inputs, **params) -> input cotangents as the VJP of
    `names`, and the primitive itself as their JVP. `linear`: the operand positions it is
    linear in (default: all; the others, like indices, pass through as they are)."""
    def register(transpose):
        for name in names:
            LINEAR_IN[name] = BILINEAR if bilinear else (tuple(linear) if linear else None)
            defvjp(name)(transpose)
            defjvp(name)(_multilinear_jvp(name) if bilinear else _linear_jvp(name, linear))
        return transpose
    return register


def _zero_like(t, x, elementwise):
    """t, or a zero for its symbolic zero (a scalar where broadcasting makes one do)."""
    if t is not None:
        return t
    # A zero of x's dtype: the primitive takes no promotion (a Python 0.0 is float64).
    return np.zeros((), np.dtype(x.dtype)) if elementwise else tnp.zeros_like(x)


def _linear_jvp(name, linear):
    elementwise = PRIMITIVES[name].kind == ELEMENTWISE

    def rule(tangents, y, *inputs, **params):
        if not is_float(y.dtype):
            return None                           # integer and bool results: no tangent
        args = [_zero_like(t, x, elementwise) if linear is None or i in linear else x
                for i, (t, x) in enumerate(zip(tangents, inputs))]
        return apply_primitive(name, args, params)
    return rule


def _multilinear_jvp(name):
    def rule(tangents, y, *inputs, **params):
        terms = []
        for i, t in enumerate(tangents):
            if t is not None:
                args = list(inputs)
                args[i] = t
                terms.append(apply_primitive(name, args, params))
        return add_tangents(*terms)
    return rule


# ---- elementwise -----------------------------------------------------------------------

@deflinear("neg")
def _neg(ct, y, x):
    return (tnp.negative(ct),)


@deflinear("add")
def _add(ct, y, a, b):
    return ct, ct


@deflinear("sub")
@needs_aware
def _sub(ct, y, a, b, needs=(True, True)):
    return ct, (tnp.negative(ct) if needs[1] else None)


@deflinear("convert")
def _convert(ct, y, x, *, dtype, weak=False):
    x_dtype = np.dtype(x.dtype)
    if not is_float(x_dtype):
        return (None,)
    return (_cast(ct, x_dtype),)


def _cast(t, dtype):
    """t as dtype; complex to real takes the real part explicitly (the transpose of
    real -> complex, as JAX's), never NumPy's discarding cast and its warning."""
    if np.dtype(t.dtype).kind == "c" and dtype.kind != "c":
        t = tnp.real(t)
    return t.astype(dtype) if t.dtype != dtype else t


@defjvp("convert")
def _convert_jvp(tangents, y, x, *, dtype, weak=False):
    if not is_float(y.dtype) or tangents[0] is None:
        return None
    return lax.convert(_cast(tangents[0], np.dtype(dtype)), dtype, weak)


@deflinear("select", linear=(1, 2))
def _select(ct, y, pred, on_true, on_false):
    # Picks tangents as it picks values: the untaken branch's tangent (even inf/NaN)
    # never reaches the output, which makes `where`-guarded derivatives NaN-free.
    return None, tnp.where(pred, ct, 0.0), tnp.where(pred, 0.0, ct)


# ---- data movement ---------------------------------------------------------------------

@deflinear("broadcast_in_dim")
def _broadcast_in_dim(ct, y, x, *, shape, dims):
    x_shape = _shape(x)
    summed = tuple(d for d in range(len(shape)) if d not in dims) + tuple(
        d for i, d in enumerate(dims) if x_shape[i] == 1 and shape[d] != 1)
    return (tnp.reshape(tnp.sum(ct, axis=summed), x_shape) if summed else
            tnp.reshape(ct, x_shape),)


@deflinear("reshape")
def _reshape(ct, y, x, *, shape):
    return (tnp.reshape(ct, _shape(x)),)


@deflinear("transpose")
def _transpose(ct, y, x, *, perm):
    return (tnp.transpose(ct, tuple(int(i) for i in np.argsort(perm))),)


def _dilate(ct, axis, step):
    """Insert step-1 zeros between elements along `axis` (transpose of a strided slice)."""
    n = ct.shape[axis]
    if n == 0 or step == 1:
        return ct
    zeros = tnp.zeros_like(ct)
    parts = [tnp.expand_dims(ct, axis + 1)] + [tnp.expand_dims(zeros, axis + 1)] * (step - 1)
    woven = tnp.concatenate(parts, axis=axis + 1)
    flat = tnp.reshape(woven, ct.shape[:axis] + (n * step,) + ct.shape[axis + 1:])
    index = (slice(None),) * axis + (slice(0, (n - 1) * step + 1),)
    return flat[index]


@deflinear("slice")
def _slice(ct, y, x, *, dims):
    x_shape = _shape(x)
    widths = []
    for axis, ((start, step, count), n) in enumerate(zip(dims, x_shape)):
        if count == 0:
            return (tnp.zeros_like(x, dtype=ct.dtype) if hasattr(x, "aval") else
                    np.zeros(x_shape, ct.dtype),)
        if step < 0:   # reverse, then treat as a forward slice from the last element
            ct = ct[(slice(None),) * axis + (slice(None, None, -1),)]
            start, step = start + (count - 1) * step, -step
        ct = _dilate(ct, axis, step)
        covered = (count - 1) * step + 1
        widths.append((start, n - start - covered))
    return (lax.pad(ct, np.zeros((), ct.dtype), widths),)


@deflinear("pad")
def _pad(ct, y, x, value, *, widths):
    # Linear in both the padded array and the padding value.
    x_shape = _shape(x)
    inner = ct[tuple(slice(lo, lo + n) for (lo, _), n in zip(widths, x_shape))]
    return inner, tnp.sum(ct) - tnp.sum(inner)


@deflinear("concatenate")
def _concatenate(ct, y, *xs, axis):
    cts, start = [], 0
    for x in xs:
        n = _shape(x)[axis]
        cts.append(ct[(slice(None),) * axis + (slice(start, start + n),)])
        start += n
    return tuple(cts)


@deflinear("gather", linear=(0,))
def _gather(ct, y, x, idx):
    zeros = tnp.zeros_like(x, dtype=ct.dtype) if hasattr(x, "aval") else \
        np.zeros(_shape(x), ct.dtype)
    return lax.scatter_add(zeros, idx, ct), None


@deflinear("scatter_add", linear=(0, 2))
def _scatter_add(ct, y, x, idx, updates):
    return ct, None, lax.gather(ct, idx)


def _zeros_for(ct, shape):
    """Zeros of ct's dtype, recorded where ct lives (a broadcast scalar, not a constant)."""
    return lax.broadcast_in_dim(np.zeros((), ct.dtype), shape, (), like=ct)


# The starts reaching these rules were already wrapped by the lax functions; passing
# them on with allow_negative_indices=False clamps them exactly as the primal did.
@deflinear("dynamic_slice", linear=(0,))
def _dynamic_slice(ct, y, x, *starts, slice_sizes):
    placed = lax.dynamic_update_slice(_zeros_for(ct, _shape(x)), ct, starts,
                                      allow_negative_indices=False)
    return (placed,) + (None,) * len(starts)


@deflinear("dynamic_update_slice", linear=(0, 1))
def _dynamic_update_slice(ct, y, x, update, *starts):
    size = _shape(update)
    ct_x = lax.dynamic_update_slice(ct, _zeros_for(ct, size), starts,
                                    allow_negative_indices=False)
    ct_update = lax.dynamic_slice(ct, starts, size, allow_negative_indices=False)
    return (ct_x, ct_update) + (None,) * len(starts)


# ---- reductions and scans --------------------------------------------------------------

@deflinear("reduce_sum")
def _reduce_sum(ct, y, x, *, axes):
    return (_expand(ct, _shape(x), axes),)


@deflinear("cumsum")
def _cumsum(ct, y, x, *, axis, reverse):
    return (lax.cumulative("cumsum", ct, axis, not reverse),)


# ---- products --------------------------------------------------------------------------

@deflinear("dot_general", bilinear=True)
def _dot_general(ct, y, a, b, *, dims):
    lc, rc, lb, rb, a_free, b_free = (list(t) for t in dot_axes(
        len(_shape(a)), len(_shape(b)), dims))
    g_batch = list(range(len(lb)))
    g_afree = list(range(len(lb), len(lb) + len(a_free)))
    g_bfree = list(range(len(lb) + len(a_free), len(lb) + len(a_free) + len(b_free)))
    # d a: contract ct's b-free dims with b's free dims; a's contracted dims come last,
    # ordered as b's contracted dims appear in b.
    da = dot_general(ct, b, (g_bfree, b_free), (g_batch, list(rb)))
    a_order = list(lb) + a_free + [lc[k] for k in np.argsort(rc)]
    da = tnp.transpose(da, tuple(int(i) for i in np.argsort(a_order)))
    db = dot_general(a, ct, (a_free, g_afree), (list(lb), g_batch))
    b_order = list(rb) + [rc[k] for k in np.argsort(lc)] + b_free
    db = tnp.transpose(db, tuple(int(i) for i in np.argsort(b_order)))
    return da, db
