"""Property test: random programs with loops and conditionals (scan, fori_loop, cond,
while_loop, nested up to two deep) compile to what the same program computes eagerly —
where the constructs run as Python control flow — in value and gradient."""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tracegrad as tg
import tracegrad.numpy as tnp

UNARY = {"sin": tnp.sin, "tanh": tnp.tanh, "soft": lambda h: h / (1 + tnp.abs(h)),
         "cos": tnp.cos}


def _statements(depth):
    leaf = st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)))
    mix = st.tuples(st.just("mix"), st.floats(-1.5, 1.5))
    if depth == 0:
        return st.lists(st.one_of(leaf, mix), min_size=1, max_size=3)
    inner = _statements(depth - 1)
    loops = st.one_of(
        st.tuples(st.just("scan"), inner, st.booleans()),
        st.tuples(st.just("fori"), inner, st.integers(0, 3)),
        st.tuples(st.just("cond"), inner, inner),
        st.tuples(st.just("while"), inner))
    return st.lists(st.one_of(leaf, mix, loops), min_size=1, max_size=3)


def run(program, h, x, xs):
    """Apply the statements to the state h (a vector), reading x and the rows of xs."""
    for statement in program:
        kind = statement[0]
        if kind == "unary":
            h = UNARY[statement[1]](h)
        elif kind == "mix":
            h = h * statement[1] + x
        elif kind == "scan":
            body, reverse = statement[1], statement[2]
            h, ys = tg.scan(lambda c, row: (run(body, c, row, xs), c.sum()), h, xs,
                            reverse=reverse)
            h = h + ys.mean()
        elif kind == "fori":
            body = statement[1]
            h = tg.fori_loop(0, statement[2], lambda i, c: run(body, c, x * i, xs), h)
        elif kind == "cond":
            yes, no = statement[1], statement[2]
            h = tg.cond(h.sum() > 0, lambda c: run(yes, c, x, xs),
                        lambda c: run(no, c, x, xs), h)
        else:                 # while: at most 3 steps, fewer when the state grows large
            body = statement[1]
            h, _ = tg.while_loop(lambda c: (c[1] < 3) & (tnp.abs(c[0]).sum() < 50.0),
                                 lambda c: (run(body, c[0], x, xs), c[1] + 1), (h, 0))
    return h


@st.composite
def programs(draw):
    program = draw(_statements(2))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    n, steps = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    x, xs = rng.uniform(-1, 1, n), rng.uniform(-1, 1, (steps, n))
    return program, x, xs


def loss(x, xs, program):
    return (run(program, x * 0.5, x, xs) ** 2).sum()


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_control_flow_compiles_to_the_eager_result(case):
    program, x, xs = case
    eager_value, eager_grad = tg.value_and_grad(loss, argnums=(0, 1))(x, xs, program)
    compiled = tg.compile(tg.value_and_grad(loss, argnums=(0, 1)), static_argnums=2)
    value, grad = compiled(x, xs, tuple(map(_frozen, program)))
    np.testing.assert_allclose(value, eager_value, rtol=1e-10, atol=1e-12)
    for g, e in zip(grad, eager_grad):
        np.testing.assert_allclose(g, e, rtol=1e-8, atol=1e-10)


def _frozen(statement):
    """Statements as hashable tuples (static arguments are cache keys)."""
    return tuple(tuple(map(_frozen, s)) if isinstance(s, list) else s for s in statement)
