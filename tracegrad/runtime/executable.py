"""A loaded program with its calling convention: arrays in, pytree of arrays out."""
from __future__ import annotations

import numpy as np

from ..tracer import tree_unflattener
from .program_cache import TICK


def unflattener(out_tree):
    """The cheapest way to turn the entry's tuple of arrays into the result pytree."""
    if out_tree.kind is None:
        return lambda outs: outs[0]
    if out_tree.kind is tuple and all(c.kind is None for c in out_tree.children):
        return lambda outs: outs
    return tree_unflattener(out_tree)


class Executable:
    """Calls the Numba entry of one program (one signature of a compiled function)."""

    last_used = 0                               # ProgramCache's LRU stamp, set per call

    def __init__(self, program, loaded):
        lowered = program.lowered
        self.program = program
        self.in_avals = lowered.in_avals
        self.origin = loaded.origin               # memory / disk / compiled
        self.load_timings = loaded.timings
        self.dispatcher = loaded.entry
        consts = lowered.consts
        entry = loaded.entry
        # Bind the constants once so a call passes only the user's arrays.
        self._entry = entry if not consts else (lambda *a: entry(*a, *consts))
        self._unflatten = unflattener(program.out_tree)

    def call_arrays(self, arrays):
        """Hot path: ndarrays whose shapes and dtypes match the signature. Numba's
        dispatcher checks every argument's type and layout; it rejects a non-contiguous or
        read-only array with TypeError, the only case that reaches the conversion."""
        self.last_used = next(TICK)
        try:
            outs = self._entry(*arrays)
        except TypeError:
            outs = self._entry(*self.convert(arrays))
        return self._unflatten(outs)

    def call_leaves(self, leaves):
        """Any leaves of the signature: Python and NumPy scalars, strided or
        non-native-byte-order arrays are converted first."""
        self.last_used = next(TICK)
        return self._unflatten(self._entry(*self.convert(leaves)))

    def convert(self, leaves) -> list:
        return [as_argument(x, a.dtype) for x, a in zip(leaves, self.in_avals)]


def as_argument(x, dtype) -> np.ndarray:
    """A C-contiguous, writeable, native ndarray of `dtype` (Numba types read-only arrays
    differently, so those are copied too)."""
    if type(x) is np.ndarray and x.dtype == dtype and x.flags.c_contiguous \
            and x.flags.writeable:
        return x
    x = np.asarray(x, dtype=dtype, order="C")
    return x if x.flags.writeable else x.copy()
