"""A loop nest under construction: evaluates fused values at symbolic points and places
each statement at the outermost loop where its indices are defined.

The same builder serves two purposes: fusion probes a candidate root with it (to learn
which buffers it reads, at which points, and which values it recomputes), and emission
builds the real kernel with it. What the probe sees is exactly what gets emitted."""
from __future__ import annotations

import numpy as np

from ..ir import Literal, Value
from .emit_table import rule
from .index import Idx, linear, unravel
from .lanes import LANES, blocked_loop, lane_name, pairwise, worth_blocking
from .scalars import cast, identity, literal, np_type


class Conflict(Exception):
    """A value cannot be computed in this nest (it needs a result the nest is still
    producing)."""


class LoopNest:
    """Perfectly nested loops over `shape`, opened in `order` (outermost first).

    producer:  Value -> Node for every node output of the graph
    fused:     predicate: is this value computed inline (True) or read from a buffer?
    own:       values this nest produces (its roots); they are never loaded from memory
    buffer:    Value -> (array name, offset) for values read from memory
    names:     a Names allocator for local variables
    guarded:   use rules' Guarded expressions; `outside` then names the counter of
               operands beyond their domain (None while there are none)"""

    def __init__(self, shape, order, producer, fused, own, buffer, names, reverse_axis=None,
                 guarded=False):
        self.shape = tuple(shape)
        self.producer, self.fused, self.own = producer, fused, own
        self.buffer, self.names = buffer, names
        self.loops = []
        point = [None] * len(shape)
        for axis in order:
            if shape[axis] == 1:
                point[axis] = Idx(0)
            else:
                self.loops.append((axis, shape[axis], axis == reverse_axis))
                point[axis] = Idx.var(f"i{axis}", len(self.loops))
        self.point = tuple(point)
        self.depth = len(self.loops)
        self.pre = [[] for _ in range(self.depth + 1)]
        self.post = [[] for _ in range(self.depth + 1)]
        self.memo = {}
        self.reads = []              # (materialized value, point or ('flat', Idx))
        self.evaluations = {}        # fused value -> elements computed
        self.nodes = []              # fused nodes, in evaluation order
        self.shared_outer = False    # outer iterations accumulate into shared memory
        self.guarded = guarded
        self.outside = None
        self.counted = set()         # conditions already counted
        self.blocked = False         # innermost loop split in lanes (lanes.py)

    # ---- placement -------------------------------------------------------------------
    def trips(self, depth: int) -> int:
        return int(np.prod([n for _, n, _ in self.loops[:depth]], dtype=np.int64))

    def depth_of(self, *idx) -> int:
        return max((i.depth() for i in idx), default=0)

    def emit(self, depth: int, line: str):
        self.pre[depth].append(line)

    def bind(self, value, expr: str, depth: int, hint=None) -> tuple:
        """A local variable holding `expr`, emitted at `depth`."""
        name = self.names.local(value if hint is None else hint)
        self.emit(depth, f"{name} = {expr}")
        return name, depth

    # ---- evaluation ------------------------------------------------------------------
    def value_at(self, x, point) -> tuple:
        """(source, depth) of operand `x` at `point`."""
        if isinstance(x, Literal):
            return literal(x.value, x.aval.dtype), 0
        key = (x, point)
        if key in self.memo:
            return self.memo[key]
        if x in self.own:
            node = self.producer[x]
            if rule(node.prim.name).kind not in ("elementwise", "view", "load", "iota") \
                    or point != self.point:
                raise Conflict(f"{node.prim.name} is produced by this loop and read "
                               f"before it is complete")
            result = self._compute(x, point)
        elif not self.fused(x):
            result = self.load(x, point)
        else:
            result = self._compute(x, point)
        self.memo[key] = result
        return result

    def load(self, x: Value, point) -> tuple:
        self.reads.append((x, point))
        return self.load_flat(x, linear(point, x.aval.shape), record=False)

    def load_flat(self, x: Value, flat: Idx, record=True) -> tuple:
        if record:
            self.reads.append((x, ("flat", flat)))
        array, offset = self.buffer(x)
        index = flat + offset
        return self.bind(x, f"{array}[{index.source()}]", index.depth())

    def _compute(self, x: Value, point) -> tuple:
        node = self.producer[x]
        kind = rule(node.prim.name).kind
        self.nodes.append(node)
        if kind == "view":
            return VIEWS[node.prim.name](self, node, point)
        if kind == "load":
            return LOADS[node.prim.name](self, node, point)
        if kind == "iota":
            i = point[node.params["dimension"]]
            result = cast(i.source(), x.aval.dtype), i.depth()
        else:
            args, depth = [], 0
            shape = x.aval.shape
            for operand in node.inputs:
                src, d = self.value_at(operand, broadcast_point(point, shape,
                                                                operand.aval.shape))
                args.append(src)
                depth = max(depth, d)
            dtype = node.inputs[-1].aval.dtype
            expr = self._guarded_expr(node, args, dtype, depth)
            if expr is None:
                expr = rule(node.prim.name).expr(args, dtype, x.aval.dtype, node.params)
            result = self.bind(x, expr, depth)
        self.evaluations[x] = self.evaluations.get(x, 0) + self.trips(result[1])
        return result

    def _guarded_expr(self, node, args, dtype, depth):
        """The rule's Guarded expression, counting operands outside its domain; None
        when the nest or the rule has none or it does not handle `dtype`."""
        guarded = rule(node.prim.name).guarded
        if not self.guarded or guarded is None:
            return None
        expr = guarded.expr(args, dtype, node.out.aval.dtype, node.params)
        condition = guarded.outside(args[0])
        if expr is not None and condition not in self.counted:   # sin and cos of one x
            self.counted.add(condition)
            if self.outside is None:
                self.outside = self.names.fresh("outside")
                self.emit(0, f"{self.outside} = 0")
            self.emit(depth, f"{self.outside} += {condition}")
        return expr

    # ---- roots -----------------------------------------------------------------------
    def store(self, x: Value, array: str, index: Idx):
        src, _ = self.value_at(x, self.point)
        self.emit(self.depth, f"{array}[{index.source()}] = {src}")

    def reduce(self, node, array: str, offset: int):
        """reduce_sum/prod/max/min of node.inputs[0] over node.params['axes']."""
        op = node.prim.name[len("reduce_"):]
        axes = node.params["axes"]
        x = node.inputs[0]
        dtype = node.out.aval.dtype
        kept = tuple(p for a, p in enumerate(self.point) if a not in axes)
        out_index = linear(kept, node.out.aval.shape) + offset
        k = self._kept_depth(axes)
        self.shared_outer |= bool(self.loops) and (k is None or k == 0) and \
            self.loops[0][0] in axes
        if k is not None and self._lanes_fit(k, op, _accumulator_dtype(op, dtype)):
            acc_dtype = _accumulator_dtype(op, dtype)
            part = self.names.fresh("part")
            self.emit(k, f"{part} = np.full({LANES}, {identity(op, acc_dtype)}, "
                         f"{np_type(acc_dtype)})")
            src, _ = self.value_at(x, self.point)
            cell = f"{part}[{lane_name(self._inner_var())}]"
            self.emit(self.depth, f"{cell} = {combine(op, cell, src, acc_dtype)}")
            total = pairwise(part, "+" if op == "sum" else "*")
            self.post[k].append(f"{array}[{out_index.source()}] = {cast(total, dtype)}")
            self.blocked = True
        elif k is not None:         # reduced loops innermost: a scalar accumulator
            acc_dtype = _accumulator_dtype(op, dtype)
            acc = self.names.fresh("acc")
            self.emit(k, f"{acc} = {identity(op, acc_dtype)}")
            src, _ = self.value_at(x, self.point)
            self.emit(self.depth, f"{acc} = {combine(op, acc, src, acc_dtype)}")
            self.post[k].append(f"{array}[{out_index.source()}] = {cast(acc, dtype)}")
        else:                       # accumulate in the output buffer, in loop order
            size = node.out.aval.size
            self.emit(0, f"{array}[{offset}:{offset + size}] = {identity(op, dtype)}")
            src, _ = self.value_at(x, self.point)
            cell = f"{array}[{out_index.source()}]"
            self.emit(self.depth, f"{cell} = {cast(combine(op, cell, src, dtype), dtype)}")

    def argreduce(self, node, array: str, offset: int):
        axis = node.params["axis"]
        op = node.prim.name
        x = node.inputs[0]
        k = self._kept_depth((axis,))
        assert k is not None, "argmax/argmin loops put the reduced axis innermost"
        self.shared_outer |= k == 0 and bool(self.loops)
        best, arg = self.names.fresh("best"), self.names.fresh("arg")
        self.emit(k, f"{best} = {identity(op, x.aval.dtype)}")
        self.emit(k, f"{arg} = 0")
        src, _ = self.value_at(x, self.point)
        cmp = ">" if op == "argmax" else "<"
        cond = f"{src} {cmp} {best}"
        if x.aval.dtype.kind == "f":   # the first NaN wins, as NumPy
            cond += f" or ({src} != {src} and {best} == {best})"
        self.emit(self.depth, f"if {cond}:\n    {best} = {src}\n    "
                              f"{arg} = {self.point[axis].source()}")
        kept = tuple(p for a, p in enumerate(self.point) if a != axis)
        index = linear(kept, node.out.aval.shape) + offset
        self.post[k].append(f"{array}[{index.source()}] = "
                            f"{np_type(node.out.aval.dtype)}({arg})")

    def scan(self, node, array: str, offset: int):
        """cumsum/cumprod along node.params['axis'] (innermost loop, reversed if asked)."""
        op = "sum" if node.prim.name == "cumsum" else "prod"
        axis = node.params["axis"]
        dtype = node.out.aval.dtype
        k = self._kept_depth((axis,))
        self.shared_outer |= k == 0 and bool(self.loops)
        acc = self.names.fresh("acc")
        self.emit(k, f"{acc} = {identity(op, dtype)}")
        src, _ = self.value_at(node.inputs[0], self.point)
        self.emit(self.depth, f"{acc} = {cast(combine(op, acc, src, dtype), dtype)}")
        index = linear(self.point, node.out.aval.shape) + offset
        self.emit(self.depth, f"{array}[{index.source()}] = {acc}")

    def parallel_safe(self) -> bool:
        return not self.shared_outer

    def _lanes_fit(self, k, op, acc_dtype) -> bool:
        """A float sum/prod over (at least) the innermost loop, long enough for lanes."""
        if op not in ("sum", "prod") or acc_dtype.kind != "f" or k >= self.depth:
            return False
        _, trips, reverse = self.loops[-1]
        return not reverse and worth_blocking(trips)

    def _inner_var(self) -> str:
        return f"i{self.loops[-1][0]}"

    def _kept_depth(self, axes):
        """Depth of the last kept loop when every reduced loop is inside every kept loop
        (a scalar accumulator works); None otherwise."""
        flags = [axis in axes for axis, _, _ in self.loops]
        k = flags.index(True) if True in flags else len(flags)
        return k if all(flags[k:]) else None

    # ---- text ------------------------------------------------------------------------
    def lines(self, indent: str, prange_outer: bool = False) -> list:
        def block(d, ind, out):
            for s in self.pre[d]:
                out.extend(ind + line for line in s.split("\n"))
            if d == self.depth - 1 and self.blocked:
                body = []
                block(d + 1, "", body)
                out.extend(blocked_loop(self._inner_var(), self.loops[d][1], body, ind))
            elif d < self.depth:
                axis, n, reverse = self.loops[d]
                rng = f"range({n} - 1, -1, -1)" if reverse else f"range({n})"
                if d == 0 and prange_outer and not reverse:
                    rng = f"numba.prange({n})"
                out.append(f"{ind}for i{axis} in {rng}:")
                before = len(out)
                block(d + 1, ind + "    ", out)
                if len(out) == before:
                    out.append(ind + "    pass")
            for s in self.post[d]:
                out.extend(ind + line for line in s.split("\n"))
        lines = []
        block(0, indent, lines)
        return lines


def broadcast_point(point, out_shape, in_shape) -> tuple:
    """NumPy broadcasting: trailing axes align; size-1 operand axes read index 0."""
    skip = len(out_shape) - len(in_shape)
    return tuple(Idx(0) if n == 1 else point[skip + j] for j, n in enumerate(in_shape))


def _accumulator_dtype(op, dtype):
    dtype = np.dtype(dtype)
    if op in ("sum", "prod"):
        if dtype.kind == "f":
            return np.dtype(np.float64)      # float32 sums accumulate in float64
        if dtype.kind == "i":
            return np.dtype(np.int64)        # wraps like the narrow type, modulo 2**n
        if dtype.kind == "u":
            return np.dtype(np.uint64)
    return dtype


def combine(op, acc, value, dtype) -> str:
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return f"({acc} | {value})" if op in ("sum", "max") else f"({acc} & {value})"
    if op == "sum":
        return f"{acc} + {value}"
    if op == "prod":
        return f"{acc} * {value}"
    cmp = ">" if op == "max" else "<"
    if dtype.kind == "f":      # NaN propagates and then sticks
        return f"({value} if ({value} {cmp} {acc} or {value} != {value}) else {acc})"
    return f"({value} if {value} {cmp} {acc} else {acc})"


# ---- views: index arithmetic only ------------------------------------------------------
def _broadcast_in_dim(nest, node, point):
    x = node.inputs[0]
    dims = node.params["dims"]
    q = tuple(Idx(0) if n == 1 else point[d] for n, d in zip(x.aval.shape, dims))
    return nest.value_at(x, q)


def _transpose(nest, node, point):
    perm = node.params["perm"]
    q = [None] * len(perm)
    for i, p in enumerate(perm):
        q[p] = point[i]
    return nest.value_at(node.inputs[0], tuple(q))


def _slice(nest, node, point):
    q = tuple(p * step + start for p, (start, step, _) in zip(point, node.params["dims"]))
    return nest.value_at(node.inputs[0], q)


def _reshape(nest, node, point):
    x = node.inputs[0]
    src_shape, dst_shape = x.aval.shape, node.out.aval.shape
    if [n for n in src_shape if n != 1] == [n for n in dst_shape if n != 1]:
        # Only unit axes differ: match the other axes in order.
        big = iter(p for p, n in zip(point, dst_shape) if n != 1)
        return nest.value_at(x, tuple(Idx(0) if n == 1 else next(big) for n in src_shape))
    flat = linear(point, dst_shape)
    if isinstance(x, Value) and x not in nest.own and not nest.fused(x):
        key = (x, ("flat", flat))       # a buffer is flat already: no div/mod needed
        if key not in nest.memo:
            nest.memo[key] = nest.load_flat(x, flat)
        return nest.memo[key]
    return nest.value_at(x, unravel(flat, src_shape))


VIEWS = {"broadcast_in_dim": _broadcast_in_dim, "transpose": _transpose,
         "slice": _slice, "reshape": _reshape}


# ---- loads at computed indices (operands are materialized) ------------------------------
def _pad(nest, node, point):
    x, fill = node.inputs
    fill_src, fill_depth = nest.value_at(fill, ())
    if x.aval.size == 0:
        return fill_src, fill_depth
    conds, q = [], []
    for p, n, (lo, hi) in zip(point, x.aval.shape, node.params["widths"]):
        i = p + (-lo)
        if lo or hi:
            s = i.source()
            conds.append(f"0 <= {s} < {n}" if lo and hi else
                         (f"{s} >= 0" if lo else f"{s} < {n}"))
            i = i.clamp(n)
        q.append(i)
    src, depth = nest.value_at(x, tuple(q))
    if not conds:
        return src, depth
    depth = max(depth, fill_depth, nest.depth_of(*point))
    return nest.bind(node.out, f"({src} if {' and '.join(conds)} else {fill_src})", depth)


def _concatenate(nest, node, point):
    axis = node.params["axis"]
    pieces, start = [], 0
    for x in node.inputs:
        n = x.aval.shape[axis]
        if n:
            q = list(point)
            q[axis] = (point[axis] + (-start)).clamp(n)
            pieces.append((start + n, nest.value_at(x, tuple(q))))
        start += n
    if not pieces:      # every operand is empty along the axis: so is the output
        return literal(0, node.out.aval.dtype), 0
    p = point[axis]
    expr = pieces[-1][1][0]
    depth = max(d for _, (_, d) in pieces)
    for stop, (src, _) in reversed(pieces[:-1]):
        expr = f"({src} if {p.source()} < {stop} else {expr})"
    if len(pieces) > 1:
        depth = max(depth, p.depth())
        return nest.bind(node.out, expr, depth)
    return expr, depth


def _gather(nest, node, point):
    x, idx = node.inputs
    k = idx.aval.shape[-1]
    batch = point[:idx.aval.ndim - 1]
    q = []
    for t in range(k):
        j, depth = nest.value_at(idx, batch + (Idx(t),))
        n = x.aval.shape[t]
        name, depth = nest.bind(None, f"{j} if {j} >= 0 else {j} + {n}", depth, hint="j")
        q.append(Idx.sym(name, depth))
    return nest.value_at(x, tuple(q) + tuple(point[len(batch):]))


LOADS = {"pad": _pad, "concatenate": _concatenate, "gather": _gather}
