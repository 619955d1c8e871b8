"""Algebraic simplification: identities that autodiff and the namespace leave behind
(x*1, x+0, x-0, x/1, -(-x), converts/reshapes/transposes/broadcasts that change nothing).
Only applied when the result has exactly the type of the operand it is replaced by, so
broadcasting and dtype changes are never lost. Nothing that could change a NaN or an inf
(x*0 stays)."""
from __future__ import annotations

import numpy as np

from ..graph import Graph, Literal, Value
from .rewrite import rewrite


def _is_literal(x, number) -> bool:
    return isinstance(x, Literal) and not np.isnan(x.value) and x.value == number \
        and not (number == 0 and np.signbit(x.value))


def _same_type(a, b) -> bool:
    return a.aval.shape == b.aval.shape and a.aval.dtype == b.aval.dtype


def simplify(graph: Graph) -> Graph:
    producers = {}

    def visit(node, emit):
        out = node.outputs[0]
        name, ins, p = node.prim.name, node.inputs, node.params
        candidate = None
        if name == "mul":
            candidate = ins[0] if _is_literal(ins[1], 1) else \
                ins[1] if _is_literal(ins[0], 1) else None
        elif name == "add":
            candidate = ins[0] if _is_literal(ins[1], 0) else \
                ins[1] if _is_literal(ins[0], 0) else None
        elif name == "sub":
            candidate = ins[0] if _is_literal(ins[1], 0) else None
        elif name == "div":
            candidate = ins[0] if _is_literal(ins[1], 1) else None
        elif name == "neg" and isinstance(ins[0], Value) and ins[0] in producers \
                and producers[ins[0]].prim.name == "neg":
            candidate = producers[ins[0]].inputs[0]
        elif name in ("convert", "reshape", "broadcast_in_dim"):
            candidate = ins[0]
        elif name == "transpose" and list(p["perm"]) == sorted(p["perm"]):
            candidate = ins[0]
        elif name in ("reduce_sum", "reduce_max", "reduce_min", "reduce_prod") \
                and not p["axes"]:
            candidate = ins[0]
        if candidate is not None and _same_type(candidate, out):
            return [candidate]
        for v in node.outputs:
            producers[v] = node
        return None

    return rewrite(graph, visit)
