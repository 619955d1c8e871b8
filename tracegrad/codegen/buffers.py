"""Memory planning: where every materialized value lives.

Program inputs are read in place (flat views); program outputs get fresh arrays; every
other materialized value and every kernel scratch buffer gets a slice of one workspace
array per dtype. Slices whose lifetimes (first to last kernel that touches them) do not
overlap share memory: first fit, in kernel order."""
from __future__ import annotations

import dataclasses

import numpy as np

from ..ir import Value
from .scalars import short


@dataclasses.dataclass
class Memory:
    location: dict                   # Value -> (array name, offset)
    scratch_location: dict           # (kernel id, slot) -> (array name, offset)
    arenas: dict                     # dtype -> elements
    outputs: dict                    # output position -> Value computed into out<j>

    def buffer(self, value: Value):
        return self.location[value]

    def scratch(self, kernel, slot, dtype, size):
        return self.scratch_location[(kernel.id, slot)]


def arena_name(dtype) -> str:
    return f"ws_{short(dtype)}"


def plan_memory(plan, names, scratch_requests) -> Memory:
    """scratch_requests: {(kernel id, slot): (dtype, size)} gathered from the builders."""
    location = {}
    for v in plan.graph.inputs + [v for v, _ in plan.graph.consts]:
        location[v] = (names.of(v) + "_f", 0)
    outputs = {}
    for j, v in enumerate(plan.graph.outputs):
        if isinstance(v, Value) and v in plan.producer and v not in location:
            location[v] = (f"out{j}", 0)
            outputs[j] = v
    position = {k.id: i for i, k in enumerate(plan.kernels)}
    requests = []                    # (start, end, key, dtype, size)
    for v in plan.materialized:
        if v in location:
            continue
        start = position[plan.kernel_of[v].id]
        readers = [position[k.id] for k in plan.kernels if v in k.reads]
        requests.append((start, max([start] + readers), ("value", v), v.aval.dtype,
                         v.aval.size))
    for (kid, slot), (dtype, size) in scratch_requests.items():
        requests.append((position[kid], position[kid], ("scratch", kid, slot),
                         np.dtype(dtype), size))
    requests.sort(key=lambda r: (r[0], r[1], str(r[2][1:])))
    live: dict = {}                  # dtype -> list of (offset, size, end)
    arenas: dict = {}
    scratch_location = {}
    for start, end, key, dtype, size in requests:
        intervals = [iv for iv in live.get(dtype, []) if iv[2] >= start]
        offset = _first_fit(intervals, size)
        intervals.append((offset, size, end))
        live[dtype] = intervals
        arenas[dtype] = max(arenas.get(dtype, 0), offset + size)
        where = (arena_name(dtype), offset)
        if key[0] == "value":
            location[key[1]] = where
        else:
            scratch_location[key[1:]] = where
    return Memory(location, scratch_location, arenas, outputs)


def _first_fit(intervals, size) -> int:
    """Lowest offset where [offset, offset + size) overlaps no live interval. A kernel's
    inputs are still live when its outputs are placed, so they never alias."""
    offset = 0
    for start, length, _ in sorted(intervals):
        if offset + size <= start:
            break
        offset = max(offset, start + length)
    return offset
