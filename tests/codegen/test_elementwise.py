"""Every elementwise primitive, compiled vs the reference interpreter: float32/float64,
integers and bools, broadcasting, special values, 0-d and size-0 operands."""
import numpy as np
import pytest

from tracegrad.codegen import cost, fusion
from tracegrad.ir.elementwise import BINARY, COMPARISONS, PREDICATES, UNARY

from .support import Builder, lit

SPECIAL = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5,
           1e-310, -1e-310, 3.0, 7.25, -7.75, 20.0, -30.0, 100.0, 0.999, -0.999, 1e-8]


def special_values(dtype, shape=(4, len(SPECIAL))):
    rng = np.random.default_rng(1)
    x = np.empty(shape, dtype)
    x[0] = np.array(SPECIAL, dtype)
    x[1:] = rng.uniform(-4, 4, (shape[0] - 1, shape[1])).astype(dtype)
    return x


FLOAT_UNARY = [n for n, (_, kinds) in UNARY.items() if "f" in kinds] + list(PREDICATES)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_unary(loader, dtype):
    g = Builder()
    x = g.input((4, len(SPECIAL)), dtype)
    outs = [g.op(name, x) for name in FLOAT_UNARY]
    lowered, _ = loader.check(g.graph(outs), special_values(dtype), names=FLOAT_UNARY)
    # outputs of one iteration space share loops, as many as the kernel size budget allows
    budget = fusion.LOOP_BUDGET
    weight = sum(cost.size_weight(name) for name in FLOAT_UNARY)
    assert {k.kind for k in lowered.kernels} == {"elementwise"}
    assert len(lowered.kernels) <= int(weight // budget) + 2


FLOAT_BINARY = [n for n, (_, kinds) in BINARY.items() if "f" in kinds]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_binary_broadcasting(loader, dtype):
    g = Builder()
    x = g.input((len(SPECIAL), 1), dtype)
    y = g.input((3, 1, 7), dtype)
    names = FLOAT_BINARY + list(COMPARISONS)
    outs = [g.op(name, x, y) for name in names]
    xv = np.array(SPECIAL, dtype)[:, None]
    yv = np.array([[[0.0, -0.0, 2.0, -3.0, np.nan, np.inf, 0.5]]] * 3, dtype)
    yv[1] *= -1.5
    loader.check(g.graph(outs), xv, yv, names=names)


INT_BINARY = [n for n, (_, kinds) in BINARY.items() if "i" in kinds and n != "pow"]


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8"])
def test_integer_ops(loader, dtype):
    g = Builder()
    x = g.input((6, 1), dtype)
    y = g.input((5,), dtype)
    names = INT_BINARY + list(COMPARISONS)
    outs = [g.op(name, x, y) for name in names]
    unary = [n for n, (_, kinds) in UNARY.items() if "i" in kinds and
             (dtype[0] != "u" or n not in ("neg",))]
    outs += [g.op(name, x) for name in unary]
    outs += [g.op("mul", x, lit(3, dtype)), g.op("add", y, lit(250, dtype))]
    xv = np.array([-7, -1, 0, 1, 5, 100], dtype=np.int64).astype(dtype)[:, None]
    yv = np.array([3, -2, 0, 1, 2], dtype=np.int64).astype(dtype)
    names = names + unary + ["mul literal", "add literal"]
    loader.check(g.graph(outs), xv, yv, names=names)


def test_integer_power(loader):
    g = Builder()
    x = g.input((5,), "int32")
    y = g.input((5,), "int32")
    loader.check(g.graph([g.op("pow", x, y)]), [2, -3, 7, 0, 1], [10, 3, 0, 5, 31])


def test_bool_ops(loader):
    g = Builder()
    x = g.input((4,), "bool")
    y = g.input((4,), "bool")
    names = ["add", "mul", "max", "min", "and", "or", "xor", "eq", "ne", "lt", "not",
             "select"]
    outs = [g.op(n, x, y) for n in names[:10]] + [g.op("not", x), g.op("select", x, y, x)]
    loader.check(g.graph(outs), [True, True, False, False], [True, False, True, False],
                 names=names)


CONVERSIONS = [("float64", "float32"), ("float32", "float64"), ("float64", "int32"),
               ("float32", "int64"), ("float64", "bool"), ("bool", "float32"),
               ("int32", "float64"), ("int64", "int8"), ("bool", "int32"),
               ("int32", "bool"), ("uint8", "float32")]


def test_convert(loader):
    g = Builder()
    sources = {}
    outs, names = [], []
    for src, dst in CONVERSIONS:
        if src not in sources:
            sources[src] = g.input((6,), src)
        outs.append(g.op("convert", sources[src], dtype=np.dtype(dst)))
        names.append(f"{src}->{dst}")
    values = {"float64": [0.0, -0.0, 1.5, -2.5, 3e9 / 7, 255.0],
              "float32": [0.0, -1.25, 2.5, 100.75, -7.0, 1e-3],
              "bool": [True, False, True, True, False, False],
              "int32": [0, 1, -5, 70000, -2, 3], "int64": [0, 1, 300, -129, 128, 7],
              "uint8": [0, 1, 255, 128, 7, 3]}
    args = [np.array(values[np.dtype(v.aval.dtype).name], v.aval.dtype) for v in g.inputs]
    loader.check(g.graph(outs), *args, names=names)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_literals_keep_the_array_dtype(loader, dtype):
    """float32 * 0.1 stays float32 (NEP 50) and rounds like NumPy."""
    g = Builder()
    x = g.input((5,), dtype)
    y = g.op("add", g.op("mul", x, lit(0.1, dtype)), lit(1e-3, dtype))
    z = g.op("select", g.op("gt", x, lit(0.0, dtype)), y, lit(-1.0, dtype))
    _, (out,) = loader.check(g.graph([z]), np.linspace(-1, 1, 5).astype(dtype))
    assert out.dtype == np.dtype(dtype)


def test_scalars_and_empty(loader):
    g = Builder()
    s = g.input((), "float32")
    e = g.input((0, 3), "float32")
    v = g.input((3,), "float32")
    outs = [g.op("exp", s), g.op("mul", e, v), g.op("add", s, v), g.op("neg", e),
            g.op("stop_gradient", s)]
    loader.check(g.graph(outs), np.float32(0.5), np.zeros((0, 3), np.float32),
                 np.array([1, 2, 3], np.float32))


def test_outputs_that_are_inputs_literals_or_repeated(loader):
    g = Builder()
    x = g.input((3,), "float64")
    y = g.op("sin", x)
    graph = g.graph([x, y, y, lit(2.5), x])
    lowered, outs = loader.check(graph, np.array([1.0, 2.0, 3.0]))
    arg = np.array([1.0, 2.0, 3.0])
    outs = loader.run(lowered, arg)
    assert not np.shares_memory(outs[0], arg) and not np.shares_memory(outs[1], outs[2])
    assert not np.shares_memory(outs[0], outs[4])
    outs[0][0] = 99.0
    assert arg[0] == 1.0
