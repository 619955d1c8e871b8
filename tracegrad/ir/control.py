"""Structured control flow: primitives whose params hold sub-graphs.

  cond   (index, *operands)               branches: one graph per branch, each
                                          operands -> results; runs branch `index`
                                          (clamped to the valid range, as JAX's switch)
  scan   (*consts, *init, *xs)            body: consts, carry, x -> carry, y; `length`
                                          steps over the leading axis of every x (from
                                          the end if `reverse`); -> final carry, stacked ys
  while  (*test_consts, *body_consts, *init)
                                          test: test_consts, carry -> bool[];
                                          body: body_consts, carry -> carry

Sub-graphs are closed: what they close over is passed in as operands (the consts), so a
sub-graph has no consts of its own. Carries keep shape and dtype across iterations and
branches agree on their results; the rules check both."""
from __future__ import annotations

import weakref

import numpy as np

from ..errors import ShapeError
from .aval import Aval
from .graph import Graph, Node, Value
from .interpreter import Interpreter
from .kinds import CONTROL
from .primitive import Primitive

# The params of each control primitive that hold graphs.
GRAPH_PARAMS = {"cond": ("branches",), "scan": ("body",), "while": ("test", "body"),
                "while_vjp": ("test", "forward", "backward")}

_interpreters: "weakref.WeakKeyDictionary[Graph, Interpreter]" = weakref.WeakKeyDictionary()


def run_graph(graph: Graph, *args) -> list:
    """Evaluate a sub-graph with the reference interpreter (built once per graph)."""
    interpreter = _interpreters.get(graph)
    if interpreter is None:
        interpreter = _interpreters[graph] = Interpreter(graph)
    return interpreter(*args)


def sub_graphs(node: Node) -> list:
    """Every graph held by the node's params (empty for other primitives)."""
    found = []
    for name in GRAPH_PARAMS.get(node.prim.name, ()):
        value = node.params[name]
        found.extend(value if isinstance(value, tuple) else (value,))
    if "graph" in node.params and isinstance(node.params["graph"], Graph):
        found.append(node.params["graph"])
    return found


def map_sub_graphs(node: Node, fn) -> dict:
    """The node's params with fn applied to every graph in them."""
    params = dict(node.params)
    for name in GRAPH_PARAMS.get(node.prim.name, ()):
        value = params[name]
        params[name] = tuple(map(fn, value)) if isinstance(value, tuple) else fn(value)
    return params


def _same(a: Aval, b: Aval) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype


def check_avals(what: str, expected, actual):
    expected, actual = list(expected), list(actual)
    if len(expected) != len(actual) or not all(map(_same, expected, actual)):
        raise ShapeError(f"{what}: expected {[str(a) for a in expected]}, "
                         f"got {[str(a) for a in actual]}")


# ---- cond ---------------------------------------------------------------------------------

def _cond_rule(index, *operands, branches):
    if index.shape != () or index.dtype.kind not in "iu":
        raise ShapeError(f"cond: the branch index must be an integer scalar, got {index}")
    first = branches[0].out_avals
    for i, branch in enumerate(branches):
        check_avals(f"cond: inputs of branch {i}", operands, branch.in_avals)
        check_avals(f"cond: results of branch {i} vs branch 0", first, branch.out_avals)
    return first


def _cond_impl(index, *operands, branches):
    chosen = branches[int(np.clip(index, 0, len(branches) - 1))]
    return run_graph(chosen, *operands)


Primitive("cond", _cond_rule, _cond_impl, CONTROL, multiple_results=True)


# ---- scan ---------------------------------------------------------------------------------

def split_scan(args, num_consts, num_carry):
    args = list(args)
    return (args[:num_consts], args[num_consts:num_consts + num_carry],
            args[num_consts + num_carry:])


def _scan_rule(*avals, body, length, reverse, num_consts, num_carry):
    consts, carry, xs = split_scan(avals, num_consts, num_carry)
    for x in xs:
        if not x.shape or x.shape[0] != length:
            raise ShapeError(f"scan: every scanned input needs a leading axis of length "
                             f"{length}, got {x}")
    slices = [Aval(x.shape[1:], x.dtype) for x in xs]
    check_avals("scan: body inputs", consts + carry + slices, body.in_avals)
    outs = body.out_avals
    check_avals("scan: carry out vs carry in", carry, outs[:num_carry])
    return outs[:num_carry] + [Aval((length,) + y.shape, y.dtype) for y in outs[num_carry:]]


def _scan_impl(*args, body, length, reverse, num_consts, num_carry):
    consts, carry, xs = split_scan(args, num_consts, num_carry)
    ys = [np.empty((length,) + y.shape, y.dtype) for y in body.out_avals[num_carry:]]
    for i in (reversed(range(length)) if reverse else range(length)):
        outs = run_graph(body, *consts, *carry, *[x[i] for x in xs])
        carry = outs[:num_carry]
        for y, value in zip(ys, outs[num_carry:]):
            y[i] = value
    return [np.asarray(c) for c in carry] + ys


Primitive("scan", _scan_rule, _scan_impl, CONTROL, multiple_results=True)


# ---- while --------------------------------------------------------------------------------

def split_while(args, num_test_consts, num_body_consts):
    args = list(args)
    n = num_test_consts + num_body_consts
    return args[:num_test_consts], args[num_test_consts:n], args[n:]


def _while_rule(*avals, test, body, num_test_consts, num_body_consts):
    test_consts, body_consts, carry = split_while(avals, num_test_consts, num_body_consts)
    check_avals("while: test inputs", test_consts + carry, test.in_avals)
    check_avals("while: body inputs", body_consts + carry, body.in_avals)
    check_avals("while: body results vs carry", carry, body.out_avals)
    check_avals("while: test result", [Aval((), np.bool_)], test.out_avals)
    return carry


def _while_impl(*args, test, body, num_test_consts, num_body_consts):
    test_consts, body_consts, carry = split_while(args, num_test_consts, num_body_consts)
    while run_graph(test, *test_consts, *carry)[0]:
        carry = run_graph(body, *body_consts, *carry)
    return [np.asarray(c) for c in carry]


Primitive("while", _while_rule, _while_impl, CONTROL, multiple_results=True)



# ---- while_vjp: reverse mode through a while loop, with a tape ----------------------------
#
# (*test_consts, *body_consts, *init, *ct_final) -> final backward state
#   forward:  body_consts, carry -> carry, residuals   (the loop again, keeping what the
#             backward needs: each iteration's residuals go onto a tape)
#   backward: body_consts, residuals, state -> state
# The state is (the body consts' cotangents summed so far, the carry's cotangent); it
# starts as (zeros, ct_final) and the backward runs once per recorded iteration, last
# first. Only carries and consts with a cotangent (floating point) are in the state;
# `num_carry` says how many carries the loop has.

def _while_vjp_rule(*avals, test, forward, backward, num_test_consts, num_body_consts,
                    num_carry):
    test_consts, body_consts, rest = split_while(avals, num_test_consts, num_body_consts)
    carry, ct_final = rest[:num_carry], rest[num_carry:]
    check_avals("while_vjp: test inputs", test_consts + carry, test.in_avals)
    check_avals("while_vjp: forward inputs", body_consts + carry, forward.in_avals)
    check_avals("while_vjp: forward carry", carry, forward.out_avals[:num_carry])
    state = backward.out_avals
    check_avals("while_vjp: carry cotangents", ct_final, state[len(state) - len(ct_final):])
    check_avals("while_vjp: backward inputs",
                body_consts + forward.out_avals[num_carry:] + state, backward.in_avals)
    return state


def _while_vjp_impl(*args, test, forward, backward, num_test_consts, num_body_consts,
                    num_carry):
    test_consts, body_consts, rest = split_while(args, num_test_consts, num_body_consts)
    carry, ct_final = rest[:num_carry], list(rest[num_carry:])
    tape = []
    while run_graph(test, *test_consts, *carry)[0]:
        outs = run_graph(forward, *body_consts, *carry)
        carry = outs[:num_carry]
        tape.append(outs[num_carry:])
    n_sums = len(backward.outputs) - len(ct_final)
    state = [np.zeros(a.shape, a.dtype) for a in backward.out_avals[:n_sums]] + ct_final
    for residuals in reversed(tape):
        state = run_graph(backward, *body_consts, *residuals, *state)
    return [np.asarray(x, a.dtype) for x, a in zip(state, backward.out_avals)]


Primitive("while_vjp", _while_vjp_rule, _while_vjp_impl, CONTROL, multiple_results=True)

# ---- consts a pass left in a sub-graph become operands ------------------------------------

def hoist_consts(node: Node):
    """A control node whose sub-graphs hold consts (inlining a call inside a body can
    leave some) -> (an equivalent node that passes them in as operands, [(outer Value,
    array)] for the enclosing graph's consts)."""
    if not any(g.consts for g in sub_graphs(node)):
        return node, []
    params, inputs, found = dict(node.params), list(node.inputs), []

    def lift(graph: Graph):
        outer = [Value(v.aval) for v, _ in graph.consts]
        found.extend((o, array) for o, (_, array) in zip(outer, graph.consts))
        return graph.replace(inputs=[v for v, _ in graph.consts] + graph.inputs,
                             consts=[]), outer

    name = node.prim.name
    if name == "scan":
        params["body"], outer = lift(params["body"])
        params["num_consts"] += len(outer)
        inputs = outer + inputs
    elif name in ("while", "while_vjp"):
        test, test_outer = lift(params["test"])
        at = params["num_test_consts"] + len(test_outer)
        inputs = test_outer + inputs
        params["test"], params["num_test_consts"] = test, at
        for key in GRAPH_PARAMS[name][1:]:
            params[key], outer = lift(params[key])
            inputs = inputs[:at] + outer + inputs[at:]
            params["num_body_consts"] += len(outer)
            # the other body-side graph takes the new consts too, unused
            for other in GRAPH_PARAMS[name][1:]:
                if other != key:
                    g = params[other]
                    params[other] = g.replace(inputs=[Value(v.aval) for v in outer] + g.inputs)
    elif name == "cond":
        branches, added = [], []
        for g in params["branches"]:
            lifted, outer = lift(g)
            branches.append((lifted, len(added), len(outer)))
            added.extend(outer)
        fixed = []
        for lifted, start, count in branches:
            own = lifted.inputs[:count]
            before = [Value(v.aval) for v in added[:start]]
            after = [Value(v.aval) for v in added[start + count:]]
            fixed.append(lifted.replace(inputs=before + own + after + lifted.inputs[count:]))
        params["branches"] = tuple(fixed)
        inputs = inputs[:1] + added + inputs[1:]
    else:
        raise AssertionError(f"hoist_consts: {name}")
    return Node(node.prim, inputs, params, node.outputs, node.loc), found
