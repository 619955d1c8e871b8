"""Kernel builders: one function per kernel kind turns a kernel's root nodes into an LLVM
function — loop nests with the values they need fused in, BLAS calls, a sort.

Every kernel is its own function whose parameters are pointers to the buffers it touches
(one per materialized value or scratch slot, all distinct memory, hence `noalias`); the
program's body function calls the kernels in order (see module.py)."""
from __future__ import annotations

import dataclasses
import math
from typing import Callable

import numpy as np

from ..ir import Value
from ..ir.kinds import ARGREDUCE, CALLBACK, CONTROL, DOT, LINALG, REDUCE, SCAN, SCATTER, SORT
from ..ir.reductions import dot_axes
from .callback import build_callback
from .index import Idx, linear
from .lapack import build_linalg
from .irtext import Function, const, convert, identity, mem, reg
from .nest import LoopNest, combine, wrapped_index

SELF = "__KERNEL__"          # stands for the kernel's own name in its extra functions
SMALL_WORK = 4096            # element operations below which a kernel is compiled for size

# Below this many multiply-adds a plain loop beats the call overhead of BLAS.
BLAS_MIN_WORK = 16384


@dataclasses.dataclass
class Context:
    producer: dict                      # Value -> Node
    fused: Callable                     # Value -> bool: computed inline, not loaded
    buffer: Callable                    # Value -> pointer parameter of the kernel
    scratch: Callable                   # (slot, dtype, size) -> pointer parameter
    trips: int = 1                      # runs per program call (a loop body's kernels)


class KernelFunction:
    """The LLVM function of one kernel; its parameters are made as buffers are asked
    for. `args` lists what each parameter points to: ('value', Value) or
    ('scratch', slot, dtype, size).

    Parameters are named by position (%b0, %b1, ...), so kernels that do the same work
    on different buffers — every step of an unrolled loop — have the same text and
    module.py defines them once."""

    def __init__(self, name: str, names, small: bool = False, trips: int = 1):
        # A kernel that does little work runs in microseconds however it is compiled:
        # compiled for size, LLVM neither unrolls nor vectorizes it, in a fraction of
        # the time. Kernels of a loop body (`trips` runs per call) may be inlined into
        # it: called once per iteration, their calls would cost more than their loops.
        self.trips = trips
        attrs = ("" if trips > 1 else "noinline ") + "nounwind" + \
            (" minsize optsize" if small else "")
        self.fn = Function(name, "void", [], attrs)
        self.names = names              # Names: letters of graph values
        self.args: list = []
        self._params: dict = {}
        self.extra: list = []           # helper functions of this kernel alone
        self.regions: dict = {}         # control flow: its sub-graphs' code (control.py)

    def extra_function(self, suffix: str, attrs: str) -> Function:
        """A function beside the kernel with the kernel's parameters (named after the
        kernel when its text is made)."""
        f = Function(f"{SELF}.{suffix}", "void", self.fn.params, attrs)
        f.helpers = self.fn.helpers
        self.extra.append(f)
        return f

    def text(self) -> str:
        parts = [self.fn.text()] + [f.text() for f in self.extra]
        return "\n\n".join(parts).replace(SELF, self.fn.name)

    def _param(self, key) -> str:
        found = self._params.get(key)
        if found is None:
            hint = f"b{len(self.args)}"
            found = self._params[key] = f"%{hint}"
            self.fn.params.append(("ptr noalias", hint))
            self.args.append(key)
        return found

    def buffer(self, value: Value, offset: int = 0) -> str:
        """The pointer to value's elements (from element `offset` on)."""
        return self._param(("value", value) if not offset else ("view", value, offset))

    def scratch(self, slot: str, dtype, size: int) -> str:
        return self._param(("scratch", slot, np.dtype(dtype), int(size)))

    def describe_params(self) -> str:
        """Which buffer each parameter is, in the graph's letters."""
        def what(key):
            if key[0] == "value":
                return self.names.of(key[1])
            if key[0] == "view":
                return f"{self.names.of(key[1])}[{key[2]}:]"
            return f"scratch {key[1]}"
        return ", ".join(f"%b{i} = {what(key)}" for i, key in enumerate(self.args))

    def context(self, producer, fused) -> Context:
        return Context(producer, fused, self.buffer, self.scratch, self.trips)

    def values(self) -> list:
        return [key[1] for key in self.args if key[0] in ("value", "view")]


def kernel_work(kernel) -> int:
    """About how many element operations one run of a planned kernel does."""
    node = kernel.roots[0]
    if kernel.kind == "loop":
        return math.prod(kernel.space[0]) * max(int(kernel.weight), 1)
    if kernel.kind == DOT:
        a, b = node.inputs
        (lc, _), _ = node.params["dims"]
        contracted = math.prod(a.aval.shape[i] for i in lc)
        return node.out.aval.size * max(contracted, 1)
    return max(sum(v.aval.size for v in node.inputs), 1) * 8


def loop_order(kind, node):
    """(shape, loop order, reversed axis) of the nest that computes `node`."""
    if kind in (REDUCE, ARGREDUCE, SCAN):
        shape = node.inputs[0].aval.shape
    else:
        shape = node.out.aval.shape
    order = tuple(range(len(shape)))
    if kind in (ARGREDUCE, SCAN):
        axis = node.params["axis"]
        order = tuple(a for a in order if a != axis) + (axis,)
        reverse = axis if kind == SCAN and node.params.get("reverse") else None
        return shape, order, reverse
    return shape, order, None


def build_loop(kernel, kf: KernelFunction, ctx: Context) -> list:
    """Elementwise roots and reductions sharing one iteration space and loop order.

    The loop uses the emit table's fast helpers of limited domain (sin, cos); when some
    operand fell outside, the whole loop runs again with libm. Rerunning is safe: a loop
    nest never reads what it writes, and reductions restart from their identity.
    -> the nests (their fused nodes describe the kernel)."""
    nest = _loop_nest(kernel, kf.fn, ctx, guarded=True)
    nest.emit()
    if nest.outside is None:
        return [nest]
    # The rerun is rare: a function of its own, compiled for size (no vectorizing).
    exact = kf.extra_function("libm", "noinline nounwind cold minsize optsize")
    _loop_nest(kernel, exact, ctx, guarded=False).emit()
    exact.lines.append("  ret void")
    fn = kf.fn
    e = fn.emitter()
    count = e(f"load i64, ptr {nest.outside}")
    rerun, done = fn.label("beyond_domain"), fn.label("in_domain")
    e.do(f"br i1 {e.icmp('sgt', 'i64', count, '0')}, label %{rerun}, label %{done}")
    fn.block(rerun)
    args = ", ".join(f"ptr %{name}" for _, name in fn.params)
    e.do(f"call void @{exact.name}({args})")
    fn.branch(done)
    return [nest]


def _loop_nest(kernel, fn, ctx, guarded: bool) -> LoopNest:
    shape, order, reverse = kernel.space
    own = frozenset(v for node in kernel.roots for v in node.outputs)
    nest = LoopNest(fn, ctx, shape, order, own, reverse_axis=reverse, guarded=guarded)
    for node in kernel.roots:
        pointer = ctx.buffer(node.out)
        kind = node.prim.kind
        if kind == REDUCE:
            nest.reduce(node, pointer)
        elif kind == ARGREDUCE:
            nest.argreduce(node, pointer)
        elif kind == SCAN:
            nest.scan(node, pointer)
        else:
            nest.store(node.out, pointer, linear(nest.point, shape))
    return nest


def build_scatter(kernel, kf: KernelFunction, ctx: Context) -> list:
    """out = x; out[idx[..., 0], ..., idx[..., k-1], ...] += updates."""
    (node,) = kernel.roots
    x, idx, updates = node.inputs
    out = node.out
    pointer = ctx.buffer(out)
    copy = LoopNest(kf.fn, ctx, x.aval.shape, range(x.aval.ndim))
    copy.store(x, pointer, linear(copy.point, x.aval.shape))
    copy.emit()
    shape = updates.aval.shape
    add = LoopNest(kf.fn, ctx, shape, range(len(shape)))
    batch = add.point[:idx.aval.ndim - 1]
    target = []
    for t in range(idx.aval.shape[-1]):
        j, depth = add.value_at(idx, batch + (Idx(t),))
        target.append(Idx.sym(wrapped_index(add.at(depth), j, idx.aval.dtype,
                                            x.aval.shape[t]), depth))
    index = linear(tuple(target) + add.point[len(batch):], out.aval.shape)
    src, _ = add.value_at(updates, add.point)
    i, _ = add.index(index)
    e = add.at(add.depth)
    dtype = out.aval.dtype
    e.store(dtype, combine(e, "sum", e.load(dtype, pointer, i), src, dtype, "contract"),
            pointer, i)
    add.emit()
    return [copy, add]


def build_dot(kernel, kf: KernelFunction, ctx: Context) -> list:
    """dot_general as (batch, M, K) x (batch, K, N) -> (batch, M, N): BLAS gemm on the
    operands' memory, or plain loops for integers, bools and tiny products."""
    (node,) = kernel.roots
    a, b = node.inputs
    lc, rc, lb, rb, a_free, b_free = (list(t) for t in dot_axes(
        a.aval.ndim, b.aval.ndim, node.params["dims"]))
    size = lambda x, axes: int(np.prod([x.aval.shape[i] for i in axes], dtype=np.int64))  # noqa: E731
    B, M, K, N = size(a, lb), size(a, a_free), size(a, lc), size(b, b_free)
    dtype = node.out.aval.dtype
    nests = []

    def operand(x, groups, slot):
        """(pointer, transposed) holding x as (batch, rows, cols) row-major, or its
        transpose; copies (fusing x's producers) when no view fits."""
        view = matrix_view(x, groups, ctx)
        if view is not None:
            base, offset, transposed = view
            return ctx.buffer(base, offset), transposed
        # Lay it out as (batch, rows, cols), or as its transpose (batch, cols, rows) when
        # only that visits x's axes in their own order: the producers' operands are then
        # read along memory, and gemm is told the operand is transposed.
        batch, rows, cols = (list(g) for g in groups)
        transposed = not _in_own_order(x, batch + rows + cols) and \
            _in_own_order(x, batch + cols + rows)
        order = batch + cols + rows if transposed else batch + rows + cols
        pointer = ctx.scratch(slot, x.aval.dtype, x.aval.size)
        nest = LoopNest(kf.fn, ctx, x.aval.shape, order)
        permuted = tuple(nest.point[i] for i in order)
        nest.store(x, pointer, linear(permuted, [x.aval.shape[i] for i in order]))
        kf.fn.lines.append(f"  ; operand {slot} laid out as a matrix"
                           f"{' (transposed)' if transposed else ''} (fused prologue)")
        nest.emit()
        nests.append(nest)
        return pointer, transposed

    a_ptr, a_t = operand(a, (list(lb), a_free, list(lc)), "lhs")
    b_ptr, b_t = operand(b, (list(rb), list(rc), b_free), "rhs")
    out = ctx.buffer(node.out)
    if dtype.kind == "f" and B * M * N * K >= BLAS_MIN_WORK and M * N * K > 0:
        _gemm(kf.fn, dtype, B, M, N, K, (a_ptr, a_t), (b_ptr, b_t), out)
    else:
        _dot_loops(kf.fn, dtype, B, M, N, K, (a_ptr, a_t), (b_ptr, b_t), out)
    return nests


def _in_own_order(x, order) -> bool:
    """Does `order` visit x's axes of length > 1 in increasing order (along memory)?"""
    moving = [i for i in order if x.aval.shape[i] != 1]
    return moving == sorted(moving)


def _gemm(fn: Function, dtype, B, M, N, K, a, b, out):
    """C = A B in row-major memory through Numba's BLAS wrappers: Fortran gemm on the
    transposes (C^T = B^T A^T, so B comes first), or gemv when C is a vector."""
    ty = reg(dtype)
    e = fn.emitter()
    alpha, beta = fn.alloca(ty, "alpha"), fn.alloca(ty, "beta")
    e.do(f"store {ty} {const(1, dtype)}, ptr {alpha}")
    e.do(f"store {ty} {const(0, dtype)}, ptr {beta}")
    kind = ord("d" if dtype == np.float64 else "s")
    (a_ptr, a_t), (b_ptr, b_t) = a, b
    nest = LoopNest(fn, None, (B,), (0,))
    batch, depth = nest.index(nest.point[0])
    e = nest.at(depth)
    element = np.dtype(dtype).itemsize

    def at(pointer, stride):
        if B == 1:
            return pointer
        offset = e.iop("mul", "i64", batch, str(stride * element))
        return e(f"getelementptr inbounds i8, ptr {pointer}, i64 {offset}", "p")
    a_at, b_at, c_at = at(a_ptr, M * K), at(b_ptr, K * N), at(out, M * N)
    # gemv where the matrix's rows are contiguous (dot products; OpenBLAS's column
    # variant measured slower than gemm for these shapes)
    if N == 1 and not a_t:      # c = A b: A's memory is A^T column-major
        args = [("i8", kind), ("i8", ord("t")), ("i64", K), ("i64", M), ("ptr", alpha),
                ("ptr", a_at), ("i64", K), ("ptr", b_at), ("ptr", beta), ("ptr", c_at)]
        e.call("i32", "numba_xxgemv", args)
    elif M == 1 and b_t:        # c = B^T a: B's memory is B column-major
        args = [("i8", kind), ("i8", ord("t")), ("i64", K), ("i64", N), ("ptr", alpha),
                ("ptr", b_at), ("i64", K), ("ptr", a_at), ("ptr", beta), ("ptr", c_at)]
        e.call("i32", "numba_xxgemv", args)
    else:
        trans_b, ld_b = (ord("t"), K) if b_t else (ord("n"), N)
        trans_a, ld_a = (ord("t"), M) if a_t else (ord("n"), K)
        args = [("i8", kind), ("i8", trans_b), ("i8", trans_a), ("i64", N), ("i64", M),
                ("i64", K), ("ptr", alpha), ("ptr", b_at), ("i64", ld_b), ("ptr", a_at),
                ("i64", ld_a), ("ptr", beta), ("ptr", c_at), ("i64", N)]
        e.call("i32", "numba_xxgemm", args)
    nest.emit()


def _dot_loops(fn: Function, dtype, B, M, N, K, a, b, out):
    """Loops for products too small for BLAS's call and packing. Floats: when B's rows
    are contiguous (and not tiny), out[m, :] += a[m, k] * b[k, :] (the inner loop runs
    along rows of b and out: it vectorizes); else dot products along k, whose
    accumulator may be reassociated (so they vectorize too)."""
    if dtype.kind == "f" and not b[1] and N >= 4 and K > 1:
        return _dot_rows(fn, dtype, B, M, N, K, a, b, out)
    acc_dtype = np.dtype(np.int64) if dtype.kind in "iu" else np.dtype(dtype)
    nest = LoopNest(fn, None, (B, M, N, K), (0, 1, 2, 3))
    bi, mi, ni, ki = nest.point
    k = nest._kept_depth((3,))
    ty = reg(acc_dtype)
    acc = fn.alloca(ty)
    nest.at(k).do(f"store {ty} {identity('sum', acc_dtype)}, ptr {acc}")

    def element(operand, rows, cols, r, c):
        pointer, transposed = operand
        flat = bi * (rows * cols) + (c * rows + r if transposed else r * cols + c)
        i, depth = nest.index(flat)
        return nest.at(depth).load(dtype, pointer, i)
    x = element(a, M, K, mi, ki)
    y = element(b, K, N, ki, ni)
    e = nest.at(nest.depth)
    if dtype == np.bool_:
        product = e.iop("and", "i1", x, y)
    else:
        product = combine(e, "prod", convert(e, x, dtype, acc_dtype),
                          convert(e, y, dtype, acc_dtype), acc_dtype, "contract")
    total = combine(e, "sum", e(f"load {ty}, ptr {acc}"), product, acc_dtype, "contract")
    e.do(f"store {ty} {total}, ptr {acc}")
    done = nest.after(k)
    result = convert(done, done(f"load {ty}, ptr {acc}"), acc_dtype, dtype)
    i, _ = nest.index(bi * (M * N) + mi * N + ni)
    done.store(dtype, result, out, i)
    nest.emit()


def _dot_rows(fn: Function, dtype, B, M, N, K, a, b, out):
    nbytes = B * M * N * np.dtype(dtype).itemsize
    fn.emitter().do(f"call void @llvm.memset.p0.i64(ptr {out}, i8 0, i64 {nbytes}, i1 false)")
    nest = LoopNest(fn, None, (B, M, N, K), (0, 1, 3, 2))
    bi, mi, ni, ki = nest.point
    (a_ptr, a_t), (b_ptr, _) = a, b
    ia, da = nest.index(bi * (M * K) + (ki * M + mi if a_t else mi * K + ki))
    x = nest.at(da).load(dtype, a_ptr, ia)
    ib, db = nest.index(bi * (K * N) + ki * N + ni)
    y = nest.at(db).load(dtype, b_ptr, ib)
    io, do = nest.index(bi * (M * N) + mi * N + ni)
    e = nest.at(max(da, db, do))
    product = combine(e, "prod", x, y, dtype, "contract")
    e.store(dtype, combine(e, "sum", e.load(dtype, out, io), product, dtype, "contract"),
            out, io)
    nest.emit()


def matrix_view(x: Value, groups, ctx: Context):
    """If x is a buffer, or a transpose of one, whose memory already holds the
    (batch, rows, cols) matrix or its (batch, cols, rows) transpose:
    (buffer, element offset, transposed). The buffer may be a contiguous block of a
    larger one (a slice like xs[t], reshaped): then the offset says where it starts."""
    axis_map = list(range(x.aval.ndim))       # x's axis -> base's axis
    base = x
    while ctx.fused(base) and ctx.producer[base].prim.name == "transpose":
        perm = ctx.producer[base].params["perm"]
        axis_map = [perm[a] for a in axis_map]
        base = ctx.producer[base].inputs[0]
    block = contiguous_block(base, ctx)
    if block is None:
        return None
    buffer, offset = block
    shape = base.aval.shape
    memory = [a for a in range(len(shape)) if shape[a] != 1]

    def wanted(gs):
        return [axis_map[i] for g in gs for i in g if x.aval.shape[i] != 1]
    batch, rows, cols = groups
    if memory == wanted((batch, rows, cols)):
        return buffer, offset, False
    if memory == wanted((batch, cols, rows)):
        return buffer, offset, True
    return None


def contiguous_block(v, ctx: Context):
    """(buffer, element offset) when v's elements, row-major, are one contiguous run of
    a materialized buffer's memory (through fused reshapes and slices); else None."""
    offset = 0
    while isinstance(v, Value) and ctx.fused(v):
        node = ctx.producer[v]
        if node.prim.name == "reshape":
            v = node.inputs[0]
        elif node.prim.name == "slice" and _contiguous_slice(node):
            source = node.inputs[0]
            starts = tuple(Idx(start) for start, _, _ in node.params["dims"])
            offset += linear(starts, source.aval.shape).const
            v = source
        else:
            return None
    if not isinstance(v, Value):
        return None
    return v, offset


def _contiguous_slice(node) -> bool:
    """A slice that keeps one run of row-major memory: single indices on leading axes,
    then one axis with step 1, then whole axes."""
    dims, shape = node.params["dims"], node.inputs[0].aval.shape
    axes = list(zip(dims, shape))
    j = 0
    while j < len(axes) and axes[j][0][2] == 1:
        j += 1
    if j == len(axes):
        return True
    (start, step, count), n = axes[j]
    if step != 1 and count > 1:
        return False
    return all(s == 0 and st == 1 and c == m for (s, st, c), m in axes[j + 1:])


def build_sort(kernel, kf: KernelFunction, ctx: Context) -> list:
    """Stable sort along one axis: each line is gathered (fusing x's producers) into a
    scratch line, argsorted by a merge sort (stable; NaNs last, as NumPy), and written to
    both outputs."""
    (node,) = kernel.roots
    x = node.inputs[0]
    values, order = node.outputs
    axis = node.params["axis"]
    n = x.aval.shape[axis]
    axes = [a for a in range(x.aval.ndim) if a != axis] + [axis]
    nest = LoopNest(kf.fn, ctx, x.aval.shape, axes)
    line = ctx.scratch("line", x.aval.dtype, n)
    perm, tmp = ctx.scratch("perm", np.int64, n), ctx.scratch("tmp", np.int64, n)
    src, _ = nest.value_at(x, nest.point)
    position, _ = nest.index(nest.point[axis])
    nest.at(nest.depth).store(x.aval.dtype, src, line, position)
    k = nest._kept_depth((axis,))
    start = list(nest.point)
    start[axis] = Idx(0)
    first, _ = nest.index(linear(start, x.aval.shape))
    done = nest.after(k)
    stride = int(np.prod(x.aval.shape[axis + 1:], dtype=np.int64))
    v_out, o_out = (done.gep(mem(v.aval.dtype), ctx.buffer(v), first) for v in (values, order))
    helper = f"_sort_line_{_type_tag(x.aval.dtype)}_{_type_tag(order.aval.dtype)}"
    done.helpers.add(helper)
    done.do(f"call void @{helper}(ptr {line}, ptr {perm}, ptr {tmp}, i64 {n}, "
            f"ptr {v_out}, ptr {o_out}, i64 {stride})")
    nest.emit()
    return [nest]


def _type_tag(dtype) -> str:
    dtype = np.dtype(dtype)
    return "b" if dtype == np.bool_ else f"{dtype.kind}{dtype.itemsize * 8}"


def build_control(kernel, kf: KernelFunction, ctx: Context) -> list:
    from .control import build_control as build     # control lowers regions: lower.py
    return build(kernel, kf, ctx)


BUILDERS = {"loop": build_loop, SCATTER: build_scatter, DOT: build_dot, SORT: build_sort,
            CONTROL: build_control, CALLBACK: build_callback, LINALG: build_linalg}
