"""Splitting a loop body's gradient into a forward and a backward half.

Reverse mode through a loop differentiates the body once, as a joint graph
(primal inputs, output cotangents) -> (primal outputs, input cotangents), and splits it
by dependence:
  backward   nodes that depend on a cotangent (or recompute a checkpointed function);
  variant    the rest that depend on a per-iteration input (carry, scanned slice);
  invariant  the rest: functions of the loop's constants only.
The forward half (invariant + variant) runs in the forward loop and also returns the
residuals: variant values the backward half reads. Those are stacked (scan) or pushed
on a tape (while). The backward half recomputes the invariant values it needs from the
constants rather than storing them once per iteration."""
from __future__ import annotations

import contextlib
import dataclasses
import threading

from ..ir import Graph, Value
from ..ir.passes.dce import eliminate_dead_code
from ..lax.control import Closed
from .. import numpy as tnp
from ..tracer import Tracer, replay, tree_flatten
from .backward import backward, is_differentiable

_marks = threading.local()


@contextlib.contextmanager
def collecting_recomputed():
    """Collect the Values that checkpoint rules recompute while the block traces."""
    previous = getattr(_marks, "values", None)
    _marks.values = found = set()
    try:
        yield found
    finally:
        _marks.values = previous


def mark_recomputed(tracers):
    found = getattr(_marks, "values", None)
    if found is not None:
        found.update(t._value for t in tracers if isinstance(t, Tracer))


@dataclasses.dataclass
class Joint:
    """The traced joint graph of a body. Its inputs: hoisted constant arrays (`consts`),
    the body's inputs, then one cotangent per differentiable body output. Its outputs:
    the body's outputs, then one cotangent per differentiable body input (zeros where
    the body does not depend on it)."""
    graph: Graph
    consts: list                     # arrays for the leading hoisted inputs
    in_diff: list                    # per body input: does it get a cotangent
    out_diff: list                   # per body output: does it take a cotangent
    recomputed: set


def joint_vjp(body: Graph) -> Joint:
    in_diff = [is_differentiable(v.aval) for v in body.inputs]
    out_diff = [is_differentiable(v.aval) for v in body.outputs]
    n = len(body.inputs)

    def joint(*args):
        primals, cts = list(args[:n]), list(args[n:])
        outs, env = replay(body, primals)
        it = iter(cts)
        full = [next(it) if d else None for d in out_diff]
        wrt = [v for v, d in zip(body.inputs, in_diff) if d]
        in_cts = backward(body, env, full, wrt)
        filled = [ct if ct is not None else tnp.zeros(v.aval.shape, v.aval.dtype)
                  for ct, v in zip(in_cts, wrt)]
        return list(outs), filled

    avals = body.in_avals + [a for a, d in zip(body.out_avals, out_diff) if d]
    tree = tree_flatten(tuple(range(len(avals))))[1]
    with collecting_recomputed() as recomputed:
        closed = Closed(joint, avals, tree)
    return Joint(closed.graph, closed.consts, in_diff, out_diff, recomputed)


@dataclasses.dataclass
class Split:
    forward: Graph        # consts, body inputs -> body outputs, residuals
    backward: Graph       # invariant inputs, residuals, streamed inputs, cts -> input cts
    residuals: list       # avals of the residuals


def split(joint: Joint, invariant: list, streamed: list) -> Split:
    """invariant / streamed: positions among the body's inputs that are loop constants /
    available to the backward loop without storing (a scan's slices)."""
    g = joint.graph
    h = len(joint.consts)
    n_in = h + len(joint.in_diff)
    n_out = len(joint.out_diff)
    primal_inputs = g.inputs[:n_in]
    invariant_values = set(primal_inputs[:h]) | {primal_inputs[h + i] for i in invariant}
    ct_inputs = set(g.inputs[n_in:])
    stream_values = [primal_inputs[h + i] for i in streamed]

    variant, late = set(), set(ct_inputs)
    forward_nodes, backward_nodes, invariant_nodes = [], [], []
    for v in primal_inputs:
        if v not in invariant_values:
            variant.add(v)
    for node in g.nodes:
        reads = [x for x in node.inputs if isinstance(x, Value)]
        if any(x in late for x in reads) or any(v in joint.recomputed for v in node.outputs):
            late.update(node.outputs)
            backward_nodes.append(node)
        else:
            forward_nodes.append(node)
            if any(x in variant for x in reads):
                variant.update(node.outputs)
            else:
                invariant_nodes.append(node)

    residuals = []
    seen = set(stream_values)
    for x in [x for n in backward_nodes for x in n.inputs] + list(g.outputs[n_out:]):
        if isinstance(x, Value) and x in variant and x not in seen:
            seen.add(x)
            residuals.append(x)

    forward = Graph(primal_inputs, forward_nodes, list(g.outputs[:n_out]) + residuals)
    backward_graph = Graph(
        [v for v in primal_inputs if v in invariant_values] + residuals + stream_values
        + g.inputs[n_in:], invariant_nodes + backward_nodes, list(g.outputs[n_out:]))
    return Split(eliminate_dead_code(forward), eliminate_dead_code(backward_graph),
                 [v.aval for v in residuals])
