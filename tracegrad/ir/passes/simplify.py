"""Algebraic simplification: identities that autodiff and the namespace leave behind
(x*1, x+(-0.0), x-0, x/1, -(-x), converts/reshapes/transposes/broadcasts that change nothing).
Only applied when the result has exactly the type of the operand it is replaced by, so
broadcasting and dtype changes are never lost. Nothing that could change a NaN or an inf
(x*0 stays)."""
from __future__ import annotations

import numpy as np

from ..aval import is_float
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
    return not is_float(x.aval.dtype) or bool(np.signbit(np.real(x.value)))


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


def _neutral(value):
    """x op e = x where e is `value` (a literal) on either side."""
    def rule(ins, params, producers):
        a, b = ins
        return a if _is_literal(b, value) else b if _is_literal(a, value) else None
    return rule


def _right_neutral(value):
    """x op e = x (not e op x)."""
    return lambda ins, params, producers: ins[0] if _is_literal(ins[1], value) else None


def _bool_neutral(value):
    def rule(ins, params, producers):
        a, b = ins
        if a.aval.dtype != np.bool_:
            return None
        for mine, other in ((a, b), (b, a)):
            if isinstance(mine, Literal) and bool(mine.value) == value:
                return other
        return None
    return rule


def _add_identity(ins, params, producers):
    a, b = ins
    return a if _is_additive_identity(b) else b if _is_additive_identity(a) else None


def _double_negation(ins, params, producers):
    x = ins[0]
    if isinstance(x, Value) and x in producers and producers[x].prim.name == "neg":
        return producers[x].inputs[0]
    return None


def _itself(ins, params, producers):
    return ins[0]


# primitive -> rules, each (operands, params, producers) -> the operand the node equals,
# or None. A replacement is used only when it has exactly the node's type.
IDENTITIES = {
    "mul": [_neutral(1)],                              # x * 1
    "add": [_add_identity],                            # x + (-0.0); integers: x + 0
    "sub": [_right_neutral(0)],                        # x - 0
    "div": [_right_neutral(1)],                        # x / 1
    "and": [_bool_neutral(True)],                      # x & True
    "or": [_bool_neutral(False)],                      # x | False
    "neg": [_double_negation],                         # -(-x)
    "convert": [_itself],                              # to its own type
    "reshape": [_itself],                              # to its own shape
    "broadcast_in_dim": [_itself],                     # to its own shape
    "transpose": [lambda ins, p, _: ins[0] if list(p["perm"]) == sorted(p["perm"])
                  else None],                          # by the identity permutation
    **{f"reduce_{op}": [lambda ins, p, _: None if p["axes"] else ins[0]]
       for op in ("sum", "prod", "max", "min")},       # over no axis
}


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
        name, ins = node.prim.name, node.inputs
        if name in ("and", "or") and out.aval.dtype == np.bool_:
            # x & False and x | True are constant fills.
            absorbing = name == "or"
            mine = next((x for x in ins if isinstance(x, Literal)
                         and bool(x.value) == absorbing), None)
            if mine is not None:
                if out.aval.shape == ():
                    return [mine]
                emit(Node(PRIMITIVES["broadcast_in_dim"], [mine],
                          dict(shape=out.aval.shape, dims=()), [out], node.loc))
                filled[out] = mine
                return [out]
        candidate = None
        for rule in IDENTITIES.get(name, ()):
            candidate = rule(ins, node.params, producers)
            if candidate is not None:
                break
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
