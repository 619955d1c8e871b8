"""When a loop nest runs its outermost loop with prange.

Threads multiply Numba's compile time (~10x) and cost microseconds to enter, so a nest is
parallel only when threads are configured and its work is large, and only when its outer
loop iterations write disjoint memory."""
from __future__ import annotations

# Elements times cost per element below which a parallel region does not pay off.
MIN_PARALLEL_WORK = 1 << 18


def decide(nest, threads: int, uses: list) -> bool:
    if threads <= 0 or nest.depth == 0 or nest.loops[0][2]:
        return False
    if nest.trips(nest.depth) * max(len(nest.nodes), 1) < MIN_PARALLEL_WORK:
        return False
    if not nest.parallel_safe():
        return False
    uses.append(nest)
    return True
