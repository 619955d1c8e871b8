"""A loop nest under construction, emitted as LLVM IR: evaluates fused values at
symbolic points and places each instruction at the outermost loop where its indices are
defined (so a value that depends only on outer indices is computed once per outer
iteration).

Evaluation is iterative (an explicit stack): a chain of thousands of fused operations
does not recurse."""
from __future__ import annotations

import math

import numpy as np

from ..ir import Literal, Value
from ..ir.kinds import ELEMENTWISE, FUSIBLE, IOTA, LOAD, VIEW
from .emit_table import rule
from .index import Idx, linear, unravel
from .irtext import (FLOAT_FLAGS, REDUCE_FLAGS, Emitter, Function, const, convert,
                     extreme, identity, is_float, is_signed, reg)

VECTOR_MATH_MIN_TRIPS = 512


class Conflict(Exception):
    """A value cannot be computed in this nest (it needs a result the nest is still
    producing). Fusion plans kernels so that this never happens; it is a bug if it does."""


class LoopNest:
    """Perfectly nested loops over `shape`, opened in `order` (outermost first), emitted
    into the kernel function `fn`.

    ctx.producer: Value -> Node for every node output of the graph
    ctx.fused:    predicate: is this value computed inline (True) or read from a buffer?
    ctx.buffer:   Value -> pointer (a parameter of `fn`) to the value's elements
    own:          values this nest produces (its roots); they are never loaded from memory
    guarded:      use rules' Guarded computations; `outside` then names the counter of
                  operands beyond their domain (None while there are none)"""

    def __init__(self, fn: Function, ctx, shape, order, own=frozenset(), reverse_axis=None,
                 guarded=False):
        self.fn, self.ctx = fn, ctx
        self.shape = tuple(shape)
        self.own = own
        self.prefix = fn.label("n")
        self.loops = []                   # (axis, trips, reversed), outermost first
        point = [None] * len(shape)
        for axis in order:
            if shape[axis] == 1:
                point[axis] = Idx(0)
            else:
                self.loops.append((axis, shape[axis], axis == reverse_axis))
                point[axis] = Idx.var(self._var(axis), len(self.loops))
        self.point = tuple(point)
        self.depth = len(self.loops)
        self.pre = [[] for _ in range(self.depth + 1)]
        self.post = [[] for _ in range(self.depth + 1)]
        self.memo = {}                    # (value, point) -> (register, depth)
        self.index_memo = {}              # Idx -> register
        self.nodes = []                   # fused nodes, in evaluation order
        self.guarded = guarded
        self.outside = None               # alloca counting operands outside a domain
        self.counted = set()
        self.fills = []                   # (pointer, size, dtype, value) set before the nest
        # Vectorizable math helpers pay off in loops of many iterations (counting the
        # runs of a loop body's kernel); in short ones libm is as fast and far cheaper to
        # compile.
        trips = math.prod(n for _, n, _ in self.loops) * getattr(ctx, "trips", 1)
        self.big = trips >= VECTOR_MATH_MIN_TRIPS

    def _var(self, axis) -> str:
        return f"%{self.prefix}.i{axis}"

    # ---- placement -------------------------------------------------------------------
    def at(self, depth: int) -> Emitter:
        return self.fn.emitter().at(self.pre[depth])

    def after(self, depth: int) -> Emitter:
        return self.fn.emitter().at(self.post[depth])

    def index(self, idx: Idx) -> tuple:
        """(i64 register or constant, depth) of an index expression."""
        if idx.is_const():
            return str(idx.const), 0
        depth = idx.depth()
        if idx not in self.index_memo:
            e = self.at(depth)
            total = None
            for atom, coeff in idx.terms:
                term = self._atom(e, atom)
                if coeff != 1:
                    term = e.iop("mul", "i64", term, str(coeff))
                total = term if total is None else e.iop("add", "i64", total, term)
            if idx.const:
                total = e.iop("add", "i64", total, str(idx.const))
            self.index_memo[idx] = total
        return self.index_memo[idx], depth

    def _atom(self, e: Emitter, atom) -> str:
        kind, a, b = atom
        if kind in ("var", "sym"):
            return a
        inner, _ = self.index(a)
        if kind == "div":
            return e.iop("sdiv", "i64", inner, str(b))
        if kind == "mod":
            return e.iop("srem", "i64", inner, str(b))
        low = e.call("i64", "llvm.smax.i64", [("i64", inner), ("i64", "0")])
        return e.call("i64", "llvm.smin.i64", [("i64", low), ("i64", str(b - 1))])

    # ---- evaluation ------------------------------------------------------------------
    def value_at(self, x, point) -> tuple:
        """(register, depth) of operand `x` at `point`."""
        if isinstance(x, Literal):
            return const(x.value, x.aval.dtype), 0
        key = (x, point)
        found = self.memo.get(key)
        if found is not None:
            return found
        stack = [key]
        while stack:
            v, p = stack[-1]
            if (v, p) in self.memo:
                stack.pop()
                continue
            needed = [k for k in self._operands(v, p) if k not in self.memo]
            if needed:
                stack.extend(needed)
                continue
            stack.pop()
            self.memo[(v, p)] = self._compute(v, p)
        return self.memo[key]

    def _computed_here(self, x) -> bool:
        if x in self.own:
            node = self.ctx.producer[x]
            if node.prim.kind not in FUSIBLE:
                raise Conflict(f"{node.prim.name} is produced by this loop and read "
                               f"before it is complete")
            return True
        return self.ctx.fused(x)

    def _operands(self, x, point) -> list:
        """The (value, point) pairs `x` at `point` reads that are computed inline."""
        if not self._computed_here(x):
            return []
        if x in self.own and point != self.point:
            node = self.ctx.producer[x]
            raise Conflict(f"{node.prim.name} is produced by this loop and read at "
                           f"another point")
        node = self.ctx.producer[x]
        kind = node.prim.kind
        if kind == ELEMENTWISE:
            pairs = [(op, broadcast_point(point, x.aval.shape, op.aval.shape))
                     for op in node.inputs]
        elif kind == VIEW:
            pairs = VIEW_OPERANDS[node.prim.name](self, node, point)
        elif kind == LOAD:
            pairs = LOAD_OPERANDS[node.prim.name](node, point)
        else:
            pairs = []
        return [(v, p) for v, p in pairs if isinstance(v, Value) and self._computed_here(v)]

    def _compute(self, x, point) -> tuple:
        if not self._computed_here(x):
            return self.load(x, point)
        node = self.ctx.producer[x]
        kind = node.prim.kind
        self.nodes.append(node)
        if kind == VIEW:
            return VIEWS[node.prim.name](self, node, point)
        if kind == LOAD:
            return LOADS[node.prim.name](self, node, point)
        if kind == IOTA:
            i, depth = self.index(point[node.params["dimension"]])
            return convert(self.at(depth), i, np.int64, x.aval.dtype), depth
        args, depth = [], 0
        for operand in node.inputs:
            src, d = self.value_at(operand, broadcast_point(point, x.aval.shape,
                                                            operand.aval.shape))
            args.append(src)
            depth = max(depth, d)
        dtype = node.inputs[-1].aval.dtype
        e = self.at(depth)
        in_loop = depth > 0 and self.big
        result = self._guarded(node, e, args, dtype, in_loop)
        if result is None:
            result = rule(node.prim.name).expr(e, args, dtype, x.aval.dtype, node.params,
                                               in_loop)
        return result, depth

    def _guarded(self, node, e: Emitter, args, dtype, in_loop):
        """The rule's Guarded computation, counting operands outside its domain; None
        when the nest or the rule has none or it does not handle `dtype`."""
        guarded = rule(node.prim.name).guarded
        if not self.guarded or guarded is None:
            return None
        result = guarded.expr(e, args, dtype, node.out.aval.dtype, node.params, in_loop)
        if result is not None and args[0] not in self.counted:     # sin and cos of one x
            self.counted.add(args[0])
            if self.outside is None:
                self.outside = self.fn.alloca("i64", "outside")
                self.at(0).do(f"store i64 0, ptr {self.outside}")
            flag = e.cast("zext", "i1", guarded.outside(e, reg(dtype), args[0]), "i64")
            count = e(f"load i64, ptr {self.outside}")
            e.do(f"store i64 {e.iop('add', 'i64', count, flag)}, ptr {self.outside}")
        return result

    def load(self, x: Value, point) -> tuple:
        return self.load_flat(x, linear(point, x.aval.shape))

    def load_flat(self, x: Value, flat: Idx) -> tuple:
        index, depth = self.index(flat)
        return self.at(depth).load(x.aval.dtype, self.ctx.buffer(x), index), depth

    # ---- roots -----------------------------------------------------------------------
    def store(self, x: Value, pointer: str, index: Idx):
        src, _ = self.value_at(x, self.point)
        i, _ = self.index(index)
        self.at(self.depth).store(x.aval.dtype, src, pointer, i)

    def reduce(self, node, pointer: str):
        """reduce_sum/prod/max/min of node.inputs[0] over node.params['axes']."""
        op = node.prim.name[len("reduce_"):]
        axes = node.params["axes"]
        x = node.inputs[0]
        dtype = node.out.aval.dtype
        kept = tuple(p for a, p in enumerate(self.point) if a not in axes)
        out_index = linear(kept, node.out.aval.shape)
        k = self._kept_depth(axes)
        if k is not None:           # reduced loops innermost: an accumulator register
            acc_dtype = accumulator_dtype(op, dtype)
            ty = reg(acc_dtype)
            acc = self.fn.alloca(ty)
            self.at(k).do(f"store {ty} {identity(op, acc_dtype)}, ptr {acc}")
            src, _ = self.value_at(x, self.point)
            e = self.at(self.depth)
            value = convert(e, src, x.aval.dtype, acc_dtype)
            old = e(f"load {ty}, ptr {acc}")
            e.do(f"store {ty} {combine(e, op, old, value, acc_dtype, REDUCE_FLAGS)}, "
                 f"ptr {acc}")
            done = self.after(k)
            total = convert(done, done(f"load {ty}, ptr {acc}"), acc_dtype, dtype)
            i, _ = self.index(out_index)
            done.store(dtype, total, pointer, i)
        else:                       # accumulate in the output buffer, in loop order
            self.fills.append((pointer, node.out.aval.size, dtype, identity(op, dtype)))
            src, _ = self.value_at(x, self.point)
            e = self.at(self.depth)
            i, _ = self.index(out_index)
            old = e.load(dtype, pointer, i)
            e.store(dtype, combine(e, op, old, src, dtype, FLOAT_FLAGS), pointer, i)

    def argreduce(self, node, pointer: str):
        axis = node.params["axis"]
        x = node.inputs[0]
        dtype = x.aval.dtype
        k = self._kept_depth((axis,))
        assert k is not None, "argmax/argmin loops put the reduced axis innermost"
        ty = reg(dtype)
        best, arg = self.fn.alloca(ty, "best"), self.fn.alloca("i64", "arg")
        start = self.at(k)
        start.do(f"store {ty} {identity(node.prim.name, dtype)}, ptr {best}")
        start.do(f"store i64 0, ptr {arg}")
        src, _ = self.value_at(x, self.point)
        e = self.at(self.depth)
        old = e(f"load {ty}, ptr {best}")
        larger = node.prim.name == "argmax"
        if is_float(dtype):         # the first NaN wins, as NumPy
            better = e.fcmp("ogt" if larger else "olt", ty, src, old)
            first_nan = e.iop("and", "i1", e.fcmp("uno", ty, src, src),
                              e.fcmp("ord", ty, old, old))
            better = e.iop("or", "i1", better, first_nan)
        else:
            cond = ("sgt" if larger else "slt") if is_signed(dtype) else \
                ("ugt" if larger else "ult")
            better = e.icmp(cond, ty, src, old)
        position, _ = self.index(self.point[axis])
        e.do(f"store {ty} {e.select(better, ty, src, old)}, ptr {best}")
        old_arg = e(f"load i64, ptr {arg}")
        e.do(f"store i64 {e.select(better, 'i64', position, old_arg)}, ptr {arg}")
        kept = tuple(p for a, p in enumerate(self.point) if a != axis)
        done = self.after(k)
        result = convert(done, done(f"load i64, ptr {arg}"), np.int64, node.out.aval.dtype)
        i, _ = self.index(linear(kept, node.out.aval.shape))
        done.store(node.out.aval.dtype, result, pointer, i)

    def scan(self, node, pointer: str):
        """cumsum/cumprod along node.params['axis'] (innermost loop, reversed if asked)."""
        op = "sum" if node.prim.name == "cumsum" else "prod"
        axis = node.params["axis"]
        dtype = node.out.aval.dtype
        k = self._kept_depth((axis,))
        ty = reg(dtype)
        acc = self.fn.alloca(ty)
        self.at(k).do(f"store {ty} {identity(op, dtype)}, ptr {acc}")
        src, _ = self.value_at(node.inputs[0], self.point)
        e = self.at(self.depth)
        total = combine(e, op, e(f"load {ty}, ptr {acc}"), src, dtype, FLOAT_FLAGS)
        e.do(f"store {ty} {total}, ptr {acc}")
        i, _ = self.index(linear(self.point, node.out.aval.shape))
        e.store(dtype, total, pointer, i)

    def _kept_depth(self, axes):
        """Depth of the last kept loop when every reduced loop is inside every kept loop
        (an accumulator register works); None otherwise."""
        flags = [axis in axes for axis, _, _ in self.loops]
        k = flags.index(True) if True in flags else len(flags)
        return k if all(flags[k:]) else None

    # ---- text ------------------------------------------------------------------------
    def emit(self):
        """Append the nest's blocks to its function (which continues in a new block)."""
        fn = self.fn
        for pointer, size, dtype, value in self.fills:
            _fill(fn, pointer, size, dtype, value)

        def block(d):
            fn.lines.extend(self.pre[d])
            if d < self.depth and self.loops[d][1] > 0:   # a loop of zero trips is left out
                axis, n, reverse = self.loops[d]
                counter = f"%{self.prefix}.t{axis}" if reverse else self._var(axis)
                head, latch, exit_ = (fn.label(f"{self.prefix}.{s}{axis}")
                                      for s in ("loop", "next", "done"))
                entry = fn.current
                fn.lines.append(f"  br label %{head}")
                fn.block(head)
                fn.lines.append(f"  {counter} = phi i64 [0, %{entry}], "
                                f"[{counter}.next, %{latch}]")
                if reverse:
                    fn.lines.append(f"  {self._var(axis)} = sub i64 {n - 1}, {counter}")
                block(d + 1)
                fn.branch(latch)
                fn.lines.append(f"  {counter}.next = add nuw nsw i64 {counter}, 1")
                fn.lines.append(f"  {counter}.more = icmp ult i64 {counter}.next, {n}")
                fn.lines.append(f"  br i1 {counter}.more, label %{head}, label %{exit_}")
                fn.block(exit_)
            fn.lines.extend(self.post[d])
        block(0)


def _fill(fn: Function, pointer: str, size: int, dtype, value: str):
    """pointer[0:size] = value, as a loop."""
    if size == 0:
        return
    nest = LoopNest(fn, None, (size,), (0,))
    e = nest.at(nest.depth)
    i, _ = nest.index(nest.point[0]) if nest.depth else ("0", 0)
    e.store(dtype, value, pointer, i)
    nest.emit()


_ZERO = Idx(0)


def broadcast_point(point, out_shape, in_shape) -> tuple:
    """NumPy broadcasting: trailing axes align; size-1 operand axes read index 0."""
    if in_shape == out_shape:
        return point
    skip = len(out_shape) - len(in_shape)
    return tuple(_ZERO if n == 1 else point[skip + j] for j, n in enumerate(in_shape))


def accumulator_dtype(op, dtype):
    dtype = np.dtype(dtype)
    if op in ("sum", "prod"):
        if dtype.kind == "f":
            return np.dtype(np.float64)      # float32 sums accumulate in float64
        if dtype.kind == "i":
            return np.dtype(np.int64)        # wraps like the narrow type, modulo 2**n
        if dtype.kind == "u":
            return np.dtype(np.uint64)
    return dtype


def combine(e: Emitter, op, acc, value, dtype, flags) -> str:
    dtype = np.dtype(dtype)
    ty = reg(dtype)
    if dtype == np.bool_ and op in ("sum", "prod"):
        return e.iop("or" if op == "sum" else "and", "i1", acc, value)
    if op in ("sum", "prod"):
        if is_float(dtype):
            return e.fop("fadd" if op == "sum" else "fmul", ty, acc, value, flags)
        return e.iop("add" if op == "sum" else "mul", ty, acc, value)
    return extreme(e, op == "max", dtype, value, acc)      # a NaN propagates, then sticks


# ---- views: index arithmetic only ------------------------------------------------------
def _broadcast_in_dim_point(node, point):
    x = node.inputs[0]
    return tuple(Idx(0) if n == 1 else point[d] for n, d in
                 zip(x.aval.shape, node.params["dims"]))


def _transpose_point(node, point):
    q = [None] * len(point)
    for i, p in enumerate(node.params["perm"]):
        q[p] = point[i]
    return tuple(q)


def _slice_point(node, point):
    return tuple(p * step + start for p, (start, step, _) in zip(point, node.params["dims"]))


def _reshape_plan(nest, node, point):
    """('same', q) when only unit axes differ; ('flat', flat) when the operand is a
    buffer (flat already: no div/mod); ('unravel', q) otherwise."""
    x = node.inputs[0]
    src_shape, dst_shape = x.aval.shape, node.out.aval.shape
    if [n for n in src_shape if n != 1] == [n for n in dst_shape if n != 1]:
        big = iter(p for p, n in zip(point, dst_shape) if n != 1)
        return "same", tuple(Idx(0) if n == 1 else next(big) for n in src_shape)
    flat = linear(point, dst_shape)
    if isinstance(x, Value) and not nest._computed_here(x):
        return "flat", flat
    return "unravel", unravel(flat, src_shape)


def _reshape_operands(nest, node, point):
    how, q = _reshape_plan(nest, node, point)
    return [] if how == "flat" else [(node.inputs[0], q)]


def _reshape(nest, node, point):
    how, q = _reshape_plan(nest, node, point)
    x = node.inputs[0]
    if how == "flat":
        key = (x, ("flat", q))
        if key not in nest.memo:
            nest.memo[key] = nest.load_flat(x, q)
        return nest.memo[key]
    return nest.value_at(x, q)


def _simple_view(point_of):
    return (lambda nest, node, point: [(node.inputs[0], point_of(node, point))],
            lambda nest, node, point: nest.value_at(node.inputs[0], point_of(node, point)))


_VIEW_RULES = {"broadcast_in_dim": _simple_view(_broadcast_in_dim_point),
               "transpose": _simple_view(_transpose_point),
               "slice": _simple_view(_slice_point),
               "reshape": (_reshape_operands, _reshape)}
VIEW_OPERANDS = {name: r[0] for name, r in _VIEW_RULES.items()}
VIEWS = {name: r[1] for name, r in _VIEW_RULES.items()}


# ---- loads at computed indices (operands are materialized) ------------------------------
def _pad_points(node, point):
    x = node.inputs[0]
    q = []
    for p, n, (lo, hi) in zip(point, x.aval.shape, node.params["widths"]):
        i = p + (-lo)
        q.append(i.clamp(n) if (lo or hi) else i)
    return tuple(q)


def _pad(nest, node, point):
    x, fill = node.inputs
    fill_src, fill_depth = nest.value_at(fill, ())
    if x.aval.size == 0:
        return fill_src, fill_depth
    src, depth = nest.value_at(x, _pad_points(node, point))
    conds = []
    for p, n, (lo, hi) in zip(point, x.aval.shape, node.params["widths"]):
        if lo or hi:
            conds.append((p + (-lo), lo, hi, n))
    if not conds:
        return src, depth
    depth = max(depth, fill_depth, max(p.depth() for p in point))
    e = nest.at(depth)
    inside = None
    for i, lo, hi, n in conds:
        v, _ = nest.index(i)
        checks = ([e.icmp("sge", "i64", v, "0")] if lo else []) + \
                 ([e.icmp("slt", "i64", v, str(n))] if hi else [])
        for c in checks:
            inside = c if inside is None else e.iop("and", "i1", inside, c)
    return e.select(inside, reg(node.out.aval.dtype), src, fill_src), depth


def _concatenate_points(node, point):
    axis = node.params["axis"]
    pieces, start = [], 0
    for x in node.inputs:
        n = x.aval.shape[axis]
        if n:
            q = list(point)
            q[axis] = (point[axis] + (-start)).clamp(n)
            pieces.append((x, start + n, tuple(q)))
        start += n
    return pieces


def _concatenate(nest, node, point):
    pieces = _concatenate_points(node, point)
    if not pieces:      # every operand is empty along the axis: so is the output
        return const(0, node.out.aval.dtype), 0
    values = [(stop, nest.value_at(x, q)) for x, stop, q in pieces]
    if len(values) == 1:
        return values[0][1]
    p = point[node.params["axis"]]
    depth = max(max(d for _, (_, d) in values), p.depth())
    e = nest.at(depth)
    position, _ = nest.index(p)
    ty = reg(node.out.aval.dtype)
    result = values[-1][1][0]
    for stop, (src, _) in reversed(values[:-1]):
        result = e.select(e.icmp("slt", "i64", position, str(stop)), ty, src, result)
    return result, depth


def _gather_index_points(node, point):
    x, idx = node.inputs
    batch = point[:idx.aval.ndim - 1]
    return [batch + (Idx(t),) for t in range(idx.aval.shape[-1])]


def _gather(nest, node, point):
    x, idx = node.inputs
    batch = point[:idx.aval.ndim - 1]
    q = []
    for t, at in enumerate(_gather_index_points(node, point)):
        j, depth = nest.value_at(idx, at)
        e = nest.at(depth)
        q.append(Idx.sym(wrapped_index(e, j, idx.aval.dtype, x.aval.shape[t]), depth))
    return nest.value_at(x, tuple(q) + tuple(point[len(batch):]))


def wrapped_index(e: Emitter, j: str, dtype, n: int) -> str:
    """An index register (i64) from index value j of `dtype`: negative counts from n."""
    j = convert(e, j, dtype, np.int64)
    return e.select(e.icmp("slt", "i64", j, "0"), "i64", e.iop("add", "i64", j, str(n)), j)


def _start(nest, s, room: int) -> Idx:
    """A dynamic start index clamped to [0, room] (so the block it starts stays in
    bounds), as a symbol computed where the start is known (once per program, usually)."""
    if isinstance(s, Literal):
        return Idx(min(max(int(s.value), 0), room))
    j, depth = nest.value_at(s, ())
    e = nest.at(depth)
    j = convert(e, j, s.aval.dtype, np.int64)
    j = e.call("i64", "llvm.smax.i64", [("i64", j), ("i64", "0")])
    j = e.call("i64", "llvm.smin.i64", [("i64", j), ("i64", str(room))])
    return Idx.sym(j, depth)


def _dynamic_slice(nest, node, point):
    x, *starts = node.inputs
    sizes = node.params["slice_sizes"]
    shifted = tuple(p + _start(nest, s, n - k) for p, s, n, k in
                    zip(point, starts, x.aval.shape, sizes))
    return nest.value_at(x, shifted)


def _dynamic_update_slice(nest, node, point):
    """The update where the point lies inside its block, the operand elsewhere."""
    x, update, *starts = node.inputs
    base, depth = nest.value_at(x, point)
    if update.aval.size == 0:
        return base, depth
    q, inside = [], []
    for p, s, n, k in zip(point, starts, x.aval.shape, update.aval.shape):
        if k == n:          # the block spans the axis: its start clamps to 0
            q.append(p)
            continue
        j = p + _start(nest, s, n - k) * -1
        q.append(j.clamp(k))            # in bounds even where the select discards it
        inside.append((j, k))
    new, new_depth = nest.value_at(update, tuple(q))
    if not inside:
        return new, new_depth
    depth = max([depth, new_depth] + [j.depth() for j, _ in inside])
    e = nest.at(depth)
    flag = None
    for j, k in inside:
        i, _ = nest.index(j)
        within = e.icmp("ult", "i64", i, str(k))      # 0 <= j < k in one unsigned compare
        flag = within if flag is None else e.iop("and", "i1", flag, within)
    return e.select(flag, reg(node.out.aval.dtype), new, base), depth


LOAD_OPERANDS = {
    "pad": lambda node, point: [(node.inputs[1], ()), (node.inputs[0], _pad_points(node, point))],
    "concatenate": lambda node, point: [(x, q) for x, _, q in _concatenate_points(node, point)],
    "gather": lambda node, point: [(node.inputs[1], q) for q in
                                   _gather_index_points(node, point)],
    # The sliced operand and the update are materialized (read at computed indices).
    "dynamic_slice": lambda node, point: [(s, ()) for s in node.inputs[1:]],
    "dynamic_update_slice": lambda node, point: [(node.inputs[0], point)] +
                                                [(s, ()) for s in node.inputs[2:]],
}
LOADS = {"pad": _pad, "concatenate": _concatenate, "gather": _gather,
         "dynamic_slice": _dynamic_slice, "dynamic_update_slice": _dynamic_update_slice}
