"""The traced backward graph after simplification: exact text for a small function, and
no obviously redundant work (multiplication by 1, addition of 0)."""
import re

import numpy as np

import tracegrad as tg
from tracegrad.ir import format_graph

EXPECTED = """\
graph(a: f64[3]) {
  b: f64[3] = sin a
  c: f64[3] = exp a
  d: f64[3] = mul b c
  e: bool[3] = eq b 0.0:f64
  f: f64[3] = select e 0.0:f64 d
  g: f64[3] = cos a
  h: f64[3] = mul c g
  i: f64[3] = add f h
  return i
}"""


def test_backward_graph_golden():
    f = lambda x: np.sum(np.sin(x) * np.exp(x))
    graph = tg.make_ir(tg.grad(f))(np.ones(3)).graph
    assert format_graph(graph, locations=False) == EXPECTED


def test_no_multiplication_by_one_or_addition_of_zero():
    def loss(w, x):
        return np.mean(np.tanh(x @ w) ** 2) + np.sum(w * w)
    text = format_graph(tg.make_ir(tg.value_and_grad(loss))(np.ones((3, 2)),
                                                            np.ones((4, 3))).graph,
                        locations=False)
    assert not re.search(r"= mul .*\b1\.0:f64", text), text
    assert not re.search(r"= add .*\b0\.0:f64", text), text
    assert not re.search(r"= sub .*\b0\.0:f64$", text, re.M), text
