"""Primitives that carry a sub-graph."""
from __future__ import annotations

from .interpreter import evaluate
from .kinds import CALL
from .primitive import Primitive


def _call_rule(*avals, graph, **_):
    return graph.out_avals


def _call_impl(*args, graph, **_):
    return evaluate(graph, *args)


# A function with a user-defined backward (custom_vjp). `graph` is its traced forward;
# the other params (fwd, bwd, ...) are read by the VJP rule. Passes inline it before
# code generation.
Primitive("custom_vjp_call", _call_rule, _call_impl, CALL,
          multiple_results=True)

# A function with a user-defined JVP (custom_jvp): the same, with the jvp rule in params.
Primitive("custom_jvp_call", _call_rule, _call_impl, CALL,
          multiple_results=True)

# checkpoint (remat): `graph` runs as usual; reverse mode recomputes its intermediates
# from its inputs in the backward pass instead of keeping them (autodiff/remat.py).
Primitive("checkpoint", _call_rule, _call_impl, CALL,
          multiple_results=True)

# Solves that reuse a matrix's LU factors, differentiated through the matrix rather than
# its factors (autodiff/linalg_rules.py): inputs (..., a, lu, permutation, b) with the
# factors of a; `graph` computes a^-1 b (or a^-T b, `transpose`) from the factors. The
# derivatives are solves with the same factors (as JAX's custom_linear_solve), not the
# LU factorization's own, which costs several more n^3 products.
Primitive("lu_solve_call", _call_rule, _call_impl, CALL, multiple_results=True)

# log|det a| from a's LU factors: inputs (..., a, lu, permutation); its derivative
# a^-T is a solve with the same factors.
Primitive("lu_logdet_call", _call_rule, _call_impl, CALL, multiple_results=True)
