"""Structured control flow with JAX's names and signatures: cond, switch, fori_loop, scan,
while_loop, checkpoint (remat).

Under `compile` or `make_ir` (an abstract trace) each construct traces its functions into
closed sub-graphs and records one primitive (ir/control.py), compiled to a native branch
or loop. Elsewhere — plain arrays, or the concrete values of an eager `grad` — it runs as
Python control flow over the recorded operations, so eager differentiation sees exactly
the operations that ran."""
from __future__ import annotations

import functools

import numpy as np

from ..errors import ArgumentError, ShapeError
from ..ir import PRIMITIVES, Aval, Graph, Literal, Node, Value
from ..tracer import (Tracer, aval_of, bind, current_trace, is_python_scalar, leaf_paths,
                      new_trace,
                      tree_flatten, tree_unflatten)
from ..tracer.source import describe_location, user_location
from .ops import concatenate, convert, reshape


def staging() -> bool:
    """True under an abstract trace: constructs become primitives."""
    trace = current_trace()
    return trace is not None and not trace.eager


def is_abstract(x) -> bool:
    return isinstance(x, Tracer) and x._concrete is None


# ---- tracing a function into a closed sub-graph --------------------------------------------

class Closed:
    """A function traced on avals: `graph` takes the closed-over values first (`consts`,
    the outer objects to pass for them), then the declared inputs. `args_tree` is the
    structure of the tuple of positional arguments."""

    def __init__(self, fn, in_avals, args_tree):
        with new_trace(eager=False) as trace:
            tracers = [trace.new_input(a) for a in in_avals]
            out_flat, self.out_tree = tree_flatten(fn(*tree_unflatten(args_tree, tracers)))
            graph, captured = trace.finish(out_flat)
        n = len(in_avals)
        const_values = [v for v, _ in graph.consts]
        self.consts = captured + [array for _, array in graph.consts]
        self.graph = Graph(graph.inputs[n:] + const_values + graph.inputs[:n], graph.nodes,
                           graph.outputs)
        self.out_avals = graph.out_avals

    def with_consts(self, all_consts: list) -> Graph:
        """The graph taking `all_consts` (a superset of self.consts, by identity) first."""
        own = {id(c): v for c, v in zip(self.consts, self.graph.inputs)}
        inputs = [own.get(id(c)) or _unused(aval_of(c)) for c in all_consts]
        return self.graph.replace(inputs=inputs + self.graph.inputs[len(self.consts):])


def _unused(aval):
    return Value(aval)


def union_consts(*closed: Closed) -> list:
    seen, out = set(), []
    for c in closed:
        for x in c.consts:
            if id(x) not in seen:
                seen.add(id(x))
                out.append(x)
    return out


def _where() -> str:
    return describe_location(user_location())


def _mismatch(what, tree, expected, actual, sep=" in, then ") -> str:
    lines = []
    for path, a, b in zip(leaf_paths(tree), expected, actual):
        if a.shape != b.shape or a.dtype != b.dtype:
            lines.append(f"  {path}: {a}{sep}{b}")
    return f"{what}\n" + "\n".join(lines)


def _promoted_carry(in_avals, out_avals):
    """Carries that entered weakly typed (Python scalars) take the body's dtype, as in
    JAX; None if nothing changes."""
    changed = False
    fixed = []
    for a, b in zip(in_avals, out_avals):
        if a.weak and a.shape == b.shape and a.dtype != b.dtype:
            fixed.append(Aval(b.shape, b.dtype, b.weak))
            changed = True
        else:
            fixed.append(a)
    return fixed if changed else None


def _cast_leaves(leaves, avals):
    return [x if aval_of(x).dtype == a.dtype else convert(x, a.dtype, weak=a.weak)
            for x, a in zip(leaves, avals)]


def _check_carry(construct, tree, in_avals, out_tree, out_avals):
    if out_tree != tree:
        raise ArgumentError(
            f"{construct}: the body returns a carry of structure {out_tree}, but the loop "
            f"started with {tree} (at {_where()}). The carry must keep its structure.")
    if not all(map(_fits, out_avals, in_avals)):
        raise ShapeError(_mismatch(
            f"{construct}: the carry must keep its shape and dtype from one iteration to the "
            f"next (at {_where()}); cast the body's result or the initial value:",
            tree, in_avals, out_avals))


# ---- cond and switch --------------------------------------------------------------------

def switch(index, branches, *operands):
    """Run branches[index](*operands), index clamped to [0, len(branches) - 1] (JAX's
    lax.switch). Under compile only the chosen branch runs, in both passes of a gradient."""
    branches = list(branches)
    if not branches:
        raise ArgumentError("switch needs at least one branch")
    if not is_abstract(index):
        i = int(np.clip(int(np.asarray(_concrete(index))), 0, len(branches) - 1))
        return branches[i](*operands)
    if aval_of(index).shape != ():
        raise ShapeError(f"switch: the index must be a scalar, got {aval_of(index)} "
                         f"(at {_where()})")
    names = [f"branch {i}" for i in range(len(branches))]
    return _staged_switch(convert(index, np.int32), branches, operands, "switch", names)


def cond(pred, true_fun, false_fun, *operands):
    """true_fun(*operands) if pred else false_fun(*operands) (JAX's lax.cond)."""
    if not is_abstract(pred):
        return true_fun(*operands) if bool(_concrete(pred)) else false_fun(*operands)
    aval = aval_of(pred)
    if aval.shape != ():
        raise ShapeError(f"cond: the predicate must be a scalar, got {aval} (at {_where()})"
                         f"; reduce it (any/all) or use tracegrad.numpy.where for arrays")
    pred = pred != 0 if aval.dtype != np.bool_ else pred
    return _staged_switch(convert(pred, np.int32), [false_fun, true_fun], operands, "cond",
                          ["false_fun", "true_fun"])


def _concrete(x):
    return x._concrete if isinstance(x, Tracer) else x


def _staged_switch(index, branches, operands, construct, names):
    flat, tree = tree_flatten(tuple(operands))
    avals = [aval_of(x) for x in flat]
    closed = [Closed(b, avals, tree) for b in branches]
    first = closed[0]
    strong = [next((c.out_avals[j] for c in closed if not c.out_avals[j].weak),
                   first.out_avals[j]) for j in range(len(first.out_avals))]
    for i, c in enumerate(closed):
        if c.out_tree != first.out_tree:
            raise ArgumentError(
                f"{construct}: {names[i]} returns structure {c.out_tree} but {names[0]} "
                f"returns {first.out_tree} (at {_where()}); every branch must return the "
                f"same structure, shapes and dtypes")
        if not all(map(_fits, c.out_avals, strong)):
            raise ShapeError(_mismatch(
                f"{construct}: {names[i]}'s results differ from {names[0]}'s (at "
                f"{_where()}); every branch must return the same shapes and dtypes "
                f"({names[0]} vs {names[i]}):", first.out_tree, first.out_avals,
                c.out_avals, sep=" vs "))
    common = strong
    consts = union_consts(*closed)
    graphs = tuple(cast_outputs(c.with_consts(consts), common) for c in closed)
    outs = bind(PRIMITIVES["cond"], [index] + consts + flat, {"branches": graphs})
    return tree_unflatten(first.out_tree, outs)


def cast_outputs(graph: Graph, avals) -> Graph:
    """Results whose dtype differs from `avals` (weakly typed ones: Python scalars and
    their arithmetic) are converted to it, as JAX promotes them."""
    nodes, outs = list(graph.nodes), []
    for x, a in zip(graph.outputs, avals):
        if x.aval.dtype != a.dtype or x.aval.weak != a.weak:
            if isinstance(x, Literal):
                x = Literal(x.value, a)
            else:
                y = Value(a)
                nodes.append(Node(PRIMITIVES["convert"], [x], {"dtype": a.dtype,
                                                                "weak": a.weak}, [y]))
                x = y
        outs.append(x)
    return graph.replace(nodes=nodes, outputs=outs)


def _fits(a: Aval, target: Aval) -> bool:
    """a may stand where target is expected: same shape and dtype, or weakly typed and
    of the same shape (it is converted)."""
    return a.shape == target.shape and (a.dtype == target.dtype or a.weak)


# ---- scan ---------------------------------------------------------------------------------

def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loop f(carry, x) -> (carry, y) over the leading axis of xs; returns (final carry,
    stacked ys) — JAX's lax.scan. `unroll` is accepted for compatibility; compiled loops
    are native, so it changes nothing."""
    xs_flat, xs_tree = tree_flatten(xs)
    lengths = {int(aval_of(x).shape[0]) for x in xs_flat if aval_of(x).shape}
    if any(aval_of(x).shape == () for x in xs_flat):
        raise ShapeError(f"scan: every leaf of xs needs a leading axis to scan over "
                         f"(at {_where()})")
    if length is not None:
        lengths.add(int(length))
    if len(lengths) != 1:
        raise ShapeError("scan: " + (f"the leading axes of xs (and length=) disagree: "
                                      f"{sorted(lengths)}" if lengths else
                                      "pass length= when there is nothing to scan over")
                         + f" (at {_where()})")
    (n,) = lengths
    if not staging() and n > 0:
        return _python_scan(f, init, xs_flat, xs_tree, n, reverse)
    return _staged_scan(f, init, xs_flat, xs_tree, n, reverse)


def _python_scan(f, init, xs_flat, xs_tree, n, reverse):
    carry, ys = init, []
    for i in (reversed(range(n)) if reverse else range(n)):
        carry, y = _pair(f(carry, tree_unflatten(xs_tree, [x[i] for x in xs_flat])), "scan")
        ys.append(y)
    if reverse:
        ys.reverse()
    y_leaves = [tree_flatten(y)[0] for y in ys]
    tree = tree_flatten(ys[0])[1]
    stacked = [concatenate([reshape(leaf, (1,) + aval_of(leaf).shape) for leaf in column], 0)
               for column in zip(*y_leaves)]
    return carry, tree_unflatten(tree, stacked)


def _pair(result, construct):
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise ArgumentError(f"{construct}: the body must return a pair (carry, y) "
                            f"(at {_where()})")
    return result


def _staged_scan(f, init, xs_flat, xs_tree, n, reverse):
    init_flat, init_tree = tree_flatten(init)
    carry_avals = [aval_of(x) for x in init_flat]
    x_avals = [Aval(aval_of(x).shape[1:], aval_of(x).dtype) for x in xs_flat]
    in_tree = tree_flatten((init, tree_unflatten(xs_tree, [0] * len(xs_flat))))[1]

    def body(carry, x):
        return _pair(f(carry, x), "scan")

    closed = Closed(body, carry_avals + x_avals, in_tree)
    carry_tree, y_tree = _split_pair_tree(closed.out_tree, "scan")
    k = len(init_flat)
    fixed = _promoted_carry(carry_avals, closed.out_avals[:k])
    if fixed is not None:
        carry_avals, init_flat = fixed, _cast_leaves(init_flat, fixed)
        closed = Closed(body, carry_avals + x_avals, in_tree)
        carry_tree, y_tree = _split_pair_tree(closed.out_tree, "scan")
    _check_carry("scan", init_tree, carry_avals, carry_tree, closed.out_avals[:k])
    params = dict(body=cast_outputs(closed.graph, carry_avals + closed.out_avals[k:]),
                  length=n, reverse=bool(reverse), num_consts=len(closed.consts),
                  num_carry=k)
    outs = bind(PRIMITIVES["scan"], closed.consts + init_flat + xs_flat, params)
    return tree_unflatten(init_tree, outs[:k]), tree_unflatten(y_tree, outs[k:])


def _split_pair_tree(tree, construct):
    if tree.kind not in (tuple, list) or len(tree.children) != 2:
        raise ArgumentError(f"{construct}: the body must return a pair (carry, y) "
                            f"(at {_where()})")
    return tree.children


# ---- while_loop and fori_loop -------------------------------------------------------------

def while_loop(cond_fun, body_fun, init_val):
    """val = init_val; while cond_fun(val): val = body_fun(val); return val (JAX's
    lax.while_loop). Differentiable in reverse mode too (a tape records each iteration)."""
    if not staging():
        val = init_val
        while bool(_concrete(cond_fun(val))):
            val = body_fun(val)
        return val
    flat, tree = tree_flatten(init_val)
    args_tree = tree_flatten((init_val,))[1]
    avals = [aval_of(x) for x in flat]
    body = Closed(body_fun, avals, args_tree)
    fixed = _promoted_carry(avals, body.out_avals)
    if fixed is not None:
        avals, flat = fixed, _cast_leaves(flat, fixed)
        body = Closed(body_fun, avals, args_tree)
    _check_carry("while_loop", tree, avals, body.out_tree, body.out_avals)
    test = Closed(cond_fun, avals, args_tree)
    if len(test.out_avals) != 1 or test.out_avals[0].shape != ():
        raise ShapeError(f"while_loop: cond_fun must return one boolean scalar, got "
                         f"{[str(a) for a in test.out_avals]} (at {_where()})")
    if test.out_avals[0].dtype != np.bool_:
        raise ShapeError(f"while_loop: cond_fun must return a boolean scalar, got "
                         f"{test.out_avals[0]} (at {_where()}); compare, e.g. `x > 0`")
    params = dict(test=test.graph, body=cast_outputs(body.graph, avals),
                  num_test_consts=len(test.consts), num_body_consts=len(body.consts))
    outs = bind(PRIMITIVES["while"], test.consts + body.consts + flat, params)
    return tree_unflatten(tree, outs)


def fori_loop(lower, upper, body_fun, init_val):
    """for i in range(lower, upper): val = body_fun(i, val) (JAX's lax.fori_loop). With
    bounds known at trace time it is a scan (differentiable in both modes, no tape);
    with traced bounds a while_loop."""
    if not staging():
        lo, hi = int(_concrete(lower)), int(_concrete(upper))
        val = init_val
        for i in range(lo, hi):
            val = body_fun(i, val)
        return val
    if not is_abstract(lower) and not is_abstract(upper):
        lo, hi = int(_concrete(lower)), int(_concrete(upper))

        def step(carry, _):
            i, val = carry
            return (i + 1, body_fun(i, val)), None
        (_, val), _ = scan(step, (_counter(lo, _index_like(lower, upper)), init_val), length=max(hi - lo, 0))
        return val

    def test(carry):
        return carry[0] < carry[1]

    def body(carry):
        i, hi, val = carry
        return i + 1, hi, body_fun(i, val)
    dtype = _index_dtype(lower, upper)
    # A Python int lower bound gives a weakly typed counter, as in the static case (and
    # as a Python loop's int): `0.1 * i` then keeps the carry's float32.
    counter = int(lower) if is_python_scalar(lower) else convert(lower, dtype)
    _, _, val = while_loop(test, body, (counter, convert(upper, dtype), init_val))
    return val


def _index_like(lower, upper):
    return upper if is_python_scalar(lower) else lower


def _index_dtype(lower, upper):
    """The bounds' integer type; a Python int gives way to the other bound's type."""
    a, b = aval_of(lower), aval_of(upper)
    if a.weak != b.weak:
        return (b if a.weak else a).dtype
    return np.result_type(a.dtype, b.dtype)


def _counter(value, like):
    """The loop index: the bounds' integer type (a Python int stays weakly typed)."""
    if is_python_scalar(like):
        return int(value)
    return np.asarray(value, aval_of(like).dtype)


# ---- checkpoint ---------------------------------------------------------------------------

def checkpoint(fun, *, prevent_cse=True, policy=None, static_argnums=()):
    """fun, whose intermediates reverse mode recomputes in the backward pass instead of
    storing them (JAX's jax.checkpoint / remat): on a scan body, only the carries of each
    step are kept. `prevent_cse` and `policy` are accepted for compatibility (every
    intermediate is recomputed); static_argnums are passed through as Python values."""
    if policy is not None:
        raise ArgumentError("checkpoint: policies are not supported; every intermediate "
                            "is recomputed")
    static = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    @functools.wraps(fun)
    def checkpointed(*args):
        if not staging():
            return fun(*args)
        fixed = {i: args[i] for i in static}
        dynamic = [a for i, a in enumerate(args) if i not in fixed]

        def call(*dyn):
            it = iter(dyn)
            return fun(*[fixed[i] if i in fixed else next(it) for i in range(len(args))])
        flat, args_tree = tree_flatten(tuple(dynamic))
        closed = Closed(call, [aval_of(x) for x in flat], args_tree)
        outs = bind(PRIMITIVES["checkpoint"], closed.consts + flat, {"graph": closed.graph})
        return tree_unflatten(closed.out_tree, outs)

    return checkpointed


remat = checkpoint
