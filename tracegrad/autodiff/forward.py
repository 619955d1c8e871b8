"""The one generic forward builder: walks a traced graph in order, calling each
primitive's JVP rule on the primal values the graph was replayed to, propagating
tangents, skipping symbolic zeros, and broadcasting the tangents of elementwise operands
in one place."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from ..ir.elementwise import errors_ignored
from ..ir import Aval, Graph, Literal, Value
from ..ir.kinds import ELEMENTWISE
from ..tracer.source import attribute_to
# Importing the rule modules registers the JVP rules.
from . import elementwise_rules, jvp_extra, jvp_reductions, linear  # noqa: F401  (rules)
from .backward import is_differentiable
from .jvp_rules import lookup_jvp
from .rules import NON_DIFFERENTIABLE
from .shapes import shape_of as _shape

# Primitives whose operands broadcast NumPy-style to the output shape.


def broadcast_tangent(t, shape):
    return t if _shape(t) == tuple(shape) else tnp.broadcast_to(t, shape)


def fit_tangent(t, aval: Aval):
    """Broadcast t to aval's shape and cast it to aval's dtype (a float32 value gets a
    float32 tangent)."""
    t = broadcast_tangent(t, aval.shape)
    if np.dtype(t.dtype) != aval.dtype:
        t = tnp.asarray(t).astype(aval.dtype)
    return t


def needed_values(graph: Graph) -> set:
    """Values the outputs depend on (backward reachability): tangents of other values are
    never computed."""
    needed = {v for v in graph.outputs if isinstance(v, Value)}
    for node in reversed(graph.nodes):
        if any(v in needed for v in node.outputs):
            needed.update(x for x in node.inputs if isinstance(x, Value))
    return needed


def forward(graph: Graph, env: dict, in_tangents: dict) -> list:
    """Tangents of graph.outputs given tangents of some graph inputs.

    env maps every Value of the graph to its primal (an array, or a tracer of the
    enclosing trace); in_tangents maps graph inputs to tangents (None or absent for
    zero). Returns one tangent per output, None where it is zero."""
    tangents = {v: fit_tangent(t, v.aval) for v, t in in_tangents.items()
                if t is not None and is_differentiable(v.aval)}
    needed = needed_values(graph)

    def read(x):
        return np.asarray(x.value) if isinstance(x, Literal) else env[x]

    with errors_ignored():
        for node in graph.nodes:
            if node.prim.name in NON_DIFFERENTIABLE:
                continue
            if not any(v in needed for v in node.outputs):
                continue
            in_ts = [tangents.get(x) if isinstance(x, Value) else None for x in node.inputs]
            if all(t is None for t in in_ts):
                continue
            with attribute_to(node.loc):
                if node.prim.kind == ELEMENTWISE:
                    shape = node.outputs[0].aval.shape
                    in_ts = [None if t is None else broadcast_tangent(t, shape)
                             for t in in_ts]
                rule = lookup_jvp(node.prim.name)
                outs = [env[v] for v in node.outputs]
                if node.prim.multiple_results:
                    out_ts = rule(in_ts, outs, *map(read, node.inputs), **node.params)
                else:
                    out_ts = [rule(in_ts, outs[0], *map(read, node.inputs),
                                   **node.params)]
                for v, t in zip(node.outputs, out_ts):
                    if t is not None and is_differentiable(v.aval):
                        tangents[v] = fit_tangent(t, v.aval)
    return [tangents.get(v) if isinstance(v, Value) else None for v in graph.outputs]
