"""The contract between code generation and the runtime.

`lower_graph(graph)` (codegen) turns an optimized ir.Graph into a `Lowered` program: the
text of one self-contained Python module that defines one Numba-compiled entry function.
The runtime writes that text to `<cache dir>/<key>.py`, imports it (Numba's `cache=True`
then stores machine code beside it), and calls the entry.

Calling convention of the entry function named `entry`:
    outputs = module.<entry>(in_0, ..., in_{n-1}, const_0, ..., const_{m-1})
- in_i: C-contiguous ndarrays of exactly in_avals[i] (shape and dtype; 0-d arrays for
  scalars); const_j: the arrays in `consts`, same contract. The runtime checks/converts.
- returns a tuple of len(out_avals) fresh ndarrays (0-d arrays for scalars), never views
  of the inputs.
- the decorator carries one explicit Numba signature (no lazy multi-signature dispatch).
"""
from __future__ import annotations

import dataclasses
import hashlib

import numpy as np

from ..ir import Aval, Graph


@dataclasses.dataclass(frozen=True)
class Kernel:
    """One fused loop nest (or BLAS call, or other kernel kind) of a program."""
    kind: str                       # 'elementwise', 'reduction', 'dot', 'copy', ...
    primitives: tuple               # names of the primitives it computes, in order
    locations: tuple                # the user's source lines ('file.py:12') it came from
    shape: tuple                    # its iteration space
    not_fused: tuple = ()           # (neighbouring primitive, reason) pairs

    def __str__(self):
        reasons = "".join(f"\n    not fused with {p}: {r}" for p, r in self.not_fused)
        return f"{self.kind}{list(self.shape)}: {' '.join(self.primitives)}{reasons}"


@dataclasses.dataclass(frozen=True)
class Lowered:
    graph: Graph                    # the graph that was lowered
    source: str                     # the complete generated module
    entry: str                      # name of the entry function in the module
    kernels: tuple                  # Kernel descriptions, in execution order
    in_avals: tuple                 # avals of the runtime arguments, in order
    out_avals: tuple                # avals of the results, in order
    consts: tuple                   # arrays passed after the inputs (graph constants)

    @property
    def key(self) -> str:
        """sha256 of the source: names the module file. The runtime adds versions and
        the host CPU to the cache directory layout."""
        return hashlib.sha256(self.source.encode()).hexdigest()


__all__ = ["Kernel", "Lowered", "Aval", "np"]
