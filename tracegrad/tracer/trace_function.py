"""Tracing a function once: the block every transformation starts with."""
from __future__ import annotations

import numpy as np

from ..ir import Graph, Literal
from .pytree import PLAIN_TYPES, tree_flatten
from .source import user_location
from .trace import Trace, TracerTable, aval_of, new_trace, replay, trace_stack
from .tracer import Tracer, concrete_value


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


def trace_in_place(build, flat):
    """Record `build(tracers)` straight into the eager trace that will differentiate it,
    without a graph of its own to replay there: what an eager vjp needs. -> (graph, env,
    values, out_tree, consts) or None where `trace_function` + `replay` must run.

    - No trace open and every leaf concrete: a new top-level trace records the function
      and stays the graph (`env` holds its NumPy values).
    - The leaves are tracers of the innermost open eager trace (concrete leaves may join
      them): the function's operations are recorded into that trace itself, on fresh
      copies of the leaves (one `convert` node each, so a value the function closes over
      stays a constant even when it is the very array passed in), and `env` makes that
      trace's tracers. A nested eager gradient thus records each level once.

    `graph` holds the function's own nodes; its inputs are the fresh copies, its outputs
    the results' operands. `values` are the results as the caller gets them."""
    stack = trace_stack()
    if not stack:
        if any(type(x) not in PLAIN_TYPES for x in flat):
            return None
        with new_trace(eager=True) as trace:
            tracers = [trace.new_input(aval_of(x), x) for x in flat]
            out_flat, out_tree = tree_flatten(build(tracers))
            if trace.captures:
                # It computed with tracers from outside every transformation (the
                # imperative tape's): its results must reach them, as replay makes them.
                graph, captured = trace.finish(out_flat)
                inputs = [trace.concrete[v] for v in trace.inputs]
                values, env = replay(graph, inputs + captured, source_trace=trace)
                return graph, env, values, out_tree, _const_arrays(trace)
            outputs = [trace.operand(x) for x in out_flat]
        known = trace.concrete
        values = [np.asarray(x.value) if type(x) is Literal else known[x] for x in outputs]
        graph = Graph(trace.inputs, trace.nodes, outputs)
        return graph, known, values, out_tree, _const_arrays(trace)
    trace = stack[-1]
    if type(trace) is not Trace or not trace.eager or trace.finished or \
            not _leaves_of(trace, flat):
        return None
    loc = user_location(3)      # past this frame and the transformation's own two
    tracers = [trace.fresh_copy(x, loc) for x in flat]
    inputs = [t._value for t in tracers]
    body_start = len(trace.nodes)
    out_flat, out_tree = tree_flatten(build(tracers))
    outputs = [trace.operand(x) for x in out_flat]
    known = trace.concrete
    values = [x if isinstance(x, Tracer) else
              np.asarray(o.value) if type(o) is Literal else known[o]
              for x, o in zip(out_flat, outputs)]
    graph = Graph(inputs, trace.nodes[body_start:], outputs)
    return graph, TracerTable(trace), values, out_tree, _const_arrays(trace)


def _leaves_of(trace, flat) -> bool:
    """Every leaf a tracer of `trace` or concrete, and one at least a tracer."""
    traced = False
    for x in flat:
        if type(x) is Tracer:
            if x._trace is not trace:
                return False
            traced = True
        elif type(x) not in PLAIN_TYPES:
            return False
    return traced


def _const_arrays(trace) -> list:
    return [array for _, array, _ in trace.consts.values()]
