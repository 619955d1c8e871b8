"""Tracing a function once: the block every transformation starts with."""
from __future__ import annotations

from .pytree import tree_flatten
from .trace import aval_of, new_trace
from .tracer import concrete_value


def trace_function(build, flat, eager=None):
    """Trace `build(tracers)` -> a pytree, on new inputs shaped like the leaves `flat`
    (carrying their values in an eager trace). -> (graph, captured, out_tree, trace):
    the graph's outputs are the pytree's leaves; `captured` are outer values the
    function closed over, which became extra graph inputs."""
    with new_trace(eager=eager) as trace:
        tracers = [trace.new_input(aval_of(x), concrete_value(x) if trace.eager else None)
                   for x in flat]
        out_flat, out_tree = tree_flatten(build(tracers))
        graph, captured = trace.finish(out_flat)
    return graph, captured, out_tree, trace
