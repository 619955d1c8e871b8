"""Batching rules of the primitives that carry sub-graphs or call out: control flow
(cond, scan, while), calls (checkpoint, custom_vjp/custom_jvp functions, the LU solves)
and pure_callback.

Control flow is re-emitted through the `tracegrad.lax` constructs with batched bodies, so
under `compile` it stays one loop or branch in the program and elsewhere it runs as
Python control flow over whole-batch operations. A carry that becomes batched in the
body is batched from the start (a fixpoint over the body, as JAX does). A branch index
per example runs every branch and selects; a loop condition per example runs until
every example is done, keeping each finished example's carry unchanged."""
from __future__ import annotations

import numpy as np

from .. import lax
from .. import numpy as tnp
from ..ir import Aval
from ..ir.control import split_scan, split_while
from ..tracer import bind, tree_flatten, tree_unflatten
from .batching import (all_batched, batch_graph, batched_outputs, broadcast_batch, defbatch,
                       force_batched, moveaxis, ndim)
from .batching_rules import loop_over_batch
from .custom_jvp import custom_jvp
from .custom_vjp import custom_vjp
from .vmap import vmap


def _runner(graph, flags, size):
    """graph as a function of its operands, batched as `flags` say; all its outputs
    batched."""
    def run(*operands):
        outs, out_flags = batch_graph(graph, list(operands), flags, size)
        return force_batched(outs, out_flags, [True] * len(outs), size)
    return run


def _lanes(pred, like):
    """A per-example bool (B,) with unit axes to broadcast against `like` (B, ...)."""
    return lax.reshape(pred, (pred.shape[0],) + (1,) * (ndim(like) - 1))


def _carry_fixpoint(body, consts_flags, carry_flags, xs_flags=()):
    """Carries batched in a loop: those batched at the start or made batched by the body
    (inputs consts, carry, xs; outputs carry, ys). -> (carry flags, ys flags)."""
    carry_flags, n = list(carry_flags), len(carry_flags)
    while True:
        out = batched_outputs(body, list(consts_flags) + carry_flags + list(xs_flags))
        grown = [a or b for a, b in zip(carry_flags, out[:n])]
        if grown == carry_flags:
            return carry_flags, out[n:]
        carry_flags = grown


# ---- cond ------------------------------------------------------------------------------------

@defbatch("cond")
def _cond(args, batched, size, node):
    index, operands = args[0], args[1:]
    branches = node.params["branches"]
    flags = batched[1:]
    runs = [_runner(g, flags, size) for g in branches]
    if not batched[0]:
        return list(lax.switch(index, runs, *operands))
    # An index per example: every branch runs; each example takes its branch's results
    # (the index clamped to the branches, as switch does).
    results = [run(*operands) for run in runs]
    chosen = results[-1]
    for i in reversed(range(len(branches) - 1)):
        take = lax.apply("le", index, np.asarray(i, index.dtype))
        chosen = [lax.select(_lanes(take, a), a, b) for a, b in zip(results[i], chosen)]
    return chosen


# ---- scan --------------------------------------------------------------------------------------

@defbatch("scan")
def _scan(args, batched, size, node):
    p = node.params
    nc, ncarry = p["num_consts"], p["num_carry"]
    consts, init, xs = split_scan(args, nc, ncarry)
    consts_f, init_f, xs_f = split_scan(batched, nc, ncarry)
    carry_f, ys_f = _carry_fixpoint(p["body"], consts_f, init_f, xs_f)
    init = force_batched(init, init_f, carry_f, size)
    # Per-step slices of a batched x are batched: the scanned axis goes first.
    xs = [moveaxis(x, 0, 1) if f else x for x, f in zip(xs, xs_f)]
    body_flags = list(consts_f) + carry_f + list(xs_f)

    def step(carry, x):
        slices = list(x) if x is not None else []          # (a scan without xs)
        outs, flags = batch_graph(p["body"], consts + list(carry) + slices, body_flags, size)
        outs = force_batched(outs, flags, carry_f + ys_f, size)
        return outs[:ncarry], outs[ncarry:]
    carry, ys = lax.scan(step, init, xs if xs else None, length=p["length"],
                         reverse=p["reverse"])
    ys = [moveaxis(y, 1, 0) if f else broadcast_batch(y, size) for y, f in zip(ys, ys_f)]
    return force_batched(list(carry), carry_f, [True] * ncarry, size) + ys


# ---- while -------------------------------------------------------------------------------------

@defbatch("while")
def _while(args, batched, size, node):
    p = node.params
    ntc, nbc = p["num_test_consts"], p["num_body_consts"]
    test_consts, body_consts, init = split_while(args, ntc, nbc)
    tc_f, bc_f, init_f = split_while(batched, ntc, nbc)
    carry_f, _ = _carry_fixpoint(p["body"], bc_f, init_f)
    per_example_test = batched_outputs(p["test"], list(tc_f) + carry_f)[0]
    if per_example_test:                      # finished examples keep their carry
        carry_f = [True] * len(init)
    init = force_batched(init, init_f, carry_f, size)
    test_flags, body_flags = list(tc_f) + carry_f, list(bc_f) + carry_f

    def predicate(carry):
        (pred,), _ = batch_graph(p["test"], test_consts + list(carry), test_flags, size)
        return pred

    def test(carry):
        pred = predicate(carry)
        return tnp.any(pred) if per_example_test else pred

    def body(carry):
        outs, flags = batch_graph(p["body"], body_consts + list(carry), body_flags, size)
        outs = force_batched(outs, flags, carry_f, size)
        if per_example_test:
            running = predicate(carry)
            outs = [lax.select(_lanes(running, new), new, old) for new, old in zip(outs, carry)]
        return outs
    final = lax.while_loop(test, body, list(init))
    return force_batched(list(final), carry_f, [True] * len(init), size)


# Reverse mode through a while loop keeps a tape per run; examples would need tapes of
# different lengths, so it loops over the batch.
defbatch("while_vjp")(loop_over_batch)


# ---- calls -------------------------------------------------------------------------------------

@defbatch("checkpoint")
def _checkpoint(args, batched, size, node):
    return list(lax.checkpoint(_runner(node.params["graph"], list(batched), size))(*args))


@defbatch("lu_solve_call", "lu_logdet_call")
def _inlined(args, batched, size, node):
    # The solve's graph on the batch (its derivative is then the graph's own).
    return _runner(node.params["graph"], list(batched), size)(*args)


@defbatch("custom_vjp_call")
def _custom_vjp_call(args, batched, size, node):
    p = node.params
    if p["num_captured"]:                     # the rule closes over values of one example
        return loop_over_batch(args, batched, size, node)
    rule, nondiff, in_tree, out_tree = p["rule"], p["nondiff"], p["in_tree"], p["out_tree"]
    leaves = all_batched(args, batched, size)

    def example_fwd(*leaves):
        out, residuals = rule.fwd(*rule._merge(nondiff, tree_unflatten(in_tree, list(leaves))))
        return tree_flatten(out)[0], residuals

    def example_bwd(residuals, cts):
        grads = rule.bwd(*nondiff, residuals, tree_unflatten(out_tree, list(cts)))
        return tuple(tree_flatten(grads)[0])

    def fwd(*leaves):
        out, residuals = vmap(example_fwd)(*leaves)
        return list(out), residuals

    def bwd(residuals, cts):
        return tuple(vmap(example_bwd)(residuals, list(cts)))

    batched_fn = custom_vjp(_runner(p["graph"], [True] * len(leaves), size))
    batched_fn.defvjp(fwd, bwd)
    return list(batched_fn(*leaves))


@defbatch("custom_jvp_call")
def _custom_jvp_call(args, batched, size, node):
    p = node.params
    if p["num_captured"]:
        return loop_over_batch(args, batched, size, node)
    rule, nondiff, in_tree = p["rule"], p["nondiff"], p["in_tree"]
    leaves = all_batched(args, batched, size)

    def example_jvp(primals, tangents):
        out, t_out = rule.jvp(*nondiff, tree_unflatten(in_tree, list(primals)),
                              tree_unflatten(in_tree, list(tangents)))
        return tree_flatten(out)[0], tree_flatten(t_out)[0]

    batched_fn = custom_jvp(_runner(p["graph"], [True] * len(leaves), size))
    batched_fn.defjvp(lambda primals, tangents: vmap(example_jvp)(list(primals),
                                                                  list(tangents)))
    return list(batched_fn(*leaves))


# ---- pure_callback: the callback once per example, on the host --------------------------------

class _PerExample:
    """A pure_callback's function called once per example of a batch, its results
    stacked (or once on the whole batch, when its vmap_method asks for that). Equal wrappers of equal callbacks are equal (compiled programs are cached
    by their params)."""

    def __init__(self, callback, batched, size, out_avals):
        self.callback, self.batched, self.size = callback, tuple(batched), size
        self.out_avals = tuple(out_avals)
        self.name = self.__qualname__ = f"vmap({getattr(callback, 'name', callback)})"

    def _key(self):
        return (self.callback, self.batched, self.size, self.out_avals)

    def __eq__(self, other):
        return isinstance(other, _PerExample) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return self.name

    def __call__(self, *arrays):
        call_on_batch = getattr(self.callback, "call_on_batch", None)
        whole = call_on_batch(arrays, self.batched, self.size) if call_on_batch else None
        if whole is not None:
            return whole
        results = [self.callback(*[a[i] if b else a for a, b in zip(arrays, self.batched)])
                   for i in range(self.size)]
        return [np.stack([np.asarray(r[j]) for r in results]) if results else
                np.empty((0,) + tuple(a.shape), a.dtype) for j, a in enumerate(self.out_avals)]


@defbatch("pure_callback")
def _pure_callback(args, batched, size, node):
    callback, out_avals = node.params["callback"], node.params["out_avals"]
    avals = tuple(Aval((size,) + tuple(a.shape), a.dtype) for a in out_avals)
    per_example = _PerExample(callback, batched, size, out_avals)
    return bind(node.prim, args, {"callback": per_example, "out_avals": avals}, node.loc)
