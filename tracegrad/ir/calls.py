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
