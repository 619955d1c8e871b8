"""The cost model: recompute a fused value where it is needed, or materialize it once.

All numbers are rough cycles per element; only their ratios matter."""
from __future__ import annotations

from .emit_table import CHEAP, TABLE

# Per-element cost of the fusible primitives that are not elementwise (index arithmetic,
# loads at computed indices); elementwise costs are in the emit table's rules, and a
# kernel's own root (a reduction, a dot) costs CHEAP here.
STRUCTURAL_COST = {
    "broadcast_in_dim": 0.0, "transpose": 0.0, "slice": 0.0,
    "reshape": 0.5, "iota": 0.5, "pad": 2.0, "concatenate": 2.0, "gather": 3.0,
    "dynamic_slice": 1.0, "dynamic_update_slice": 2.0,
}
LOAD = 1.0          # reading one element of a materialized buffer
STORE = 2.0         # writing one element (and the cache traffic it causes)


def op_cost(primitive: str) -> float:
    found = TABLE.get(primitive)
    if found is not None:
        return found.cost
    return STRUCTURAL_COST.get(primitive, CHEAP)


def should_materialize(expr_cost: float, size: int, evaluations: float,
                       n_kernels: int) -> bool:
    """The one recompute-versus-materialize decision.

    expr_cost:   per-element cost of the value's fused expression (down to buffers)
    size:        elements of the value
    evaluations: elements computed in total if it stays fused (all kernels, with the
                 repetition that broadcasting into larger loops causes)
    n_kernels:   loops that would read it if materialized
    Materializing costs one store per element plus one load per reading kernel;
    recomputing costs the expression once per extra evaluation."""
    recompute = expr_cost * max(evaluations - size, 0.0)
    materialize = size * (STORE + LOAD * n_kernels)
    return recompute > materialize


def size_weight(primitive: str) -> float:
    """How much code a node adds to a kernel (for the size budget in fusion.py):
    transcendental functions expand into tens of instructions, which LLVM's loop
    vectorizer then widens: their share of compile time is larger than of run time."""
    return 1.0 + op_cost(primitive)
