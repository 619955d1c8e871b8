"""Data movement, reductions, scans, gathers and dot_general, compiled vs interpreter."""
import numpy as np
import pytest

from tracegrad.errors import MissingRuleError
from tracegrad.codegen import lower_graph
from tracegrad.codegen.emit_table import SUPPORTED_KINDS, TABLE
from tracegrad.ir import kinds
from tracegrad.ir import PRIMITIVES, Graph, Node, Value, Aval

from .support import Builder, blas_calls, ir_text, kernel_functions, lit


def rand(shape, dtype="float64", seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_views_fuse_as_index_arithmetic(loader, dtype):
    g = Builder()
    x = g.input((4, 6), dtype)
    v = g.input((6,), dtype)
    ex = g.op("exp", x)                                   # an expression, not a buffer
    outs = [
        g.op("broadcast_in_dim", v, shape=(3, 4, 6), dims=(2,)),
        g.op("reshape", x, shape=(3, 8)),                 # of a buffer: flat index
        g.op("reshape", ex, shape=(8, 3)),                # of an expression: div/mod
        g.op("reshape", ex, shape=(4, 1, 6, 1)),          # unit axes only
        g.op("transpose", ex, perm=(1, 0)),
        g.op("slice", x, dims=((3, -1, 4), (5, -2, 3))),  # negative steps
        g.op("slice", ex, dims=((1, 2, 2), (0, 1, 0))),   # size-0 result
        g.op("add", g.op("transpose", x, perm=(1, 0)),
             g.op("broadcast_in_dim", v, shape=(6, 4), dims=(0,))),
    ]
    loader.check(g.graph(outs), rand((4, 6), dtype), rand(6, dtype, 1))


def test_pad_concatenate_iota(loader):
    g = Builder()
    x = g.input((3, 4))
    y = g.input((3, 2))
    ex = g.op("sin", x)
    outs = [
        g.op("pad", ex, lit(-1.0), widths=((1, 2), (0, 3))),
        g.op("pad", x, lit(0.5), widths=((0, 0), (2, 0))),
        g.op("mul", g.op("concatenate", ex, y, g.op("cos", y), axis=1), lit(2.0)),
        g.op("concatenate", x, g.op("neg", x), axis=0),
        g.op("iota", dtype=np.dtype("int32"), shape=(3, 5), dimension=1),
        g.op("add", g.op("iota", dtype=np.dtype("float64"), shape=(3, 4), dimension=0), x),
    ]
    loader.check(g.graph(outs), rand((3, 4)), rand((3, 2), seed=2))


def test_gather_and_scatter_add(loader):
    g = Builder()
    x = g.input((5, 3))
    idx = g.input((4, 1), "int64")
    idx2 = g.input((2, 2), "int32")
    upd = g.input((4, 3))
    outs = [
        g.op("gather", g.op("exp", x), idx),
        g.op("gather", x, idx2),
        g.op("scatter_add", g.op("mul", x, lit(2.0)), idx, g.op("sin", upd)),
        g.op("scatter_add", x, idx2,
             g.op("reshape", g.op("slice", upd, dims=((0, 1, 2), (0, 1, 1))), shape=(2,))),
    ]
    loader.check(g.graph(outs), rand((5, 3)), np.array([[4], [0], [-1], [4]]),
                 np.array([[0, 2], [-1, -3]]), rand((4, 3), seed=3))


AXES = [(0,), (1,), (2,), (0, 1), (1, 2), (0, 2), (0, 1, 2), ()]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "bool"])
def test_reductions(loader, dtype):
    g = Builder()
    x = g.input((3, 4, 5), dtype)
    src = x if dtype == "bool" else g.op("mul", x, x)
    outs, names = [], []
    for prim in ("reduce_sum", "reduce_max", "reduce_min", "reduce_prod"):
        for axes in AXES:
            outs.append(g.op(prim, src, axes=axes))
            names.append(f"{prim}{axes}")
    for prim in ("argmax", "argmin"):
        for axis in range(3):
            outs.append(g.op(prim, x, axis=axis, index_dtype=np.dtype("int64")))
            names.append(f"{prim}{axis}")
    values = rand((3, 4, 5), "float64") * 2
    if dtype == "bool":
        values = values > 0
    values = values.astype(dtype)
    if dtype.startswith("float"):
        values[1, 2, 3] = np.nan
        values[0, 0, :] = -np.inf
    loader.check(g.graph(outs), values, names=names, rtol=1e-5 if dtype == "float32" else None)


def test_reductions_of_empty_and_scalar(loader):
    g = Builder()
    e = g.input((0, 4), "float32")
    s = g.input((), "float64")
    outs = [g.op("reduce_sum", e, axes=(0,)), g.op("reduce_prod", e, axes=(0, 1)),
            g.op("reduce_max", e, axes=(1,)), g.op("reduce_sum", s, axes=()),
            g.op("cumsum", e, axis=0, reverse=False)]
    loader.check(g.graph(outs), np.zeros((0, 4), np.float32), 2.5)


@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_cumulative(loader, dtype):
    g = Builder()
    x = g.input((3, 4), dtype)
    outs = [g.op(p, x, axis=a, reverse=r) for p in ("cumsum", "cumprod")
            for a in (0, 1) for r in (False, True)]
    outs.append(g.op("cumsum", g.op("mul", x, x), axis=1, reverse=True))
    loader.check(g.graph(outs), (rand((3, 4)) * 3).astype(dtype))


DOTS = [  # (lhs shape, rhs shape, dims)
    ((30, 40), (40, 50), (((1,), (0,)), ((), ()))),      # matmul
    ((40, 30), (40, 50), (((0,), (0,)), ((), ()))),      # lhs transposed
    ((30, 40), (50, 40), (((1,), (1,)), ((), ()))),      # rhs transposed
    ((4, 20, 30), (4, 30, 10), (((2,), (1,)), ((0,), (0,)))),   # batched
    ((20, 4, 30), (30, 4, 10), (((2,), (0,)), ((1,), (1,)))),   # batch dim inside
    ((3, 4), (4,), (((1,), (0,)), ((), ()))),             # tiny: loops
    ((6, 5), (5, 8), (((1,), (0,)), ((), ()))),           # tiny, rows of b: row loops
    ((2, 6, 5), (2, 5, 8), (((2,), (1,)), ((0,), (0,)))), # tiny, batched row loops
    ((6, 5), (8, 5), (((1,), (1,)), ((), ()))),           # tiny, b transposed
    ((500, 40), (40,), (((1,), (0,)), ((), ()))),         # matrix-vector: gemv
    ((40, 500), (40,), (((0,), (0,)), ((), ()))),         # transposed matrix-vector
    ((40,), (500, 40), (((0,), (1,)), ((), ()))),         # vector-matrix^T: gemv
    ((40,), (40, 500), (((0,), (0,)), ((), ()))),         # vector-matrix
    ((5,), (6,), (((), ()), ((), ()))),                   # outer product
    ((3, 0), (0, 2), (((1,), (0,)), ((), ()))),           # empty contraction
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
def test_dot_general(loader, dtype):
    g = Builder()
    outs = []
    args = []
    for i, (ls, rs, dims) in enumerate(DOTS):
        a, b = g.input(ls, dtype), g.input(rs, dtype)
        outs.append(g.op("dot_general", a, b, dims=dims))
        args += [(rand(ls, seed=i) * 3).astype(dtype), (rand(rs, seed=i + 50) * 3).astype(dtype)]
    # an operand that is a fused expression is laid out by a prologue loop
    a, b = g.inputs[0], g.inputs[1]
    outs.append(g.op("dot_general", g.op("transpose", g.op("mul", a, a), perm=(1, 0)), b,
                     dims=(((0,), (0,)), ((), ()))))
    lowered, _ = loader.check(g.graph(outs), *args, rtol=1e-4 if dtype == "float32" else 1e-10,
                              atol=1e-4 if dtype == "float32" else None)
    assert blas_calls(lowered) == (0 if dtype == "int32" else 10)


def test_every_primitive_has_an_emit_rule_or_a_kernel():
    from tracegrad.codegen.complex_split import COMPLEX_ONLY    # split into real parts first
    missing = sorted(name for name, p in PRIMITIVES.items()
                     if (p.kind == kinds.ELEMENTWISE and name not in TABLE
                         and name not in COMPLEX_ONLY)
                     or p.kind not in SUPPORTED_KINDS + (kinds.CALL,))
    assert not missing, f"no codegen rule for {missing}"


def test_unknown_primitive_raises_missing_rule_error():
    class Fake:
        name, kind = "no_such_primitive", "other"
    x = Value(Aval((3,), np.float64))
    y = Value(Aval((3,), np.float64))
    graph = Graph([x], [Node(Fake(), [x], {}, [y])], [y])
    with pytest.raises(MissingRuleError, match="no_such_primitive"):
        lower_graph(graph)


def test_constants_are_passed_after_inputs(loader):
    g = Builder()
    x = g.input((3,))
    c = g.const(np.array([1.0, 2.0, 3.0]))
    graph = g.graph([g.op("mul", x, c)])
    lowered, (out,) = loader.check(graph, np.array([1.0, 1.0, 2.0]))
    assert len(lowered.consts) == 1
    np.testing.assert_array_equal(out, [1.0, 2.0, 6.0])


def test_sort_and_special_functions(loader):
    g = Builder()
    x = g.input((3, 5))
    outs = list(g.op("sort", x, axis=1, index_dtype=np.dtype("int64")))
    outs += list(g.op("sort", g.op("neg", x), axis=0, index_dtype=np.dtype("int32")))
    outs += [g.op("lgamma", x)] + [g.op("polygamma", x, order=n) for n in range(3)]
    values = rand((3, 5)) * 4
    values[0, 1] = values[0, 3] = 1.5          # a tie keeps its order
    values[1, 2] = np.nan
    values[2, :3] = [0.0, -2.0, np.inf]
    loader.check(g.graph(outs), values, rtol=1e-9)


def test_dot_of_contiguous_slices_reads_them_in_place(loader):
    """xs[t] @ w for every t (an unrolled loop): each operand is a block of xs's memory,
    read at an offset without a copy, and the kernels share one function."""
    g = Builder()
    xs, w = g.input((5, 8, 96), "float64"), g.input((96, 64), "float64")
    outs = []
    for t in range(5):
        row = g.op("reshape", g.op("slice", xs, dims=((t, 1, 1), (0, 1, 8), (0, 1, 96))),
                   shape=(8, 96))
        outs.append(g.op("dot_general", row, w, dims=(((1,), (0,)), ((), ()))))
    # a strided slice is not one block of memory: it is laid out by a copy
    strided = g.op("slice", xs, dims=((0, 1, 1), (0, 2, 4), (0, 1, 96)))
    outs.append(g.op("dot_general", g.op("reshape", strided, shape=(4, 96)), w,
                     dims=(((1,), (0,)), ((), ()))))
    args = [rand((5, 8, 96), seed=1), rand((96, 64), seed=2)]
    lowered, _ = loader.check(g.graph(outs), *args)
    assert blas_calls(lowered) == 2                      # one shared function, one copy
    assert len(kernel_functions(lowered)) == 2
    assert ir_text(lowered).count("scratch lhs") == 1
