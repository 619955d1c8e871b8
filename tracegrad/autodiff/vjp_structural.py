"""VJP rules of the data-movement primitives: each is the transpose of a linear map."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from ..numpy.products import dot_general
from ..tracer import bind
from ..ir import PRIMITIVES
from .rules import defvjp, nondifferentiable
from .shapes import shape_of as _shape

nondifferentiable("iota", "argmax", "argmin")


@defvjp("broadcast_in_dim")
def _broadcast_in_dim(ct, y, x, *, shape, dims):
    x_shape = _shape(x)
    summed = tuple(d for d in range(len(shape)) if d not in dims) + tuple(
        d for i, d in enumerate(dims) if x_shape[i] == 1 and shape[d] != 1)
    return (tnp.reshape(tnp.sum(ct, axis=summed), x_shape) if summed else
            tnp.reshape(ct, x_shape),)


@defvjp("reshape")
def _reshape(ct, y, x, *, shape):
    return (tnp.reshape(ct, _shape(x)),)


@defvjp("transpose")
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


@defvjp("slice")
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
    return (bind(PRIMITIVES["pad"], [ct, np.zeros((), ct.dtype)],
                 dict(widths=tuple(widths))),)


@defvjp("pad")
def _pad(ct, y, x, value, *, widths):
    x_shape = _shape(x)
    inner = ct[tuple(slice(lo, lo + n) for (lo, _), n in zip(widths, x_shape))]
    return inner, tnp.sum(ct) - tnp.sum(inner)


@defvjp("concatenate")
def _concatenate(ct, y, *xs, axis):
    cts, start = [], 0
    for x in xs:
        n = _shape(x)[axis]
        cts.append(ct[(slice(None),) * axis + (slice(start, start + n),)])
        start += n
    return tuple(cts)


@defvjp("gather")
def _gather(ct, y, x, idx):
    zeros = tnp.zeros_like(x, dtype=ct.dtype) if hasattr(x, "aval") else \
        np.zeros(_shape(x), ct.dtype)
    return bind(PRIMITIVES["scatter_add"], [zeros, idx, ct]), None


@defvjp("scatter_add")
def _scatter_add(ct, y, x, idx, updates):
    return ct, None, bind(PRIMITIVES["gather"], [ct, idx])


@defvjp("dot_general")
def _dot_general(ct, y, a, b, *, dims):
    (lc, rc), (lb, rb) = dims
    na, nb = len(_shape(a)), len(_shape(b))
    a_free = [i for i in range(na) if i not in lc + lb]
    b_free = [i for i in range(nb) if i not in rc + rb]
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
