"""The one generic backward builder: walks a traced forward graph in reverse, calling
each primitive's VJP rule on the primal values the graph was replayed to, accumulating
cotangents, skipping symbolic zeros, and undoing broadcasting in one place."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from ..numpy.ufuncs import FAST_OPERANDS, apply_binary
from ..ir.elementwise import errors_ignored
from ..ir import Aval, Graph, Literal, Value
from ..tracer import Tracer, nan_check
from ..tracer.source import attributed_location, attribution_state
from ..ir import is_float
from .rules import NON_DIFFERENTIABLE, RULES_BY_PRIMITIVE, lookup
from .shapes import shape_of


# Cotangent types whose `+` is tnp.add's own answer when both operands have the type
# (NumPy's scalar math and ufunc; a tracer's operator), taken without tnp.add's dispatch.
_SAME_TYPE_ADD = FAST_OPERANDS | {Tracer}


def is_differentiable(aval: Aval) -> bool:
    return is_float(aval.dtype)


def unbroadcast(ct, aval: Aval):
    """Sum ct down to aval's shape (undoing NumPy broadcasting) and cast to its dtype."""
    if (type(ct) is np.ndarray or isinstance(ct, np.generic)) and \
            ct.shape == aval.shape and ct.dtype == aval.dtype:
        return ct                       # the common case, eagerly: nothing to undo
    ct_shape = shape_of(ct)
    if ct_shape != aval.shape:
        lead = len(ct_shape) - len(aval.shape)
        axes = tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(aval.shape) if n == 1 and ct_shape[lead + i] != 1)
        if axes:
            ct = tnp.sum(ct, axis=axes)
        ct = tnp.reshape(ct, aval.shape)
    if np.dtype(ct.dtype) != aval.dtype:
        ct = tnp.asarray(ct).astype(aval.dtype)
    return ct


def active_values(graph: Graph, wrt) -> set:
    """Values that depend differentiably on `wrt` (forward reachability)."""
    active = {v for v in wrt if v.aval.inexact}
    skip = NON_DIFFERENTIABLE
    for node in graph.nodes:
        ins = node.inputs
        if len(ins) == 2:
            if ins[0] not in active and ins[1] not in active:
                continue                # Literals hash too, and are never active
        elif len(ins) == 1:
            if ins[0] not in active:
                continue
        elif not any(x in active for x in ins):
            continue
        if node.prim.name in skip:
            continue
        outputs = node.outputs
        if len(outputs) == 1:
            out = outputs[0]
            if out.aval.inexact:
                active.add(out)
            continue
        for v in outputs:
            if v.aval.inexact:
                active.add(v)
    return active


def backward(graph: Graph, env: dict, out_cts: list, wrt: list, hooks=None) -> list:
    """Cotangents of `wrt` given the outputs' (see _backward); the operations it records
    belong to the backward pass (what check_nans reports)."""
    state = nan_check._state            # nan_check.phase("backward"), spelled out
    previous = state.phase
    state.phase = "backward"
    try:
        return _backward(graph, env, out_cts, wrt, hooks)
    finally:
        state.phase = previous


def _backward(graph: Graph, env: dict, out_cts: list, wrt: list, hooks=None) -> list:
    """Cotangents of `wrt` (graph inputs) given cotangents of graph.outputs.

    env maps every Value of the graph to its primal (an array, or a tracer of the
    enclosing trace); out_cts holds one cotangent per output, None for zero. Returns one
    cotangent per wrt value, None where it is zero.

    `hooks` (the imperative API's tensor hooks, retain_grad and anomaly mode) may see
    the walk: hooks.cotangent(value, ct) gets each value's cotangent once it is complete
    and returns the one to use; hooks.node(node, in_cts) gets each rule's results."""
    active = active_values(graph, wrt)
    cts: dict[Value, object] = {}
    for v, ct in zip(graph.outputs, out_cts):
        if ct is not None and isinstance(v, Value) and v in active:
            ct = unbroadcast(ct, v.aval)
            cts[v] = ct if v not in cts else tnp.add(cts[v], ct)

    attributed = attribution_state()
    previous_loc = attributed_location()
    rule_of = RULES_BY_PRIMITIVE
    try:
        with errors_ignored():
            for node in reversed(graph.nodes):
                outputs = node.outputs
                single = len(outputs) == 1
                if single:
                    out = outputs[0]
                    ct = cts.pop(out, None)
                    if ct is None:
                        continue
                else:
                    out_cts_node = [cts.pop(v, None) for v in outputs]
                    if all(ct is None for ct in out_cts_node):
                        continue
                ins = node.inputs
                n_in = len(ins)
                if n_in == 2:
                    needs = (ins[0] in active, ins[1] in active)
                elif n_in == 1:
                    needs = (ins[0] in active,)
                else:
                    needs = tuple([x in active for x in ins])
                if True not in needs:
                    continue            # the cotangent stops here (popped: unused)
                prim = node.prim
                found = rule_of.get(prim)
                if found is None:
                    rule = lookup(prim.name)
                    found = rule_of[prim] = (rule, getattr(rule, "takes_needs", False))
                rule, takes_needs = found
                if hooks is not None:
                    attributed.loc = previous_loc
                    if single:
                        ct = hooks.cotangent(out, ct)
                    else:
                        out_cts_node = [ct if ct is None else hooks.cotangent(v, ct)
                                        for v, ct in zip(outputs, out_cts_node)]
                attributed.loc = node.loc
                params = node.params
                if n_in <= 2 and single and not params and not prim.multiple_results:
                    # The usual node (one or two inputs, one output, no params): the
                    # rule called with plain positional arguments.
                    a = ins[0]
                    a = a.value if type(a) is Literal else env[a]
                    if n_in == 1:
                        in_cts = rule(ct, env[out], a, needs=needs) if takes_needs else \
                            rule(ct, env[out], a)
                    else:
                        b = ins[1]
                        b = b.value if type(b) is Literal else env[b]
                        in_cts = rule(ct, env[out], a, b, needs=needs) if takes_needs \
                            else rule(ct, env[out], a, b)
                elif single and not prim.multiple_results:
                    inputs = [x.value if type(x) is Literal else env[x] for x in ins]
                    if takes_needs:
                        in_cts = rule(ct, env[out], *inputs, needs=needs, **params)
                    else:
                        in_cts = rule(ct, env[out], *inputs, **params)
                else:
                    if single:
                        out_cts_node = [ct]
                    inputs = [x.value if type(x) is Literal else env[x] for x in ins]
                    if takes_needs:
                        params = {**params, "needs": needs}
                    in_cts = rule(out_cts_node, [env[v] for v in outputs], *inputs,
                                  **params)
                if hooks is not None:
                    hooks.node(node, in_cts)
                for x, ct, need in zip(ins, in_cts, needs):
                    if ct is not None and need:
                        aval = x.aval
                        kind = type(ct)
                        if kind is aval.scalar_type:
                            pass        # an eager 0-d cotangent of the right dtype
                        elif kind is Tracer:
                            ct_aval = ct._value.aval
                            if ct_aval is not aval and (ct_aval.shape != aval.shape or
                                                        ct_aval.dtype != aval.dtype):
                                ct = unbroadcast(ct, aval)
                        elif kind is not np.ndarray or ct.shape != aval.shape or \
                                ct.dtype != aval.dtype:
                            ct = unbroadcast(ct, aval)
                        previous = cts.get(x)
                        if previous is None:
                            cts[x] = ct
                        elif type(previous) is type(ct) and type(ct) in _SAME_TYPE_ADD:
                            cts[x] = previous + ct  # tnp.add's answer, without its dispatch
                        elif type(previous) is Tracer or type(ct) is Tracer:
                            cts[x] = apply_binary(np.add, "add", previous, ct)  # tnp.add's
                        else:
                            cts[x] = tnp.add(previous, ct)
    finally:
        attributed.loc = previous_loc
    if hooks is not None:
        return [hooks.cotangent(v, cts[v]) if v in cts else None for v in wrt]
    return [cts.get(v) for v in wrt]
