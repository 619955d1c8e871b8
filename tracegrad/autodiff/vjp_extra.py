"""The VJP rule of sort (ir/sorting.py)."""
from __future__ import annotations

from .. import numpy as tnp
from .rules import defvjp


@defvjp("sort")
def _sort_vjp(ct, out, x, *, axis, index_dtype):
    # Sorted position i came from x[order[i]]: send each cotangent back to where its
    # value came from by gathering with the inverse permutation. The indices output is
    # integer and carries no cotangent.
    ct_values = ct[0]
    if ct_values is None:
        return (None,)
    order = out[1]
    inverse = tnp.argsort(order, axis=axis)
    return (tnp.take_along_axis(ct_values, inverse, axis=axis),)

