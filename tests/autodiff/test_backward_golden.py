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
  d: bool[3] = isfinite c
  e: bool[3] = not d
  f: bool[3] = eq b 0.0:f64
  g: bool[3] = and f e
  h: f64[3] = select g 0.0:f64 c
  i: f64[3] = mul b h
  j: f64[3] = cos a
  k: f64[3] = mul c j
  l: f64[3] = add i k
  return l
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
