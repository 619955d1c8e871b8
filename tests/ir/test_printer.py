"""The printer is the main debugging tool: its text is stable and tests compare to it."""
import os
import textwrap

import numpy as np

import tracegrad
from tracegrad.ir import format_graph


def text(fn, *args):
    return format_graph(tracegrad.make_ir(fn)(*args).graph, locations=False)


def golden(s):
    return textwrap.dedent(s).strip()


def test_matmul_bias_tanh_sum():
    def f(x, w):
        return np.tanh(x @ w + 1.0).sum(axis=0)
    assert text(f, np.ones((2, 3), np.float32), np.ones((3, 4), np.float32)) == golden("""
        graph(a: f32[2,3], b: f32[3,4]) {
          c: f32[2,4] = dot_general[dims=(((1,), (0,)), ((), ()))] a b
          d: f32[2,4] = add c 1.0:f32
          e: f32[2,4] = tanh d
          f: f32[4] = reduce_sum[axes=(0,)] e
          return f
        }""")


def test_pytree_arguments_promotion_and_results():
    def f(p):
        return {"out": p["w"] * 2.0 - p["b"][:, None], "n": np.mean(p["w"] ** 2)}
    params = {"w": np.ones((2, 3), np.float32), "b": np.ones(2)}
    # Dict keys are sorted: "b" before "w", "n" before "out".
    assert text(f, params) == golden("""
        graph(a: f64[2], b: f32[2,3]) {
          c: f32[2,3] = mul b 2.0:f32
          d: f64[2,1] = reshape[shape=(2, 1)] a
          e: f64[2,3] = convert[dtype=f64, weak=False] c
          f: f64[2,3] = sub e d
          g: f32[2,3] = pow b 2.0:f32
          h: f32[] = reduce_sum[axes=(0, 1)] g
          i: f32[] = div h 6.0:f32
          return i, f
        }""")


def test_closure_constant_and_reversed_slice():
    weights = np.arange(3.0)
    assert text(lambda x: x * weights + x[::-1], np.ones(3)) == golden("""
        graph(a: f64[3]) consts(b: f64[3]) {
          c: f64[3] = mul a b
          d: f64[3] = slice[dims=((2, -1, 3),)] a
          e: f64[3] = add c d
          return e
        }""")


def test_weak_python_scalar_argument_is_marked():
    assert text(lambda s: s * 2.0, 0.5) == golden("""
        graph(a: f64~[]) {
          b: f64~[] = mul a 2.0:f64
          return b
        }""")


def test_location_comment_names_this_file_and_line():
    def f(x):
        return np.sin(x)
    line = f.__code__.co_firstlineno + 1
    printed = str(tracegrad.make_ir(f)(np.ones(2)))
    assert f"# {os.path.basename(__file__)}:{line}" in printed
