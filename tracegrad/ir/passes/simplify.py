"""Algebraic simplification: identities that autodiff and the namespace leave behind
(x*1, x+(-0.0), x-0, x/1, -(-x), converts/reshapes/transposes/broadcasts that change nothing).
Only applied when the result has exactly the type of the operand it is replaced by, so
broadcasting and dtype changes are never lost. Nothing that could change a NaN or an inf
(x*0 stays)."""
from __future__ import annotations

import numpy as np

from ..graph import Graph, Literal, Node, Value
from ..kinds import ELEMENTWISE
from ..primitive import PRIMITIVES
from .rewrite import rewrite


def _is_literal(x, number) -> bool:
    return isinstance(x, Literal) and not np.isnan(x.value) and x.value == number \
        and not (number == 0 and np.signbit(x.value))


def _is_additive_identity(x) -> bool:
    """-0.0, not 0.0, is the identity of float addition: -0.0 + 0.0 is 0.0."""
    if not isinstance(x, Literal) or x.value != 0:
        return False
    return x.aval.dtype.kind not in "fc" or bool(np.signbit(np.real(x.value)))


def _same_type(a, b) -> bool:
    return a.aval.shape == b.aval.shape and a.aval.dtype == b.aval.dtype




def _fold_filled_operands(node, filled):
    """An elementwise operand that is a broadcast (or reshape) of a scalar literal is
    replaced by the literal itself when broadcasting still gives the same result shape,
    so that identities like x * 1 become visible."""
    if node.prim.kind != ELEMENTWISE or not any(x in filled for x in node.inputs
                                                     if isinstance(x, Value)):
        return node
    inputs = list(node.inputs)
    for i, x in enumerate(inputs):
        if isinstance(x, Value) and x in filled:
            trial = inputs[:i] + [filled[x]] + inputs[i + 1:]
            shape = np.broadcast_shapes(*[t.aval.shape for t in trial])
            if shape == node.outputs[0].aval.shape:
                inputs = trial
    return Node(node.prim, inputs, node.params, node.outputs, node.loc)


def simplify(graph: Graph) -> Graph:
    producers = {}
    filled = {}   # Value -> the scalar Literal it is a broadcast/reshape of

    def visit(original, emit):
        node = _fold_filled_operands(original, filled)
        out = node.outputs[0]
        if node.prim.kind == ELEMENTWISE and all(
                isinstance(x, Literal) or x in filled for x in node.inputs):
            # Every operand is a constant fill: compute the scalar once, broadcast it.
            scalars = [x.value if isinstance(x, Literal) else filled[x].value
                       for x in node.inputs]
            value = Literal(node.prim.impl(*scalars, **node.params)[0],
                            out.aval.update(shape=()))
            if out.aval.shape == ():
                return [value]
            emit(Node(PRIMITIVES["broadcast_in_dim"], [value],
                      dict(shape=out.aval.shape, dims=()), [out], node.loc))
            filled[out] = value
            return [out]
        if node.prim.name == "select" and isinstance(node.inputs[0], Literal):
            chosen = node.inputs[1] if node.inputs[0].value else node.inputs[2]
            if _same_type(chosen, out):
                return [chosen]
        name, ins, p = node.prim.name, node.inputs, node.params
        candidate = None
        if name in ("and", "or") and out.aval.dtype == np.bool_:
            # x & True = x, x | False = x; x & False and x | True are constant fills.
            neutral, absorbing = (True, False) if name == "and" else (False, True)
            for mine, other in ((ins[0], ins[1]), (ins[1], ins[0])):
                if isinstance(mine, Literal) and bool(mine.value) == absorbing:
                    if out.aval.shape == ():
                        return [mine]
                    emit(Node(PRIMITIVES["broadcast_in_dim"], [mine],
                              dict(shape=out.aval.shape, dims=()), [out], node.loc))
                    filled[out] = mine
                    return [out]
                if isinstance(mine, Literal) and bool(mine.value) == neutral:
                    candidate = other
        if name == "mul":
            candidate = ins[0] if _is_literal(ins[1], 1) else \
                ins[1] if _is_literal(ins[0], 1) else None
        elif name == "add":
            candidate = ins[0] if _is_additive_identity(ins[1]) else \
                ins[1] if _is_additive_identity(ins[0]) else None
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
        if name in ("broadcast_in_dim", "reshape"):
            source = ins[0]
            if isinstance(source, Value) and source in filled:
                source = filled[source]
            if isinstance(source, Literal):
                filled[out] = source
        for v in node.outputs:
            producers[v] = node
        if node is not original:        # keep the node with its literal operands
            emit(node)
            return list(node.outputs)
        return None

    return rewrite(graph, visit)
