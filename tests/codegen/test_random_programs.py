"""Property test: random DAGs of elementwise, broadcasting and reduction primitives with
random broadcastable shapes compile to the interpreter's results."""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .support import Builder, ModuleLoader

UNARY = ["sin", "tanh", "neg", "abs", "exp", "logistic", "sqrt"]
BINARY = ["add", "sub", "mul", "max", "min"]
REDUCE = ["reduce_sum", "reduce_max", "reduce_min"]


def _broadcastable(a, b) -> bool:
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


@st.composite
def programs(draw):
    base = draw(st.lists(st.integers(0, 4), min_size=0, max_size=3))
    dtype = draw(st.sampled_from(["float32", "float64"]))
    g = Builder()

    def sub_shape():
        keep = draw(st.integers(0, len(base)))
        shape = base[len(base) - keep:]
        return tuple(1 if draw(st.booleans()) and n else n for n in shape)
    values = [g.input(sub_shape(), dtype) for _ in range(draw(st.integers(1, 3)))]
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["unary", "binary", "binary", "reduce", "broadcast"]))
        x = draw(st.sampled_from(values))
        if kind == "unary":
            name = draw(st.sampled_from(UNARY))
            values.append(g.op(name, g.op("abs", x) if name == "sqrt" else x))
        elif kind == "binary":
            # Reductions make shapes that need not broadcast with the others: pair only
            # operands that do (x with itself always does).
            partners = [v for v in values if _broadcastable(x.aval.shape, v.aval.shape)]
            values.append(g.op(draw(st.sampled_from(BINARY)), x,
                               draw(st.sampled_from(partners))))
        elif kind == "reduce" and x.aval.ndim:
            axes = tuple(sorted(set(draw(st.lists(st.integers(0, x.aval.ndim - 1),
                                                  min_size=1, max_size=x.aval.ndim)))))
            name = draw(st.sampled_from(REDUCE))
            if name != "reduce_sum" and any(x.aval.shape[a] == 0 for a in axes):
                name = "reduce_sum"
            values.append(g.op(name, x, axes=axes))
        elif kind == "broadcast" and len(x.aval.shape) < len(base) and all(
                n in (1, m) for n, m in zip(x.aval.shape, base[len(base) - x.aval.ndim:])):
            shape = tuple(base)
            dims = tuple(range(len(base) - x.aval.ndim, len(base)))
            values.append(g.op("broadcast_in_dim", x, shape=shape, dims=dims))
    outputs = [values[-1]] + draw(st.lists(st.sampled_from(values), max_size=2))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    args = [rng.uniform(-2, 2, v.aval.shape).astype(dtype) for v in g.inputs]
    return g.graph(outputs), args


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(programs())
def test_random_programs_match_interpreter(tmp_path_factory, program):
    graph, args = program
    loader = _loader(tmp_path_factory)
    loader.check(graph, *args, rtol=1e-4 if graph.inputs[0].aval.dtype == np.float32
                 else 1e-10, atol=1e-5)


_LOADERS = {}


def _loader(factory):
    if "loader" not in _LOADERS:
        _LOADERS["loader"] = ModuleLoader(factory.mktemp("random"))
    return _LOADERS["loader"]
