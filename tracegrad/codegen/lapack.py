"""LAPACK kernels: a linear-algebra node (ir/linalg.py) becomes a kernel of its own that
copies its operands into scratch matrices (a fused prologue: the operand's producers
are computed there, transposed to LAPACK's column-major order where that matters),
calls LAPACK once per matrix of the stack, and copies the results out (an epilogue:
back to row-major, zeroing the other triangle, NaNs for a failed factorization).

The LAPACK routines are Numba's helpers (numba_xxpotrf, numba_xxgetrf, numba_ez_xxxevd,
numba_ez_gesdd, numba_ez_geqrf, numba_ez_xxgqr: workspace queries inside) and BLAS trsm
from SciPy; native.py makes them symbols of the process. The kernels copy what LAPACK
overwrites, so inputs are never changed, and check each info code: a matrix that is not
positive definite, or an eigen/singular value iteration that did not converge, gives
NaNs (NumPy would raise LinAlgError; native code cannot). The same routines as NumPy
(potrf 'L', getrf, syevd 'L', gesdd, geqrf/orgqr on column-major copies) give the
interpreter's results, signs of vectors included."""
from __future__ import annotations

import numpy as np

from ..ir import Literal
from .fft import build_fft
from .index import Idx, linear
from .irtext import Emitter, const, mem, reg
from .nest import LoopNest

# Fortran integers of the LAPACK that SciPy (and so Numba) calls: 32 bits unless SciPy
# was built for ILP64 (native.lapack_int_bits says which; part of the IR text).
_INT_BITS: list = []


def lapack_int():
    if not _INT_BITS:
        from .native import lapack_int_bits
        _INT_BITS.append(lapack_int_bits())
    return np.dtype(np.int64 if _INT_BITS[0] == 64 else np.int32)


def build_linalg(kernel, kf, ctx) -> list:
    (node,) = kernel.roots
    return _BUILDERS[node.prim.name](node, _Kernel(kf, ctx))


class _Kernel:
    """The kernel function, its context, and the LLVM spelling of LAPACK's arguments."""

    def __init__(self, kf, ctx):
        self.kf, self.ctx, self.fn = kf, ctx, kf.fn
        self.nests: list = []

    def kind(self, dtype) -> tuple:
        return ("i8", ord("d" if np.dtype(dtype) == np.float64 else "s"))

    def copy_in(self, x, pointer, column_major, stride=None):
        """Each matrix of x (..., r, c) to `pointer`, `stride` elements apart, row-major
        or column-major; x's producers are computed here."""
        shape = x.aval.shape
        r, c = shape[-2:]
        nest = LoopNest(self.fn, self.ctx, shape, range(len(shape)))
        p = nest.point
        within = p[-1] * r + p[-2] if column_major else p[-2] * c + p[-1]
        nest.store(x, pointer, linear(p[:-2], shape[:-2]) * (stride or r * c) + within)
        nest.emit()
        self.nests.append(nest)

    def each_matrix(self, count, body):
        """body(e, b) once per matrix b of the stack (b an i64 register or constant)."""
        nest = LoopNest(self.fn, None, (count,), (0,))
        b, depth = nest.index(nest.point[0])
        body(nest.at(depth), b)
        nest.emit()

    def out(self, shape, pointer, dtype, value):
        """out[b, i, j] = value(e, b, i, j) over a (count, rows, cols) stack."""
        nest = LoopNest(self.fn, None, shape, range(len(shape)))
        b, i, j = (nest.index(p)[0] for p in nest.point)
        e = nest.at(nest.depth)
        index, _ = nest.index(linear(nest.point, shape))
        e.store(dtype, value(e, b, i, j), pointer, index)
        nest.emit()

    def info_slots(self, count):
        return self.kf.scratch("info", np.int32, max(count, 1))


def _at(e: Emitter, dtype, pointer, b, stride) -> str:
    """The address of matrix b of a stack whose matrices are `stride` elements apart."""
    if b == "0" or stride == 0:
        return pointer
    offset = e.iop("mul", "i64", b, str(stride))
    return e(f"getelementptr inbounds {mem(dtype)}, ptr {pointer}, i64 {offset}", "p")


def _flat(e: Emitter, *terms) -> str:
    """sum of products of registers and integers (i64)."""
    total = "0"
    for term in terms:
        value = None
        for factor in term:
            factor = str(factor)
            value = factor if value is None else e.iop("mul", "i64", value, factor)
        total = value if total == "0" else e.iop("add", "i64", total, value)
    return total


def _failed(e: Emitter, info, b) -> str:
    return e.icmp("ne", "i32", e.load(np.int32, info, b), "0")


def _nan_if(e: Emitter, failed, value, dtype) -> str:
    return e.select(failed, reg(dtype), const(np.nan, dtype), value)


def _batch(x) -> int:
    return int(np.prod(x.aval.shape[:-2], dtype=np.int64))


def _operand(g: _Kernel, x, slot, size):
    return g.kf.scratch(slot, x.aval.dtype, max(size, 1))


# ---- cholesky ------------------------------------------------------------------------

def _cholesky(node, g: _Kernel):
    (a,) = node.inputs
    dtype, n, count = a.aval.dtype, a.aval.shape[-1], _batch(a)
    work, info = _operand(g, a, "a", count * n * n), g.info_slots(count)
    # Column-major, LAPACK's upper triangle is the row-major lower one: potrf('U') on the
    # row-major copy is NumPy's potrf('L') on its column-major one, the same memory.
    g.copy_in(a, work, column_major=False)

    def call(e, b):
        if n == 0:
            return
        status = e.call("i32", "numba_xxpotrf", [g.kind(dtype), ("i8", ord("U")),
                                                  ("i64", n), ("ptr", _at(e, dtype, work, b, n * n)),
                                                  ("i64", n)])
        e.store(np.int32, status, info, b)
    g.each_matrix(count, call)

    def value(e, b, i, j):
        x = e.load(dtype, work, _flat(e, (b, n * n), (i, n), (j,)))
        x = e.select(e.icmp("sle", "i64", j, i), reg(dtype), x, const(0, dtype))
        return _nan_if(e, _failed(e, info, b), x, dtype)
    g.out((count, n, n), g.kf.buffer(node.out), dtype, value)
    return g.nests


# ---- triangular_solve ------------------------------------------------------------------

def _triangular_solve(node, g: _Kernel):
    a, b = node.inputs
    p = node.params
    dtype = b.aval.dtype
    n, (rows, cols), count = a.aval.shape[-1], b.aval.shape[-2:], _batch(b)
    out = g.kf.buffer(node.out)
    g.copy_in(b, out, column_major=False)            # trsm solves in place
    if isinstance(a, Literal) or g.ctx.fused(a):
        a_ptr = _operand(g, a, "a", count * n * n)
        g.copy_in(a, a_ptr, column_major=False)
    else:
        a_ptr = g.kf.buffer(a)
    if rows * cols == 0 or count == 0:
        return g.nests
    # Row-major memory holds the transposes: op(A) X = B is X^T op(A)^T = B^T, so the
    # side flips, the triangle flips, and op(A)^T is the memory of A under transa.
    int_t = reg(lapack_int())
    fn = g.fn
    slots = {}
    for name, ty, value in (("side", "i8", ord("R" if p["left_side"] else "L")),
                            ("uplo", "i8", ord("U" if p["lower"] else "L")),
                            ("trans", "i8", ord("T" if p["transpose_a"] else "N")),
                            ("diag", "i8", ord("U" if p["unit_diagonal"] else "N")),
                            ("m", int_t, cols), ("n", int_t, rows), ("lda", int_t, n),
                            ("ldb", int_t, cols), ("alpha", reg(dtype), None)):
        slots[name] = fn.alloca(ty, name)
        init = const(1, dtype) if value is None else str(value)
        fn.emitter().do(f"store {ty} {init}, ptr {slots[name]}")
    routine = "tracegrad_" + ("d" if dtype == np.float64 else "s") + "trsm"

    def call(e, i):
        args = [("ptr", slots[k]) for k in ("side", "uplo", "trans", "diag", "m", "n",
                                            "alpha")]
        args += [("ptr", _at(e, dtype, a_ptr, i, n * n)), ("ptr", slots["lda"]),
                 ("ptr", _at(e, dtype, out, i, rows * cols)), ("ptr", slots["ldb"])]
        e.do(f"call void @{routine}({', '.join(f'{t} {v}' for t, v in args)})")
    g.each_matrix(count, call)
    return g.nests


# ---- lu and the permutation of its pivots -------------------------------------------------

def _permutation(g: _Kernel, pivots, pivot_dtype, count, k, perm, size, base):
    """perm[b] = the order of rows after swapping row i with row pivots[b, i] - base
    in turn (pivots out of range are clamped: no write outside the stack)."""
    g.out((count, size, 1), perm, np.int32,
          lambda e, b, i, j: e.cast("trunc", "i64", i, "i32"))
    nest = LoopNest(g.fn, None, (count, k), (0, 1))
    b, _ = nest.index(nest.point[0])
    i, _ = nest.index(nest.point[1])
    e = nest.at(nest.depth)
    ty = reg(pivot_dtype)
    j = e.load(pivot_dtype, pivots, _flat(e, (b, k), (i,)))
    j = e.cast("sext", ty, j, "i64") if ty != "i64" else j
    j = e.iop("sub", "i64", j, str(base))
    j = e.call("i64", "llvm.smax.i64", [("i64", j), ("i64", "0")])
    j = e.call("i64", "llvm.smin.i64", [("i64", j), ("i64", str(size - 1))])
    row = _flat(e, (b, size))
    at_i, at_j = e.iop("add", "i64", row, i), e.iop("add", "i64", row, j)
    x, y = e.load(np.int32, perm, at_i), e.load(np.int32, perm, at_j)
    e.store(np.int32, y, perm, at_i)
    e.store(np.int32, x, perm, at_j)
    nest.emit()


def _getrf(g: _Kernel, a, count, n, column_major):
    """LU factors of each matrix (in scratch) and LAPACK's 1-based pivots."""
    dtype = a.aval.dtype
    work = _operand(g, a, "a", count * n * n)
    ipiv = g.kf.scratch("ipiv", lapack_int(), max(count * n, 1))
    g.copy_in(a, work, column_major=column_major)

    def call(e, b):
        if n:
            e.call("i32", "numba_xxgetrf", [
                g.kind(dtype), ("i64", n), ("i64", n), ("ptr", _at(e, dtype, work, b, n * n)),
                ("i64", n), ("ptr", _at(e, lapack_int(), ipiv, b, n))])
    g.each_matrix(count, call)      # info > 0 is an exact zero pivot: kept, as LAPACK
    return work, ipiv


def _lu(node, g: _Kernel):
    (a,) = node.inputs
    dtype, n, count = a.aval.dtype, a.aval.shape[-1], _batch(a)
    lu, pivots, perm = node.outputs
    work, ipiv = _getrf(g, a, count, n, column_major=True)
    g.out((count, n, n), g.kf.buffer(lu), dtype,
          lambda e, b, i, j: e.load(dtype, work, _flat(e, (b, n * n), (j, n), (i,))))

    def zero_based(e, b, i, _):
        p = e.load(lapack_int(), ipiv, _flat(e, (b, n), (i,)))
        p = e.cast("trunc", "i64", p, "i32") if lapack_int() == np.int64 else p
        return e.iop("sub", "i32", p, "1")
    g.out((count, n, 1), g.kf.buffer(pivots), np.int32, zero_based)
    _permutation(g, ipiv, lapack_int(), count, n, g.kf.buffer(perm), n, base=1)
    return g.nests


def _lu_pivots_to_permutation(node, g: _Kernel):
    (pivots,) = node.inputs
    shape = pivots.aval.shape
    count, k = int(np.prod(shape[:-1], dtype=np.int64)), shape[-1]
    if isinstance(pivots, Literal) or g.ctx.fused(pivots):
        source = g.kf.scratch("pivots", np.int32, max(count * k, 1))
        nest = LoopNest(g.fn, g.ctx, shape, range(len(shape)))
        nest.store(pivots, source, linear(nest.point, shape))
        nest.emit()
        g.nests.append(nest)
    else:
        source = g.kf.buffer(pivots)
    size = node.params["size"]
    _permutation(g, source, np.int32, count, k, g.kf.buffer(node.out), size, base=0)
    return g.nests


def _det(node, g: _Kernel):
    (a,) = node.inputs
    dtype, n, count = a.aval.dtype, a.aval.shape[-1], _batch(a)
    # det(A^T) = det(A): the row-major copy will do
    work, ipiv = _getrf(g, a, count, n, column_major=False)
    out = g.kf.buffer(node.out)
    nest = LoopNest(g.fn, None, (count, n), (0, 1))
    b, _ = nest.index(nest.point[0])
    i, _ = nest.index(nest.point[1])
    k = nest._kept_depth((1,))
    ty = reg(dtype)
    acc = g.fn.alloca(ty, "det")
    nest.at(k).do(f"store {ty} {const(1, dtype)}, ptr {acc}")
    e = nest.at(nest.depth)
    d = e.load(dtype, work, _flat(e, (b, n * n), (i, n + 1)))
    pivot = e.load(lapack_int(), ipiv, _flat(e, (b, n), (i,)))
    swapped = e.icmp("ne", reg(lapack_int()), pivot,
                     e.iop("add", reg(lapack_int()),
                           i if lapack_int() == np.int64 else e.cast("trunc", "i64", i, "i32"),
                           "1"))
    factor = e.select(swapped, ty, e.fneg(ty, d), d)
    e.do(f"store {ty} {e.fop('fmul', ty, e(f'load {ty}, ptr {acc}'), factor)}, ptr {acc}")
    done = nest.after(k)
    done.store(dtype, done(f"load {ty}, ptr {acc}"), out, b)
    nest.emit()
    return g.nests


# ---- eigh, svd, qr -------------------------------------------------------------------------

def _eigh(node, g: _Kernel):
    (a,) = node.inputs
    dtype, n, count = a.aval.dtype, a.aval.shape[-1], _batch(a)
    w_out, v_out = node.outputs
    work, info = _operand(g, a, "a", count * n * n), g.info_slots(count)
    w = g.kf.scratch("w", dtype, max(count * n, 1))
    g.copy_in(a, work, column_major=True)

    def call(e, b):
        if n:
            status = e.call("i32", "numba_ez_xxxevd", [
                g.kind(dtype), ("i8", ord("V")), ("i8", ord("L")), ("i64", n),
                ("ptr", _at(e, dtype, work, b, n * n)), ("i64", n),
                ("ptr", _at(e, dtype, w, b, n))])
            e.store(np.int32, status, info, b)
    g.each_matrix(count, call)
    g.out((count, n, 1), g.kf.buffer(w_out), dtype, lambda e, b, i, _: _nan_if(
        e, _failed(e, info, b), e.load(dtype, w, _flat(e, (b, n), (i,))), dtype))
    g.out((count, n, n), g.kf.buffer(v_out), dtype, lambda e, b, i, j: _nan_if(
        e, _failed(e, info, b), e.load(dtype, work, _flat(e, (b, n * n), (j, n), (i,))),
        dtype))
    return g.nests


def _identity(e, i, j, dtype):
    return e.select(e.icmp("eq", "i64", i, j), reg(dtype), const(1, dtype), const(0, dtype))


def _svd(node, g: _Kernel):
    (a,) = node.inputs
    full, compute_uv = node.params["full_matrices"], node.params["compute_uv"]
    dtype, (m, n), count = a.aval.dtype, a.aval.shape[-2:], _batch(a)
    k = min(m, n)
    u_cols, vt_rows = (m, n) if full else (k, k)
    work, info = _operand(g, a, "a", count * m * n), g.info_slots(count)
    s = g.kf.scratch("s", dtype, max(count * k, 1))
    u = g.kf.scratch("u", dtype, max(count * m * u_cols, 1)) if compute_uv else s
    vt = g.kf.scratch("vt", dtype, max(count * vt_rows * n, 1)) if compute_uv else s
    g.copy_in(a, work, column_major=True)
    jobz = ord("N" if not compute_uv else "A" if full else "S")

    def call(e, b):
        if k:
            status = e.call("i32", "numba_ez_gesdd", [
                g.kind(dtype), ("i8", jobz), ("i64", m), ("i64", n),
                ("ptr", _at(e, dtype, work, b, m * n)), ("i64", m),
                ("ptr", _at(e, dtype, s, b, k)),
                ("ptr", _at(e, dtype, u, b, m * u_cols) if compute_uv else u),
                ("i64", max(m, 1)),
                ("ptr", _at(e, dtype, vt, b, vt_rows * n) if compute_uv else vt),
                ("i64", max(vt_rows, 1) if compute_uv else 1)])
            e.store(np.int32, status, info, b)
    g.each_matrix(count, call)
    outs = node.outputs
    g.out((count, k, 1), g.kf.buffer(outs[0]), dtype, lambda e, b, i, _: _nan_if(
        e, _failed(e, info, b), e.load(dtype, s, _flat(e, (b, k), (i,))), dtype))
    if compute_uv:
        for v, pointer, rows, cols in ((outs[1], u, m, u_cols), (outs[2], vt, vt_rows, n)):
            def value(e, b, i, j, pointer=pointer, rows=rows, cols=cols):
                if k == 0:          # no factorization ran: the identity completes it
                    return _identity(e, i, j, dtype)
                x = e.load(dtype, pointer, _flat(e, (b, rows * cols), (j, rows), (i,)))
                return _nan_if(e, _failed(e, info, b), x, dtype)
            g.out((count, rows, cols), g.kf.buffer(v), dtype, value)
    return g.nests


def _qr(node, g: _Kernel):
    (a,) = node.inputs
    dtype, (m, n), count = a.aval.dtype, a.aval.shape[-2:], _batch(a)
    k = min(m, n)
    q_out, r_out = node.outputs
    q_cols, r_rows = q_out.aval.shape[-1], r_out.aval.shape[-2]
    cols = max(n, q_cols)            # room for Q's columns beyond A's (complete mode)
    work = _operand(g, a, "a", count * m * cols)
    tau = g.kf.scratch("tau", dtype, max(count * k, 1))
    g.copy_in(a, work, column_major=True, stride=m * cols)

    def factor(e, b):
        if k:
            e.call("i32", "numba_ez_geqrf", [
                g.kind(dtype), ("i64", m), ("i64", n), ("ptr", _at(e, dtype, work, b, m * cols)),
                ("i64", m), ("ptr", _at(e, dtype, tau, b, k))])
    g.each_matrix(count, factor)

    def r_value(e, b, i, j):
        x = e.load(dtype, work, _flat(e, (b, m * cols), (j, m), (i,)))
        return e.select(e.icmp("sle", "i64", i, j), reg(dtype), x, const(0, dtype))
    g.out((count, r_rows, n), g.kf.buffer(r_out), dtype, r_value)

    def form_q(e, b):
        if k:
            e.call("i32", "numba_ez_xxgqr", [
                g.kind(dtype), ("i64", m), ("i64", q_cols), ("i64", k),
                ("ptr", _at(e, dtype, work, b, m * cols)), ("i64", m),
                ("ptr", _at(e, dtype, tau, b, k))])
    g.each_matrix(count, form_q)

    def q_value(e, b, i, j):
        if k == 0:
            return _identity(e, i, j, dtype)
        return e.load(dtype, work, _flat(e, (b, m * cols), (j, m), (i,)))
    g.out((count, m, q_cols), g.kf.buffer(q_out), dtype, q_value)
    return g.nests


_BUILDERS = {"cholesky": _cholesky, "triangular_solve": _triangular_solve, "lu": _lu,
             "lu_pivots_to_permutation": _lu_pivots_to_permutation, "det": _det,
             "eigh": _eigh, "svd": _svd, "qr": _qr, "fft": build_fft}

