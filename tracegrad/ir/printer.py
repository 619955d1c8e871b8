"""Readable, stable text for graphs, in the spirit of a jaxpr:

    graph(a: f32[3], b: f32[]) {
      c: f32[3] = mul a b            # model.py:4
      d: f32[] = reduce_sum[axes=(0,)] c
      return d
    }
"""
from __future__ import annotations

import os

import numpy as np

from .aval import dtype_string, type_string
from .graph import Graph, Literal


def letter_names():
    """a, b, ..., z, aa, ab, ...: the names the printer (and generated code) use."""
    n = 0
    while True:
        s, k = "", n
        while True:
            s = chr(ord("a") + k % 26) + s
            k = k // 26 - 1
            if k < 0:
                break
        yield s
        n += 1


def format_param(value) -> str:
    if isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic)):
        return dtype_string(value)
    if isinstance(value, Graph):
        return f"<graph {len(value.nodes)} nodes>"
    if callable(value):
        return getattr(value, "__qualname__", getattr(value, "__name__", "fn"))
    if isinstance(value, tuple):
        inner = ", ".join(format_param(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def format_literal(lit: Literal) -> str:
    value = lit.value
    if lit.aval.dtype == np.bool_:
        text = "True" if value else "False"
    else:
        text = repr(value.item())
    return f"{text}:{dtype_string(lit.aval.dtype)}"


def format_graph(graph: Graph, locations: bool = True) -> str:
    names = {}
    fresh = letter_names()

    def name(v):
        if v not in names:
            names[v] = next(fresh)
        return names[v]

    def operand(x):
        return format_literal(x) if isinstance(x, Literal) else name(x)

    def binder(v):
        return f"{name(v)}: {type_string(v.aval)}"

    header = ", ".join(binder(v) for v in graph.inputs)
    lines = [f"graph({header})"]
    if graph.consts:
        lines[0] += " consts(" + ", ".join(binder(v) for v, _ in graph.consts) + ")"
    lines[0] += " {"
    for node in graph.nodes:
        params = ""
        if node.params:
            params = "[" + ", ".join(f"{k}={format_param(v)}" for k, v in
                                     sorted(node.params.items())) + "]"
        lhs = ", ".join(binder(v) for v in node.outputs)
        rhs = " ".join([node.prim.name + params] + [operand(x) for x in node.inputs])
        line = f"  {lhs} = {rhs}"
        if locations and node.loc:
            line = f"{line:<48}  # {_short_loc(node.loc)}"
        lines.append(line)
    lines.append("  return " + ", ".join(operand(x) for x in graph.outputs))
    lines.append("}")
    return "\n".join(lines)


def _short_loc(loc: str) -> str:
    path, _, line = loc.rpartition(":")
    return f"{os.path.basename(path)}:{line}"
