"""Shape helpers shared by the VJP and JVP rules."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp


def shape_of(x) -> tuple:
    """The shape of an array, NumPy scalar or tracer."""
    return tuple(np.shape(x)) if not hasattr(x, "aval") else x.shape


def expand_reduced(reduced, x_shape, axes):
    """Put the reduced axes back as size-1 dims, then broadcast to x's shape."""
    kept = tnp.reshape(reduced, [1 if i in axes else n for i, n in enumerate(x_shape)])
    return tnp.broadcast_to(kept, x_shape)
