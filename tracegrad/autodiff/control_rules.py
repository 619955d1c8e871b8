"""Derivatives of control flow (cond, scan, while) and checkpoint, in both modes.

The rules emit control flow again through tracegrad.lax, so the derivative of a loop
is a loop (compiled natively, differentiable again):
  JVP   the same construct over (primal, tangent) pairs;
  cond  VJP: the chosen branch's backward (it recomputes its forward: only the taken
        branch runs in either pass);
  scan  VJP: a forward scan that stacks each step's residuals, then a reversed scan
        of the backward half (partial_eval.py);
  while VJP: one `while_vjp` node: the forward loop pushes residuals on a tape, the
        backward loop pops them — reverse mode through a data-dependent trip count."""
from __future__ import annotations

from .. import lax
from .. import numpy as tnp
from ..errors import MissingRuleError
from ..ir import Aval, Value
from ..ir.control import split_scan, split_while
from ..lax.control import Closed, scan, switch, union_consts, while_loop
from ..tracer import aval_of, replay, tree_flatten
from .backward import backward, is_differentiable
from .forward import forward
from .jvp_rules import defjvp
from .partial_eval import joint_vjp, mark_recomputed, split
from .rules import defvjp


def _instantiate(t, x):
    """A tangent or cotangent for every floating-point value x (zeros for a symbolic
    zero), None for the others: loop carries need a fixed structure."""
    if not is_differentiable(aval_of(x)):
        return None
    return t if t is not None else tnp.zeros_like(x)


def _jvp_of(graph, primals, tangents):
    """(outputs, output tangents) of a sub-graph, replayed in the current trace."""
    outs, env = replay(graph, list(primals))
    out_t = forward(graph, env, {v: t for v, t in zip(graph.inputs, tangents)
                                 if t is not None})
    return list(outs), [_instantiate(t, o) for t, o in zip(out_t, outs)]


def _vjp_of(graph, primals, cts):
    """Cotangents of a sub-graph's inputs (zeros/None as _instantiate) given its
    outputs' (None for zero)."""
    _, env = replay(graph, list(primals))
    in_cts = backward(graph, env, list(cts), list(graph.inputs))
    return [_instantiate(ct, x) for ct, x in zip(in_cts, primals)]


# ---- cond ---------------------------------------------------------------------------------

@defjvp("cond")
def _cond_jvp(tangents, outs, index, *operands, branches):
    t_ops = [_instantiate(t, x) for t, x in zip(tangents[1:], operands)]

    def branch_jvp(graph):
        return lambda ops, ts: _jvp_of(graph, ops, ts)[1]
    return switch(index, [branch_jvp(g) for g in branches], list(operands), t_ops)


@defvjp("cond")
def _cond_vjp(cts, outs, index, *operands, branches):
    cts = [_instantiate(ct, o) for ct, o in zip(cts, outs)]

    def branch_vjp(graph):
        return lambda ops, c: _vjp_of(graph, ops, c)
    return [None] + list(switch(index, [branch_vjp(g) for g in branches],
                                list(operands), cts))


# ---- scan ---------------------------------------------------------------------------------

@defjvp("scan")
def _scan_jvp(tangents, outs, *args, body, length, reverse, num_consts, num_carry):
    consts, init, xs = split_scan(args, num_consts, num_carry)
    t_consts, t_init, t_xs = split_scan(tangents, num_consts, num_carry)
    t_init = [_instantiate(t, c) for t, c in zip(t_init, init)]
    k = num_carry

    def step(carry, x):
        (c, tc), (xx, tx) = carry, x
        o, to = _jvp_of(body, consts + list(c) + list(xx), list(t_consts) + list(tc) + list(tx))
        return (o[:k], to[:k]), (o[k:], to[k:])
    (_, tc), (_, ty) = scan(step, (init, t_init), (xs, list(t_xs)), length=length,
                            reverse=reverse)
    return list(tc) + list(ty)


@defvjp("scan")
def _scan_vjp(cts, outs, *args, body, length, reverse, num_consts, num_carry):
    consts, init, xs = split_scan(args, num_consts, num_carry)
    k, n_out = num_carry, len(body.outputs)
    joint = joint_vjp(body)
    halves = split(joint, invariant=list(range(num_consts)),
                   streamed=list(range(num_consts + k, len(body.inputs))))
    hoisted = list(joint.consts)

    def forward_step(carry, x):
        o, _ = replay(halves.forward, hoisted + consts + list(carry) + list(x))
        return o[:k], o[n_out:]
    _, residuals = scan(forward_step, init, xs, length=length, reverse=reverse)

    diff = joint.in_diff
    n_const_ct, n_carry_ct = sum(diff[:num_consts]), sum(diff[num_consts:num_consts + k])
    ct_carry = [_instantiate(ct, o) for ct, o in zip(cts[:k], outs[:k])]
    ct_carry = [ct for ct in ct_carry if ct is not None]
    ct_ys = [_instantiate(ct, o) for ct, o in zip(cts[k:], outs[k:])]
    ct_ys = [ct for ct in ct_ys if ct is not None]
    totals = [tnp.zeros_like(c) for c, d in zip(consts, diff) if d]
    invariant = hoisted + consts

    def backward_step(carry, x):
        (ct_c, total), (res, xx, ct_y) = carry, x
        o, _ = replay(halves.backward, invariant + list(res) + list(xx) + list(ct_c)
                      + list(ct_y))
        step_consts = o[:n_const_ct]
        total = [t + s for t, s in zip(total, step_consts)]
        return (o[n_const_ct:n_const_ct + n_carry_ct], total), o[n_const_ct + n_carry_ct:]
    (ct_init, ct_consts), ct_xs = scan(backward_step, (ct_carry, totals),
                                       (list(residuals), xs, ct_ys), length=length,
                                       reverse=not reverse)
    found = iter(list(ct_consts) + list(ct_init) + list(ct_xs))
    return [next(found) if d else None for d in diff]


# ---- while --------------------------------------------------------------------------------

@defjvp("while")
def _while_jvp(tangents, outs, *args, test, body, num_test_consts, num_body_consts):
    test_consts, body_consts, init = split_while(args, num_test_consts, num_body_consts)
    _, t_body, t_init = split_while(tangents, num_test_consts, num_body_consts)
    t_init = [_instantiate(t, c) for t, c in zip(t_init, init)]

    def test_fn(carry):
        return replay(test, test_consts + list(carry[0]))[0][0]

    def body_fn(carry):
        c, tc = carry
        return tuple(_jvp_of(body, body_consts + list(c), list(t_body) + list(tc)))
    _, t_final = while_loop(test_fn, body_fn, (init, t_init))
    return list(t_final)


@defvjp("while")
def _while_vjp(cts, outs, *args, test, body, num_test_consts, num_body_consts):
    test_consts, body_consts, init = split_while(args, num_test_consts, num_body_consts)
    joint = joint_vjp(body)
    halves = split(joint, invariant=list(range(num_body_consts)), streamed=[])
    hoisted = list(joint.consts)
    ct_final = [_instantiate(ct, o) for ct, o in zip(cts, outs)]
    ct_final = [ct for ct in ct_final if ct is not None]
    consts = hoisted + body_consts
    n_sums = sum(joint.in_diff[:num_body_consts])
    sums = [aval_of(c) for c, d in zip(body_consts, joint.in_diff) if d]
    n_res = len(halves.residuals)

    def backward_step(*args):
        # consts, residuals, state -> state: the body consts' cotangents are summed
        # inside the loop, so the state is all the backward loop carries.
        fixed, res, state = args[:len(consts)], args[len(consts):len(consts) + n_res], \
            args[len(consts) + n_res:]
        o, _ = replay(halves.backward, list(fixed) + list(res) + list(state[n_sums:]))
        return [t + s for t, s in zip(state[:n_sums], o[:n_sums])] + list(o[n_sums:])
    avals = [aval_of(c) for c in consts] + halves.residuals + sums + \
        [aval_of(ct) for ct in ct_final]
    closed = Closed(backward_step, avals, tree_flatten(tuple(range(len(avals))))[1])
    # Arrays the backward half computed while tracing (constant parts) become more body
    # consts, which the forward half takes too (unused).
    extra = [Value(aval_of(c)) for c in closed.consts]
    forward_graph = halves.forward.replace(inputs=extra + halves.forward.inputs)
    consts = list(closed.consts) + consts
    state = lax.apply("while_vjp", *test_consts, *consts, *init, *ct_final,
                      test=test, forward=forward_graph, backward=closed.graph,
                      num_test_consts=num_test_consts, num_body_consts=len(consts),
                      num_carry=len(init))
    found = iter(state)
    return [None] * num_test_consts + [next(found) if d else None for d in joint.in_diff]


@defjvp("while_vjp")
def _while_vjp_jvp(tangents, outs, *args, test, forward, backward, num_test_consts,
                   num_body_consts, num_carry):
    # The same tape loop over (primal, tangent) pairs: the forward half pushes residuals
    # and their tangents, the backward half pops both; the trip count is the primal's
    # (piecewise constant, so it has no derivative). Forward over reverse: hessian.
    n = num_test_consts + num_body_consts
    test_consts, consts = list(args[:num_test_consts]), list(args[num_test_consts:n])
    init, ct_final = list(args[n:n + num_carry]), list(args[n + num_carry:])
    t_consts = [t if t is not None and is_differentiable(aval_of(x)) else None
                for t, x in zip(tangents[num_test_consts:n], consts)]
    t_init = _tangents(tangents[n:n + num_carry], init)
    t_ct = _tangents(tangents[n + num_carry:], ct_final)
    live_consts, t_carry = _present(t_consts), _present(t_init)
    n_res = len(forward.outputs) - num_carry
    n_sums = len(backward.outputs) - len(ct_final)
    res_avals = forward.out_avals[num_carry:]
    res_diff = [True if is_differentiable(a) else None for a in res_avals]
    sums, cts = backward.out_avals[:n_sums], backward.out_avals[n_sums:]

    def forward_jvp(*a):
        k, tk, c, tc = _cut(a, len(consts), len(live_consts), num_carry)
        o, to = _jvp_of(forward, k + c, _fill(t_consts, tk) + _fill(t_init, tc))
        return (o[:num_carry] + _present(to[:num_carry]) + o[num_carry:]
                + _present(to[num_carry:]))

    def backward_jvp(*a):
        k, tk, r, tr, s, ts, c, tc = _cut(a, len(consts), len(live_consts), n_res,
                                          len(_present(res_diff)), n_sums, n_sums,
                                          len(cts))
        o, to = _jvp_of(backward, k + r + s + c,
                        _fill(t_consts, tk) + _fill(res_diff, tr) + ts + tc)
        return o[:n_sums] + to[:n_sums] + o[n_sums:] + to[n_sums:]

    def test_jvp(*a):
        return replay(test, list(a[:num_test_consts + num_carry]))[0][0]

    fwd = _closed(forward_jvp, consts + live_consts + init + t_carry)
    bwd = _closed(backward_jvp, [aval_of(x) for x in consts + live_consts] + res_avals
                  + [a for a, d in zip(res_avals, res_diff) if d] + sums + sums + cts + cts)
    tst = _closed(test_jvp, test_consts + init + t_carry)
    hoisted = union_consts(fwd, bwd)
    state = lax.apply("while_vjp", *tst.consts, *test_consts, *hoisted, *consts,
                      *live_consts, *init, *t_carry, *ct_final, *t_ct,
                      test=tst.graph, forward=fwd.with_consts(hoisted),
                      backward=bwd.with_consts(hoisted),
                      num_test_consts=len(tst.consts) + num_test_consts,
                      num_body_consts=len(hoisted) + len(consts) + len(live_consts),
                      num_carry=num_carry + len(t_carry))
    return list(state[n_sums:2 * n_sums]) + list(state[2 * n_sums + len(cts):])


def _closed(fn, values_or_avals) -> Closed:
    avals = [v if isinstance(v, Aval) else aval_of(v) for v in values_or_avals]
    return Closed(fn, avals, tree_flatten(tuple(range(len(avals))))[1])


def _tangents(ts, xs):
    return [_instantiate(t, x) for t, x in zip(ts, xs)]


def _cut(seq, *sizes):
    """seq in consecutive pieces of the given sizes, then the rest."""
    out, i = [], 0
    for n in sizes:
        out.append(list(seq[i:i + n]))
        i += n
    return out + [list(seq[i:])]


def _fill(pattern, present):
    """Tangents aligned with `pattern`: the next of `present` where pattern has one."""
    found = iter(present)
    return [next(found) if p is not None else None for p in pattern]


def _present(ts):
    return [t for t in ts if t is not None]


@defvjp("while_vjp")
def _while_vjp_again(*_, **__):
    raise MissingRuleError(
        "reverse mode over reverse mode through a while_loop (grad of a gradient that "
        "went through a data-dependent loop) is not supported. Use forward over reverse "
        "(tg.hessian, tg.jvp of tg.grad), or fori_loop with bounds known at trace time "
        "(a scan, differentiable to any order).")


# ---- checkpoint ---------------------------------------------------------------------------

@defjvp("checkpoint")
def _checkpoint_jvp(tangents, outs, *args, graph):
    return _jvp_of(graph, args, tangents)[1]


@defvjp("checkpoint")
def _checkpoint_vjp(cts, outs, *args, graph):
    # Recompute the function from its inputs; in a loop body the recomputation is part
    # of the backward half (not stored per iteration).
    _, env = replay(graph, list(args))
    inputs = set(graph.inputs)
    mark_recomputed(x for v, x in env.items() if v not in inputs)
    in_cts = backward(graph, env, list(cts), list(graph.inputs))
    return in_cts
