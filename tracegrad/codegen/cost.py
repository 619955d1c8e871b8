"""The cost model: recompute a fused value where it is needed, or materialize it once.

All numbers are rough cycles per element; only their ratios matter."""
from __future__ import annotations

# Per-element cost of computing one primitive. Unlisted elementwise ops cost CHEAP.
CHEAP = 1.0
OP_COST = {
    "div": 4.0, "floordiv": 8.0, "rem": 8.0, "fmod": 8.0, "sqrt": 4.0, "pow": 30.0,
    "exp": 12.0, "exp2": 15.0, "expm1": 20.0, "log": 15.0, "log2": 15.0,
    "log10": 15.0, "log1p": 20.0, "sin": 20.0, "cos": 20.0, "tan": 25.0, "asin": 25.0,
    "acos": 25.0, "atan": 20.0, "sinh": 20.0, "cosh": 20.0, "tanh": 15.0, "asinh": 30.0,
    "acosh": 30.0, "atanh": 30.0, "logistic": 15.0, "erf": 20.0, "erfc": 20.0,
    "cbrt": 20.0, "atan2": 30.0, "nextafter": 5.0,
    # index arithmetic only
    "broadcast_in_dim": 0.0, "transpose": 0.0, "slice": 0.0, "stop_gradient": 0.0,
    "reshape": 0.5, "iota": 0.5, "pad": 2.0, "concatenate": 2.0, "gather": 3.0,
}
LOAD = 1.0          # reading one element of a materialized buffer
STORE = 2.0         # writing one element (and the cache traffic it causes)


def op_cost(primitive: str) -> float:
    return OP_COST.get(primitive, CHEAP)


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
