"""Creation functions beyond the core: tri and indices (shapes only, so NumPy's own),
meshgrid and logspace (traceable in their inputs), numpy.astype, and the dispatch entry
for numpy.empty_like."""
from __future__ import annotations

import numpy as np

from . import _core
from ._core import asarray_traced, broadcast_to_shape, convert, implements, shape
from . import creation
from .creation import linspace
from .ufuncs import power

# Static shapes in, constant arrays out: these never see a traced value.
tri, indices = np.tri, np.indices


@implements(np.meshgrid)
def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    ndim = len(xi)
    flat = [_core.reshape(asarray_traced(x), (-1,)) for x in xi]
    outputs = []
    for i, x in enumerate(flat):
        view = [1] * ndim
        view[i] = shape(x)[0]
        outputs.append(_core.reshape(x, view))
    if indexing == "xy" and ndim > 1:
        # Cartesian indexing swaps the first two axes.
        for k, out in enumerate(outputs):
            s = list(shape(out))
            s[0], s[1] = s[1], s[0]
            outputs[k] = _core.reshape(out, s)
    if sparse:
        return tuple(outputs)
    target = np.broadcast_shapes(*[shape(o) for o in outputs])
    return tuple(broadcast_to_shape(o, target) for o in outputs)


@implements(np.logspace)
def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    exponents = linspace(start, stop, num=num, endpoint=endpoint, axis=axis)
    out = power(base, exponents)
    return convert(out, dtype, weak=False) if dtype is not None else out


@implements(np.astype)
def astype(x, dtype, /, *, copy=True, device=None):
    return convert(asarray_traced(x), np.dtype(dtype), weak=False)


# np.empty_like(tracer) must dispatch too; traced "empty" memory is zeros.
empty_like = implements(np.empty_like)(creation.empty_like)
