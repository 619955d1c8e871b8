"""Each graph pass on a small graph: what it removes, and that values do not change."""
import numpy as np

import tracegrad
from tracegrad.ir import (Aval, Literal, Value, evaluate, format_graph, run_passes, verify)
from tracegrad.ir.passes.cse import eliminate_common_subexpressions
from tracegrad.ir.passes.dce import eliminate_dead_code
from tracegrad.ir.passes.fold import fold_constants
from tracegrad.ir.passes.simplify import simplify

from .graphs import F32, graph, lit, node

X = np.array([0.5, -1.0, 2.0], np.float32)
SCALAR = Aval((), np.float32)


def prims(g):
    return [n.prim.name for n in g.nodes]


def same_values(before, after, *args):
    verify(after)
    for a, b in zip(evaluate(before, *args), evaluate(after, *args)):
        np.testing.assert_array_equal(a, b)


def test_dce_drops_unused_nodes_and_consts():
    x, c = Value(F32), Value(F32)
    used = node("sin", [x], [F32])
    unused = node("mul", [x, c], [F32])
    g = graph([x], [used, unused], [used.out], consts=[(c, np.ones(3, np.float32))])
    out = eliminate_dead_code(g)
    assert prims(out) == ["sin"] and out.consts == [] and out.inputs == [x]
    same_values(g, out, X)


def test_cse_merges_identical_nodes():
    x = Value(F32)
    a, b = node("exp", [x], [F32]), node("exp", [x], [F32])
    add = node("add", [a.out, b.out], [F32])
    g = graph([x], [a, b, add], [add.out])
    out = eliminate_dead_code(eliminate_common_subexpressions(g))
    assert prims(out) == ["exp", "add"]
    assert out.nodes[1].inputs == (a.out, a.out)
    same_values(g, out, X)


def test_cse_keeps_nodes_that_differ_in_params_or_literals():
    x = Value(F32)
    a, b = node("mul", [x, lit(2.0)], [F32]), node("mul", [x, lit(3.0)], [F32])
    add = node("add", [a.out, b.out], [F32])
    out = eliminate_common_subexpressions(graph([x], [a, b, add], [add.out]))
    assert prims(out) == ["mul", "mul", "add"]


def test_constant_folding_turns_scalar_literal_arithmetic_into_a_literal():
    x = Value(F32)
    two = node("add", [lit(1.0), lit(1.0)], [SCALAR])
    scaled = node("mul", [x, two.out], [F32])
    g = graph([x], [two, scaled], [scaled.out])
    out = fold_constants(g)
    assert prims(out) == ["mul"]
    folded = out.nodes[0].inputs[1]
    assert isinstance(folded, Literal) and folded.value == 2.0
    assert folded.aval.dtype == np.float32
    same_values(g, out, X)


def test_simplify_removes_identities_but_keeps_type_changes_and_x_times_zero():
    x, s = Value(F32), Value(SCALAR)
    same_shape = node("reshape", [x], [F32], shape=(3,))
    widened_type = node("convert", [s], [Aval((), np.float64)], dtype=np.dtype(np.float64))
    times_one = node("mul", [x, lit(1.0)], [F32])
    minus_zero = node("sub", [times_one.out, lit(0.0)], [F32])
    neg = node("neg", [minus_zero.out], [F32])
    neg_neg = node("neg", [neg.out], [F32])
    plus_zero = node("add", [s, lit(0.0)], [SCALAR])       # kept: -0.0 + 0.0 is 0.0
    plus_neg_zero = node("add", [plus_zero.out, lit(-0.0)], [SCALAR])
    times_zero = node("mul", [neg_neg.out, lit(0.0)], [F32])   # kept: inf * 0 is nan
    g = graph([x, s], [same_shape, times_one, minus_zero, neg, neg_neg, widened_type,
                       plus_zero, plus_neg_zero, times_zero],
              [neg_neg.out, widened_type.out, plus_neg_zero.out, times_zero.out, same_shape.out])
    out = eliminate_dead_code(simplify(g))
    assert out.outputs[0] is x and out.outputs[4] is x
    assert prims(out) == ["convert", "add", "mul"]
    same_values(g, out, X, np.float32(-0.0))


def test_adding_zero_keeps_the_sign_of_zero_end_to_end():
    x = np.array([-0.0, 1.0])
    traced = tracegrad.make_ir(lambda x: x + 0.0)(x)
    result = traced.evaluate(x)
    np.testing.assert_array_equal(np.signbit(result), np.signbit(x + 0.0))


def test_run_passes_verifies_and_preserves_values():
    x = Value(F32)
    a, b = node("exp", [x], [F32]), node("exp", [x], [F32])
    dead = node("sin", [x], [F32])
    one = node("mul", [lit(0.5), lit(2.0)], [SCALAR])
    out = node("mul", [a.out, one.out], [F32])
    total = node("add", [out.out, b.out], [F32])
    g = graph([x], [a, b, dead, one, out, total], [total.out])
    optimized = run_passes(g, check=True)
    assert prims(optimized) == ["exp", "add"], format_graph(optimized)
    same_values(g, optimized, X)
