"""The one explicit Numba signature of a generated entry function.

C-contiguous arrays of the exact rank and dtype, 0-d arrays for scalars, a tuple of
arrays as the result. An explicit signature compiles at import, rejects other layouts,
and gives the on-disk cache a single entry per module."""
from __future__ import annotations

from .scalars import numba_type


def array_type(aval) -> str:
    return f"nt.Array(nt.{numba_type(aval.dtype)}, {len(aval.shape)}, 'C')"


def signature_source(in_avals, out_avals) -> str:
    results = ", ".join(array_type(a) for a in out_avals)
    if len(out_avals) == 1:
        results += ","
    args = ", ".join(array_type(a) for a in in_avals)
    return f"nt.Tuple(({results}))({args})"
