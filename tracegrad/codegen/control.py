"""Control-flow kernels: a cond, scan, while or while_vjp node becomes one kernel function
that branches or loops around calls of its sub-graphs, each lowered like a program of
its own (a "region": kernels plus a body function that calls them, see lower.py).

A loop keeps its carry in two scratch buffers and swaps their pointers each iteration
(the body reads one and writes the other: kernel parameters never alias); a scan's
slices and stacked results are addressed in place (xs[i], ys[i]); a while_vjp's forward
loop pushes each iteration's residuals on a tape that grows by doubling (realloc), and
its backward loop walks the tape from the end. No Python runs per iteration.

Regions are named by a hash of their code, so the same body lowered twice is defined
once in the module."""
from __future__ import annotations

import hashlib

import numpy as np

from ..ir import Literal
from ..ir.control import split_scan, split_while, sub_graphs
from . import host
from .callback import calls_back, emit_failed
from .irtext import const, mem

PLACEHOLDER = "__REGION__"
UNKNOWN_TRIPS = 1000                 # a while loop's trip count, for the cost model
ALIGN = 64


def build_control(kernel, kf, ctx) -> list:
    (node,) = kernel.roots
    _BUILDERS[node.prim.name](node, _Glue(kf, ctx, node))
    return []


class _Glue:
    """The control kernel being written: pointers to operands and scratch, regions,
    labels and the emitter of its function."""

    def __init__(self, kf, ctx, node):
        self.kf, self.ctx, self.node = kf, ctx, node
        self.fn = kf.fn
        self.e = kf.fn.emitter()
        self.n_literals = 0

    def operand(self, x) -> str:
        if not isinstance(x, Literal):
            return self.kf.buffer(x)
        self.n_literals += 1
        dtype = x.aval.dtype
        p = self.kf.scratch(f"literal{self.n_literals}", dtype, 1)
        self.e.do(f"store {mem(dtype)} {const(x.value, dtype if dtype != np.bool_ else np.uint8)}"
                  f", ptr {p}")
        return p

    def operands(self, xs) -> list:
        return [self.operand(x) for x in xs]

    def outputs(self, values) -> list:
        return [self.kf.buffer(v) for v in values]

    def buffers(self, tag, avals) -> list:
        return [self.kf.scratch(f"{tag}{j}", a.dtype, a.size) for j, a in enumerate(avals)]

    def region(self, graph, trips) -> tuple:
        """(body function name, workspace bytes) of a sub-graph lowered as a region."""
        from .lower import lower_region
        r = lower_region(graph, f"{PLACEHOLDER}body", prefix=PLACEHOLDER, trips=trips)
        text = "\n\n".join(r.texts + [r.body])
        tag = "region_" + hashlib.sha256(text.encode()).hexdigest()[:16] + "_"
        self.kf.regions.update(r.regions)
        self.kf.regions[tag] = text.replace(PLACEHOLDER, tag)
        self.fn.helpers |= r.helpers
        return f"{tag}body", r.memory.workspace

    def workspace(self, tag, nbytes) -> str:
        return self.kf.scratch(tag, np.uint8, max(nbytes, 1))

    def call(self, name, pointers):
        self.e.do(f"call void @{name}({', '.join(f'ptr {p}' for p in pointers)})")

    def copy(self, dst, src, aval):
        nbytes = aval.size * aval.dtype.itemsize
        if nbytes:
            self.e.do(f"call void @llvm.memcpy.p0.p0.i64(ptr {dst}, ptr {src}, i64 {nbytes}, "
                      f"i1 false)")

    def zero(self, dst, aval):
        nbytes = aval.size * aval.dtype.itemsize
        if nbytes:
            self.e.do(f"call void @llvm.memset.p0.i64(ptr {dst}, i8 0, i64 {nbytes}, i1 false)")

    def at(self, base, index, stride) -> str:
        """base + index * stride bytes."""
        if stride == 0:
            return base
        offset = self.e(f"mul i64 {index}, {stride}", "off")
        return self.e(f"getelementptr inbounds i8, ptr {base}, i64 {offset}", "at")

    def phis(self, pairs, entry, latch) -> list:
        """Swapped pointer pairs: (current, next) starting as (a, b), exchanged at the
        back edge from `latch`. -> [(current, next)]."""
        out = []
        for a, b in pairs:
            cur, nxt = self.fn.names("cur"), self.fn.names("nxt")
            self.fn.lines.append(f"  {cur} = phi ptr [{a}, %{entry}], [{nxt}, %{latch}]")
            self.fn.lines.append(f"  {nxt} = phi ptr [{b}, %{entry}], [{cur}, %{latch}]")
            out.append((cur, nxt))
        return out


def _slice_bytes(aval) -> int:
    return int(np.prod(aval.shape[1:], dtype=np.int64)) * aval.dtype.itemsize


# ---- scan ---------------------------------------------------------------------------------

def _scan(node, g: _Glue):
    p = node.params
    body, length, k = p["body"], p["length"], p["num_carry"]
    consts, init, xs = split_scan(node.inputs, p["num_consts"], k)
    name, ws_bytes = g.region(body, max(length, 1))
    const_ptrs, init_ptrs, xs_ptrs = g.operands(consts), g.operands(init), g.operands(xs)
    carry_out, ys_out = g.outputs(node.outputs[:k]), g.outputs(node.outputs[k:])
    carry_avals = [v.aval for v in node.outputs[:k]]
    a, b = g.buffers("carry_a", carry_avals), g.buffers("carry_b", carry_avals)
    ws = g.workspace("ws", ws_bytes)
    for dst, src, aval in zip(a, init_ptrs, carry_avals):
        g.copy(dst, src, aval)
    fn, e = g.fn, g.e
    entry, head, step, done = fn.current, fn.label("head"), fn.label("step"), fn.label("done")
    fn.branch(head)
    i, i_next = fn.names("i"), fn.names("i")
    fn.lines.append(f"  {i} = phi i64 [0, %{entry}], [{i_next}, %{step}]")
    carry = g.phis(zip(a, b), entry, step)
    e.do(f"br i1 {e(f'icmp eq i64 {i}, {length}', 'stop')}, label %{done}, label %{step}")
    fn.block(step)
    t = e(f"sub i64 {length - 1}, {i}", "t") if p["reverse"] else i
    x_at = [g.at(x, t, _slice_bytes(v.aval)) for x, v in zip(xs_ptrs, xs)]
    y_at = [g.at(y, t, _slice_bytes(v.aval)) for y, v in zip(ys_out, node.outputs[k:])]
    g.call(name, const_ptrs + [c for c, _ in carry] + x_at + [n for _, n in carry] + y_at
           + [ws])
    fn.lines.append(f"  {i_next} = add i64 {i}, 1")
    fn.lines.append(f"  br label %{head}")
    fn.block(done)
    for dst, (cur, _), aval in zip(carry_out, carry, carry_avals):
        g.copy(dst, cur, aval)


# ---- while --------------------------------------------------------------------------------

def _test_and_flag(g: _Glue, test):
    name, ws_bytes = g.region(test, UNKNOWN_TRIPS)
    return name, g.kf.scratch("flag", np.bool_, 1), g.workspace("test_ws", ws_bytes)


def _branch_on_flag(g: _Glue, flag, yes, no):
    f = g.e(f"load i8, ptr {flag}", "flag")
    go = g.e(f"icmp ne i8 {f}, 0", "go")
    if any(calls_back(graph) for graph in sub_graphs(g.node)):
        # a failed callback leaves zeros behind, which must not keep the loop going
        go = g.e(f"and i1 {go}, {g.e(f'xor i1 {emit_failed(g.e)}, true', 'ok')}", "go")
    g.e.do(f"br i1 {go}, label %{yes}, label %{no}")


def _while(node, g: _Glue):
    p = node.params
    test_consts, body_consts, init = split_while(node.inputs, p["num_test_consts"],
                                                 p["num_body_consts"])
    test_name, flag, test_ws = _test_and_flag(g, p["test"])
    body_name, ws_bytes = g.region(p["body"], UNKNOWN_TRIPS)
    tc, bc, init_ptrs = g.operands(test_consts), g.operands(body_consts), g.operands(init)
    out = g.outputs(node.outputs)
    avals = [v.aval for v in node.outputs]
    a, b = g.buffers("carry_a", avals), g.buffers("carry_b", avals)
    ws = g.workspace("ws", ws_bytes)
    for dst, src, aval in zip(a, init_ptrs, avals):
        g.copy(dst, src, aval)
    fn = g.fn
    entry, head, step, done = fn.current, fn.label("head"), fn.label("step"), fn.label("done")
    fn.branch(head)
    carry = g.phis(zip(a, b), entry, step)
    g.call(test_name, tc + [c for c, _ in carry] + [flag, test_ws])
    _branch_on_flag(g, flag, step, done)
    fn.block(step)
    g.call(body_name, bc + [c for c, _ in carry] + [n for _, n in carry] + [ws])
    fn.lines.append(f"  br label %{head}")
    fn.block(done)
    for dst, (cur, _), aval in zip(out, carry, avals):
        g.copy(dst, cur, aval)


# ---- while_vjp ----------------------------------------------------------------------------

def _while_vjp(node, g: _Glue):
    p = node.params
    test_consts, body_consts, rest = split_while(node.inputs, p["num_test_consts"],
                                                 p["num_body_consts"])
    k = p["num_carry"]
    init, ct_final = rest[:k], rest[k:]
    forward, backward = p["forward"], p["backward"]
    test_name, flag, test_ws = _test_and_flag(g, p["test"])
    fwd_name, fwd_ws = g.region(forward, UNKNOWN_TRIPS)
    bwd_name, bwd_ws = g.region(backward, UNKNOWN_TRIPS)
    tc, bc = g.operands(test_consts), g.operands(body_consts)
    init_ptrs, ct_ptrs = g.operands(init), g.operands(ct_final)
    out = g.outputs(node.outputs)
    carry_avals = forward.out_avals[:k]
    residuals = forward.out_avals[k:]
    offsets, record = [], 0
    for aval in residuals:                   # one tape record per iteration
        offsets.append(record)
        record += -(-aval.size * aval.dtype.itemsize // ALIGN) * ALIGN
    a, b = g.buffers("carry_a", carry_avals), g.buffers("carry_b", carry_avals)
    ws = g.workspace("ws", max(fwd_ws, bwd_ws))
    for dst, src, aval in zip(a, init_ptrs, carry_avals):
        g.copy(dst, src, aval)
    fn, e = g.fn, g.e

    # forward: run the loop, pushing residuals
    entry = fn.current
    head, grow_check, grow, step, fwd_done = (fn.label(x) for x in
                                              ("head", "check", "grow", "step", "fwd_done"))
    fn.branch(head)
    count, count_next = fn.names("count"), fn.names("count")
    tape, cap, tape_next, cap_next = (fn.names(x) for x in ("tape", "cap", "tape", "cap"))
    fn.lines.append(f"  {count} = phi i64 [0, %{entry}], [{count_next}, %{step}]")
    fn.lines.append(f"  {tape} = phi ptr [null, %{entry}], [{tape_next}, %{step}]")
    fn.lines.append(f"  {cap} = phi i64 [0, %{entry}], [{cap_next}, %{step}]")
    carry = g.phis(zip(a, b), entry, step)
    g.call(test_name, tc + [c for c, _ in carry] + [flag, test_ws])
    _branch_on_flag(g, flag, grow_check, fwd_done)
    fn.block(grow_check)
    full = e(f"icmp eq i64 {count}, {cap}", "full")
    e.do(f"br i1 {full}, label %{grow}, label %{step}")
    fn.block(grow)
    doubled = e(f"mul i64 {cap}, 2", "cap")
    bigger = e(f"add i64 {doubled}, 16", "cap")
    nbytes = e(f"mul i64 {bigger}, {max(record, 1)}", "bytes")
    grown = e(f"call ptr @realloc(ptr {tape}, i64 {nbytes})", "tape")
    out_of_memory = fn.label("oom")
    e.do(f"br i1 {e(f'icmp eq ptr {grown}, null', 'oom')}, label %{out_of_memory}, "
         f"label %{step}")
    # No memory for the tape: report it (the driver raises MemoryError after the run)
    # and leave the kernel; its outputs are never seen.
    fn.block(out_of_memory)
    asked = e(f"inttoptr i64 {nbytes} to ptr", "asked")
    e.call("i32", host.SYMBOL, [("i64", host.OUT_OF_MEMORY), ("ptr", asked), ("ptr", "null")],
           "reported")
    e.do(f"call void @free(ptr {tape})")
    e.do("ret void")
    fn.block(step)
    fn.lines.append(f"  {tape_next} = phi ptr [{tape}, %{grow_check}], [{grown}, %{grow}]")
    fn.lines.append(f"  {cap_next} = phi i64 [{cap}, %{grow_check}], [{bigger}, %{grow}]")
    rec = g.at(tape_next, count, record)
    res = [e(f"getelementptr inbounds i8, ptr {rec}, i64 {off}", "res") for off in offsets]
    g.call(fwd_name, bc + [c for c, _ in carry] + [n for _, n in carry] + res + [ws])
    fn.lines.append(f"  {count_next} = add i64 {count}, 1")
    fn.lines.append(f"  br label %{head}")
    fn.block(fwd_done)

    # backward: state = (summed const cotangents = 0, ct_final), one step per record
    state_avals = [v.aval for v in node.outputs]
    n_sums = len(state_avals) - len(ct_final)
    sa, sb = g.buffers("state_a", state_avals), g.buffers("state_b", state_avals)
    for dst, aval in zip(sa[:n_sums], state_avals):
        g.zero(dst, aval)
    for dst, src, aval in zip(sa[n_sums:], ct_ptrs, state_avals[n_sums:]):
        g.copy(dst, src, aval)
    b_entry = fn.current
    b_head, b_step, b_done = fn.label("bhead"), fn.label("bstep"), fn.label("bdone")
    fn.branch(b_head)
    j, j_next = fn.names("j"), fn.names("j")
    fn.lines.append(f"  {j} = phi i64 [{count}, %{b_entry}], [{j_next}, %{b_step}]")
    state = g.phis(zip(sa, sb), b_entry, b_step)
    e.do(f"br i1 {e(f'icmp eq i64 {j}, 0', 'stop')}, label %{b_done}, label %{b_step}")
    fn.block(b_step)
    fn.lines.append(f"  {j_next} = sub i64 {j}, 1")
    rec = g.at(tape, j_next, record)
    res = [e(f"getelementptr inbounds i8, ptr {rec}, i64 {off}", "res") for off in offsets]
    g.call(bwd_name, bc + res + [c for c, _ in state] + [n for _, n in state] + [ws])
    fn.lines.append(f"  br label %{b_head}")
    fn.block(b_done)
    for dst, (cur, _), aval in zip(out, state, state_avals):
        g.copy(dst, cur, aval)
    e.do(f"call void @free(ptr {tape})")


# ---- cond ---------------------------------------------------------------------------------

def _cond(node, g: _Glue):
    branches = node.params["branches"]
    index, operands = node.inputs[0], node.inputs[1:]
    regions = [g.region(graph, 1) for graph in branches]
    index_ptr, ops = g.operand(index), g.operands(operands)
    out = g.outputs(node.outputs)
    ws = g.workspace("ws", max(nbytes for _, nbytes in regions))
    fn, e = g.fn, g.e
    dtype = index.aval.dtype
    raw = e(f"load {mem(dtype)}, ptr {index_ptr}", "index")
    if dtype.itemsize < 8:
        raw = e(f"{'sext' if dtype.kind == 'i' else 'zext'} {mem(dtype)} {raw} to i64", "index")
    last = len(branches) - 1
    low = e(f"select i1 {e(f'icmp slt i64 {raw}, 0', 'neg')}, i64 0, i64 {raw}", "index")
    chosen = e(f"select i1 {e(f'icmp sgt i64 {low}, {last}', 'big')}, i64 {last}, i64 {low}",
               "index")
    labels = [fn.label(f"branch{i}") for i in range(len(branches))]
    done = fn.label("done")
    cases = " ".join(f"i64 {i}, label %{label}" for i, label in enumerate(labels[1:], 1))
    e.do(f"switch i64 {chosen}, label %{labels[0]} [ {cases} ]")
    for (name, _), label in zip(regions, labels):
        fn.block(label)
        g.call(name, ops + out + [ws])
        e.do(f"br label %{done}")
    fn.block(done)


_BUILDERS = {"scan": _scan, "while": _while, "while_vjp": _while_vjp, "cond": _cond}
