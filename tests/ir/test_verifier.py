"""The verifier accepts well-formed graphs and rejects each kind of malformed one."""
import numpy as np
import pytest

from tracegrad.ir import Aval, GraphInvariantError, Value, verify

from .graphs import F32, graph, node


def test_accepts_a_well_formed_graph():
    x = Value(F32)
    s = node("sin", [x], [F32])
    assert verify(graph([x], [s], [s.out])) is not None


def test_rejects_use_before_definition():
    x = Value(F32)
    later = node("sin", [x], [F32])
    early = node("cos", [later.out], [F32])
    with pytest.raises(GraphInvariantError, match="before it is defined"):
        verify(graph([x], [early, later], [early.out]))


def test_rejects_a_value_defined_twice():
    x = Value(F32)
    s = node("sin", [x], [F32])
    with pytest.raises(GraphInvariantError, match="defined twice"):
        verify(graph([x], [s, s], [s.out]))


def test_rejects_an_output_type_the_shape_rule_disagrees_with():
    x = Value(F32)
    wrong = node("sin", [x], [Aval((4,), np.float32)])
    with pytest.raises(GraphInvariantError, match="rule gives"):
        verify(graph([x], [wrong], [wrong.out]))


def test_rejects_an_undefined_output():
    x = Value(F32)
    with pytest.raises(GraphInvariantError, match="not defined"):
        verify(graph([x], [], [Value(F32)]))


def test_rejects_a_const_whose_array_does_not_match_its_type():
    x, c = Value(F32), Value(F32)
    add = node("add", [x, c], [F32])
    with pytest.raises(GraphInvariantError, match="const"):
        verify(graph([x], [add], [add.out], consts=[(c, np.zeros(3, np.float64))]))
