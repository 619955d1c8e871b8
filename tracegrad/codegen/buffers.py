"""Memory planning: where every buffer a kernel touches lives.

Program inputs and constants are read in place; program outputs get fresh arrays; every
other materialized value and every kernel scratch slot gets a slice of one workspace
(bytes, slices 64-byte aligned). Slices whose lifetimes (first to last kernel that touches
them) do not overlap share memory: first fit over the free holes, in kernel order. A kernel's inputs are
still live when its outputs are placed, so what one kernel reads and writes never
aliases (its pointer parameters are `noalias`)."""
from __future__ import annotations

import bisect
import dataclasses
import heapq

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
    arena = _Arena()
    for start, end, key, size in requests:
        location[key] = ("workspace", arena.allocate(start, end, size))
    return Memory(location, arena.top, outputs)


class _Arena:
    """First-fit allocation of aligned byte ranges that live from one kernel position to
    another. Requests come in order of their start; ranges whose end has passed become
    holes. Cost per request: the number of holes, not the number of live ranges."""

    def __init__(self):
        self.top = 0
        self.holes: list = []             # sorted (offset, size) of free ranges below top
        self.expiring: list = []          # heap of (end, offset, size)

    def allocate(self, start: int, end: int, size: int) -> int:
        while self.expiring and self.expiring[0][0] < start:
            _, offset, length = heapq.heappop(self.expiring)
            self._free(offset, length)
        size = max(-(-size // ALIGN) * ALIGN, ALIGN)
        for i, (offset, length) in enumerate(self.holes):
            if length >= size:
                if length == size:
                    del self.holes[i]
                else:
                    self.holes[i] = (offset + size, length - size)
                break
        else:
            offset = self.top
            if self.holes and self.holes[-1][0] + self.holes[-1][1] == self.top:
                offset = self.holes.pop()[0]     # extend the last hole upward
            self.top = offset + size
        heapq.heappush(self.expiring, (end, offset, size))
        return offset

    def _free(self, offset: int, size: int):
        i = bisect.bisect(self.holes, (offset, size))
        if i < len(self.holes) and offset + size == self.holes[i][0]:
            size += self.holes.pop(i)[1]                 # merge with the next hole
        if i > 0 and self.holes[i - 1][0] + self.holes[i - 1][1] == offset:
            offset, size = self.holes[i - 1][0], self.holes[i - 1][1] + size
            self.holes.pop(i - 1)
            i -= 1
        self.holes.insert(i, (offset, size))


def _order(key):
    return (1, key[0], key[1]) if isinstance(key, tuple) else (0, key.id, "")
