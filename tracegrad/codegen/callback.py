"""Callback kernels: a pure_callback node becomes a kernel of its own that passes its
buffers to Python (host.py) — an opaque call, like BLAS: its operands are materialized
before it, its results after it, and nothing fuses across it."""
from __future__ import annotations

import re

import numpy as np

from ..ir import Literal
from ..ir.control import sub_graphs
from ..ir.kinds import CALLBACK
from . import host
from .irtext import Emitter, const, mem


def build_callback(kernel, kf, ctx) -> list:
    (node,) = kernel.roots
    ident = host.register(node.params["callback"], tuple(x.aval for x in node.inputs),
                          tuple(v.aval for v in node.outputs))
    fn = kf.fn
    e = fn.emitter()
    operands = [_operand(kf, e, x, j) for j, x in enumerate(node.inputs)]
    ins = _pointer_array(fn, e, operands, "ins")
    outs = _pointer_array(fn, e, [kf.buffer(v) for v in node.outputs], "outs")
    name = re.sub(r"[^\w.<>()]", "_", node.params["callback"].name)
    fn.lines.append(f"  ; pure_callback {name}")
    e.call("i32", host.SYMBOL, [("i64", ident), ("ptr", ins), ("ptr", outs)], "failed")
    return []


def _operand(kf, e: Emitter, x, j) -> str:
    if not isinstance(x, Literal):
        return kf.buffer(x)
    dtype = x.aval.dtype
    p = kf.scratch(f"literal{j}", dtype, 1)
    e.do(f"store {mem(dtype)} {const(x.value, dtype if dtype != np.bool_ else np.uint8)}, "
         f"ptr {p}")
    return p


def _pointer_array(fn, e: Emitter, pointers, hint) -> str:
    if not pointers:
        return "null"
    ty = f"[{len(pointers)} x ptr]"
    array = fn.alloca(ty, hint)
    for i, p in enumerate(pointers):
        e.do(f"store ptr {p}, ptr {e(f'getelementptr inbounds {ty}, ptr {array}, i64 0, i64 {i}', 'slot')}")
    return array


def emit_failed(e: Emitter) -> str:
    """An i1: has a callback of this run failed? (See host.py.)"""
    status = e.call("i32", host.SYMBOL, [("i64", host.QUERY), ("ptr", "null"),
                                          ("ptr", "null")], "failed")
    return e.icmp("ne", "i32", status, "0")


def calls_back(graph) -> bool:
    """Does the graph, or any sub-graph of its control flow, call back into Python? (A
    while loop's reverse mode does when its tape cannot grow: host.OUT_OF_MEMORY.)"""
    return any(node.prim.kind == CALLBACK or node.prim.name == "while_vjp" or
               any(calls_back(g) for g in sub_graphs(node)) for node in graph.nodes)
