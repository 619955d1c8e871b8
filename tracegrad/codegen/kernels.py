"""Kernel builders: one function per kernel kind turns a kernel's root nodes into loop
nests (and BLAS calls) with the values they need fused in.

A builder gets a `Context` that answers where values live; fusion calls the same builders
with a probing context to see what a kernel would read before deciding anything."""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

from ..ir import Value
from .index import Idx, linear
from .nest import LoopNest
from .scalars import cast, identity, np_type

# Below this many multiply-adds a plain loop beats the call overhead of BLAS.
BLAS_MIN_WORK = 4096


@dataclasses.dataclass
class Context:
    producer: dict                      # Value -> Node
    fused: Callable                     # Value -> bool: computed inline, not loaded
    buffer: Callable                    # Value -> (array name, offset)
    scratch: Callable                   # (kernel, slot, dtype, size) -> (array, offset)
    names: object                       # Names
    parallel: Callable = lambda nest: False


@dataclasses.dataclass
class Built:
    lines: list
    nests: list
    reads: list                         # materialized values read outside the nests

    @property
    def all_reads(self):
        return [v for v in self.reads] + [v for n in self.nests for v, _ in n.reads]


def loop_order(kind, node):
    """(shape, loop order, reversed axis) of the nest that computes `node`."""
    if kind in ("reduce", "argreduce", "scan"):
        shape = node.inputs[0].aval.shape
    else:
        shape = node.out.aval.shape
    order = tuple(range(len(shape)))
    if kind in ("argreduce", "scan"):
        axis = node.params["axis"]
        order = tuple(a for a in order if a != axis) + (axis,)
        reverse = axis if kind == "scan" and node.params.get("reverse") else None
        return shape, order, reverse
    return shape, order, None


def build_loop(kernel, ctx: Context) -> Built:
    """Elementwise roots and reductions sharing one iteration space and loop order.

    The loop uses the emit table's fast helpers of limited domain (sin, cos); when some
    operand fell outside, the whole loop runs again with libm. Rerunning is safe: a loop
    nest never reads what it writes, and reductions restart from their identity."""
    nest = _loop_nest(kernel, ctx, guarded=True)
    lines = nest.lines("    ", ctx.parallel(nest))
    if nest.outside is not None:
        exact = _loop_nest(kernel, ctx, guarded=False)
        lines.append(f"    if {nest.outside} > 0:    # beyond the fast helpers' domain")
        lines += ["    " + line for line in exact.lines("    ", ctx.parallel(exact))]
    return Built(lines, [nest], [])


def _loop_nest(kernel, ctx: Context, guarded: bool) -> LoopNest:
    shape, order, reverse = kernel.space
    own = {v for node in kernel.roots for v in node.outputs}
    nest = LoopNest(shape, order, ctx.producer, ctx.fused, own, ctx.buffer, ctx.names,
                    reverse_axis=reverse, guarded=guarded)
    for node in kernel.roots:
        array, offset = ctx.buffer(node.out)
        if kernel.root_kind(node) == "reduce":
            nest.reduce(node, array, offset)
        elif kernel.root_kind(node) == "argreduce":
            nest.argreduce(node, array, offset)
        elif kernel.root_kind(node) == "scan":
            nest.scan(node, array, offset)
        else:
            nest.store(node.out, array, linear(nest.point, shape) + offset)
    return nest


def build_scatter(kernel, ctx: Context) -> Built:
    """out = x; out[idx[..., 0], ..., idx[..., k-1], ...] += updates."""
    (node,) = kernel.roots
    x, idx, updates = node.inputs
    out = node.out
    array, offset = ctx.buffer(out)
    copy = LoopNest(x.aval.shape, range(x.aval.ndim), ctx.producer, ctx.fused, set(),
                    ctx.buffer, ctx.names)
    copy.store(x, array, linear(copy.point, x.aval.shape) + offset)
    shape = updates.aval.shape
    add = LoopNest(shape, range(len(shape)), ctx.producer, ctx.fused, set(), ctx.buffer,
                   ctx.names)
    batch = add.point[:idx.aval.ndim - 1]
    target = []
    for t in range(idx.aval.shape[-1]):
        j, depth = add.value_at(idx, batch + (Idx(t),))
        name, depth = add.bind(None, f"{j} if {j} >= 0 else {j} + {x.aval.shape[t]}",
                               depth, hint="j")
        target.append(Idx.sym(name, depth))
    index = linear(tuple(target) + add.point[len(batch):], out.aval.shape) + offset
    src, _ = add.value_at(updates, add.point)
    cell = f"{array}[{index.source()}]"
    dtype = out.aval.dtype
    total = f"({cell} | {src})" if dtype == np.bool_ else cast(f"{cell} + {src}", dtype)
    add.emit(add.depth, f"{cell} = {total}")
    return Built(copy.lines("    ") + add.lines("    "), [copy, add], [])


def build_dot(kernel, ctx: Context) -> Built:
    """dot_general as (batch, M, K) x (batch, K, N) -> (batch, M, N): np.dot (BLAS) on
    2-D views of the operands, or plain loops for integers, bools and tiny products."""
    (node,) = kernel.roots
    a, b = node.inputs
    (lc, rc), (lb, rb) = node.params["dims"]
    a_free = [i for i in range(a.aval.ndim) if i not in lc + lb]
    b_free = [i for i in range(b.aval.ndim) if i not in rc + rb]
    size = lambda x, axes: int(np.prod([x.aval.shape[i] for i in axes], dtype=np.int64))
    B, M, K, N = size(a, lb), size(a, a_free), size(a, lc), size(b, b_free)
    dtype = node.out.aval.dtype
    lines, nests, reads = [], [], []

    def operand(x, groups, slot):
        """(array, offset, transposed) holding x as (batch, rows, cols) row-major, or
        its transpose; copies (fusing x's producers) when no view fits."""
        view = matrix_view(x, groups, ctx)
        if view is not None:
            base, transposed = view
            reads.append(base)
            return ctx.buffer(base) + (transposed,)
        order = [i for g in groups for i in g]
        array, offset = ctx.scratch(kernel, slot, x.aval.dtype, x.aval.size)
        nest = LoopNest(x.aval.shape, order, ctx.producer, ctx.fused, set(), ctx.buffer,
                        ctx.names)
        permuted = tuple(nest.point[i] for i in order)
        nest.store(x, array, linear(permuted, [x.aval.shape[i] for i in order]) + offset)
        nests.append(nest)
        lines.append(f"    # operand {slot} laid out as a matrix (fused prologue)")
        lines.extend(nest.lines("    "))
        return array, offset, False

    a_arr, a_off, a_t = operand(a, (list(lb), a_free, list(lc)), "lhs")
    b_arr, b_off, b_t = operand(b, (list(rb), list(rc), b_free), "rhs")
    o_arr, o_off = ctx.buffer(node.out)
    use_blas = (dtype.kind == "f" and B * M * N * K >= BLAS_MIN_WORK and M * N * K > 0)
    if use_blas:
        def matrix(array, offset, rows, cols, transposed):
            shape = (B, cols, rows) if transposed else (B, rows, cols)
            view = f"{array}[{offset}:{offset + B * rows * cols}].reshape({shape})"
            return view, ".T" if transposed else ""
        av, at = matrix(a_arr, a_off, M, K, a_t)
        bv, bt = matrix(b_arr, b_off, K, N, b_t)
        ov, _ = matrix(o_arr, o_off, M, N, False)
        names = [ctx.names.fresh(p) for p in ("lhs", "rhs", "prod")]
        lines += [f"    {n} = {v}" for n, v in zip(names, (av, bv, ov))]
        lines.append(f"    for batch in range({B}):")
        lines.append(f"        np.dot({names[0]}[batch]{at}, {names[1]}[batch]{bt}, "
                     f"{names[2]}[batch])")
        return Built(lines, nests, reads)

    def element(array, offset, rows, cols, transposed, r, c):
        flat = (f"bi * {rows * cols} + {c} * {rows} + {r}" if transposed
                else f"bi * {rows * cols} + {r} * {cols} + {c}")
        return f"{array}[{offset} + {flat}]"
    acc = ctx.names.fresh("acc")
    acc_dtype = np.dtype(np.int64) if dtype.kind in "iu" else dtype
    x = element(a_arr, a_off, M, K, a_t, "mi", "ki")
    y = element(b_arr, b_off, K, N, b_t, "ki", "ni")
    update = (f"{acc} | ({x} & {y})" if dtype == np.bool_ else f"{acc} + {x} * {y}")
    lines += [f"    for bi in range({B}):",
              f"        for mi in range({M}):",
              f"            for ni in range({N}):",
              f"                {acc} = {identity('sum', acc_dtype)}",
              f"                for ki in range({K}):",
              f"                    {acc} = {cast(update, acc_dtype)}",
              f"                {o_arr}[{o_off} + bi * {M * N} + mi * {N} + ni] = "
              f"{cast(acc, dtype)}"]
    return Built(lines, nests, reads)


def matrix_view(x: Value, groups, ctx: Context):
    """If x is a buffer, or a transpose of one, whose memory already holds the
    (batch, rows, cols) matrix or its (batch, cols, rows) transpose: (buffer, transposed)."""
    axis_map = list(range(x.aval.ndim))       # x's axis -> base's axis
    base = x
    while ctx.fused(base) and ctx.producer[base].prim.name == "transpose":
        perm = ctx.producer[base].params["perm"]
        axis_map = [perm[a] for a in axis_map]
        base = ctx.producer[base].inputs[0]
    if not isinstance(base, Value) or ctx.fused(base):
        return None
    shape = base.aval.shape
    memory = [a for a in range(len(shape)) if shape[a] != 1]

    def wanted(gs):
        return [axis_map[i] for g in gs for i in g if x.aval.shape[i] != 1]
    batch, rows, cols = groups
    if memory == wanted((batch, rows, cols)):
        return base, False
    if memory == wanted((batch, cols, rows)):
        return base, True
    return None


def build_sort(kernel, ctx: Context) -> Built:
    """Stable sort along one axis: each line is gathered (fusing x's producers) into a
    small array, argsorted with mergesort (stable; NaNs last, as NumPy), and written to
    both outputs."""
    (node,) = kernel.roots
    x = node.inputs[0]
    values, order = node.outputs
    axis = node.params["axis"]
    n = x.aval.shape[axis]
    axes = [a for a in range(x.aval.ndim) if a != axis] + [axis]
    nest = LoopNest(x.aval.shape, axes, ctx.producer, ctx.fused, set(), ctx.buffer,
                    ctx.names)
    line, perm = ctx.names.fresh("line"), ctx.names.fresh("perm")
    k = nest._kept_depth((axis,))
    nest.emit(0, f"{line} = np.empty({n}, {np_type(x.aval.dtype)})")
    src, _ = nest.value_at(x, nest.point)
    nest.emit(nest.depth, f"{line}[{nest.point[axis].source()}] = {src}")
    at = list(nest.point)
    at[axis] = Idx.var("t", 0)
    flat = linear(at, x.aval.shape)
    (v_arr, v_off), (o_arr, o_off) = ctx.buffer(values), ctx.buffer(order)
    nest.post[k].append(
        f"{perm} = np.argsort({line}, kind='mergesort')\n"
        f"for t in range({n}):\n"
        f"    {v_arr}[{(flat + v_off).source()}] = {line}[{perm}[t]]\n"
        f"    {o_arr}[{(flat + o_off).source()}] = {np_type(order.aval.dtype)}({perm}[t])")
    return Built(nest.lines("    "), [nest], [])


BUILDERS = {"loop": build_loop, "scatter": build_scatter, "dot": build_dot,
            "sort": build_sort}
