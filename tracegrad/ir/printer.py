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


def format_graph(graph: Graph, locations: bool = True, indent: str = "",
                 names=None, fresh=None) -> str:
    """Sub-graphs of control flow print below their node, indented, with their own
    letters continuing the enclosing graph's."""
    names = {} if names is None else names
    fresh = letter_names() if fresh is None else fresh

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
        for key, sub in _sub_graphs(node):
            lines.append(f"    {key}:")
            lines.extend(format_graph(sub, locations, "      ", names, fresh).split("\n"))
    lines.append("  return " + ", ".join(operand(x) for x in graph.outputs))
    lines.append("}")
    return "\n".join(indent + line for line in lines)


def _sub_graphs(node):
    for key, value in sorted(node.params.items()):
        if isinstance(value, Graph):
            yield key, value
        elif isinstance(value, tuple) and value and all(isinstance(g, Graph) for g in value):
            for i, g in enumerate(value):
                yield f"{key}[{i}]", g


def _short_loc(loc: str) -> str:
    path, _, line = loc.rpartition(":")
    return f"{os.path.basename(path)}:{line}"
