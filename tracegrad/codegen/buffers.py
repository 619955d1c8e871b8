"""Memory planning: where every buffer a kernel touches lives.

Program inputs and constants are read in place; program outputs get fresh arrays; every
other materialized value and every kernel scratch slot gets a slice of one workspace
(bytes, slices 64-byte aligned). Slices whose lifetimes (first to last kernel that touches
them) do not overlap share memory: first fit, in kernel order. A kernel's inputs are
still live when its outputs are placed, so what one kernel reads and writes never
aliases (its pointer parameters are `noalias`)."""
from __future__ import annotations

import dataclasses

from ..ir import Value

ALIGN = 64


@dataclasses.dataclass
class Memory:
    location: dict                   # Value or (kernel id, slot) -> (array kind, index/offset)
    workspace: int                   # bytes
    outputs: dict                    # output position -> Value computed into that output

    def of(self, kernel_id, key):
        """(array kind, index, byte offset) of one parameter of a kernel (see
        KernelFunction.args)."""
        if key[0] == "value":
            return self.location[key[1]] + (0,)
        if key[0] == "view":
            return self.location[key[1]] + (key[2] * key[1].aval.dtype.itemsize,)
        return self.location[(kernel_id, key[1])] + (0,)


def plan_memory(graph, producer, kernels) -> Memory:
    """kernels: [(kernel id, KernelFunction)] in execution order."""
    location = {}
    for i, v in enumerate(graph.inputs):
        location[v] = ("input", i)
    for j, (v, _) in enumerate(graph.consts):
        location[v] = ("const", j)
    outputs = {}
    for j, v in enumerate(graph.outputs):
        if isinstance(v, Value) and v in producer and v not in location:
            location[v] = ("output", j)
            outputs[j] = v
    first, last = {}, {}
    requests = []                    # (start, end, key, bytes)
    for position, (kid, kf) in enumerate(kernels):
        for key in kf.args:
            if key[0] in ("value", "view"):
                v = key[1]
                if v not in location:
                    first.setdefault(v, position)
                    last[v] = position
            else:
                _, slot, dtype, size = key
                requests.append((position, position, (kid, slot), dtype.itemsize * size))
    for v, start in first.items():
        requests.append((start, last[v], v, v.aval.dtype.itemsize * v.aval.size))
    requests.sort(key=lambda r: (r[0], r[1], _order(r[2])))
    live: list = []                  # (offset, bytes, end)
    workspace = 0
    for start, end, key, size in requests:
        live = [iv for iv in live if iv[2] >= start]
        offset = _first_fit(live, size)
        live.append((offset, size, end))
        workspace = max(workspace, offset + size)
        location[key] = ("workspace", offset)
    return Memory(location, workspace, outputs)


def _order(key):
    return (1, key[0], key[1]) if isinstance(key, tuple) else (0, key.id, "")


def _first_fit(intervals, size) -> int:
    """Lowest aligned offset where [offset, offset + size) overlaps no live interval."""
    offset = 0
    for start, length, _ in sorted(intervals):
        if offset + size <= start:
            break
        offset = max(offset, -(-(start + length) // ALIGN) * ALIGN)
    return offset
