"""Shape helpers shared by the VJP and JVP rules."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from ..numpy._core import broadcast_to_shape


def shape_of(x) -> tuple:
    """The shape of an array, NumPy scalar or tracer."""
    return tuple(np.shape(x)) if not hasattr(x, "aval") else x.shape


def expand_reduced(reduced, x_shape, axes):
    """Put the reduced axes back as size-1 dims, then broadcast to x's shape."""
    if len(axes) == len(x_shape) and np.ndim(reduced) == 0:
        # A full reduction (a loss's sum): the one value repeated, with no size-1 dims
        # between. Concrete, a filled array (a fraction of np.broadcast_to's cost);
        # traced, one broadcast.
        if isinstance(reduced, (np.generic, np.ndarray)):
            out = np.empty(x_shape, reduced.dtype)
            out.fill(reduced)
            return out
        return broadcast_to_shape(reduced, x_shape)
    kept = tnp.reshape(reduced, [1 if i in axes else n for i, n in enumerate(x_shape)])
    return tnp.broadcast_to(kept, x_shape)
