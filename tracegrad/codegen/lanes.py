"""Float sums and products over the innermost loop, split into independent lanes.

Why: Numba cannot put LLVM's 'reassoc' flag on one loop only, and without it LLVM keeps a
float reduction in source order: one scalar add chain, and the whole loop stays scalar.
Blocking the innermost loop in groups of LANES, with element j of a group added into
partial result j, gives an inner loop with no loop-carried dependence, which LLVM
vectorizes like any elementwise loop; the partials are combined pairwise at the end, which
is also more accurate than one long chain. The visiting order of elements is unchanged, so
stores, argmax and scans in the same loop behave exactly as before."""
from __future__ import annotations

LANES = 16           # two AVX-512 or four AVX2 vectors of float64
MIN_TRIPS = 128      # shorter loops: the partials array costs more than it saves


def worth_blocking(trips: int) -> bool:
    return trips >= MIN_TRIPS


def pairwise(part: str, op: str, start: int = 0, count: int = LANES) -> str:
    """Source of part[start] op ... op part[start + count - 1] as a balanced tree."""
    if count == 1:
        return f"{part}[{start}]"
    half = count // 2
    return (f"({pairwise(part, op, start, half)} {op} "
            f"{pairwise(part, op, start + half, count - half)})")


def blocked_loop(var: str, trips: int, body: list, indent: str) -> list:
    """The lines of `for var in range(trips): body` as full groups of LANES (the lane
    number in `lane_<var>`) and then the remainder, with the same body text in both."""
    lane, block = lane_name(var), f"block_{var}"
    full = trips - trips % LANES
    inner = indent + "        "
    out = [f"{indent}for {block} in range(0, {full}, {LANES}):",
           f"{indent}    for {lane} in range({LANES}):",
           f"{inner}{var} = {block} + {lane}"]
    out += [inner + line for line in body]
    if full < trips:
        out += [f"{indent}for {var} in range({full}, {trips}):",
                f"{indent}    {lane} = {var} - {full}"]
        out += [indent + "    " + line for line in body]
    return out


def lane_name(var: str) -> str:
    return f"lane_{var}"
