"""Assembling one program: the LLVM module (helpers, kernels, the body that calls them)
and the small Numba driver module around it.

The driver is the only Python that Numba compiles: it allocates the outputs and one
workspace, calls the body (through an intrinsic that links the LLVM text into the
driver's own library, see native.py) and returns the outputs. Its size does not grow
with the program, so Numba's front end costs the same for every program; LLVM does the
rest. The IR text is part of the module source, so the source hash that names the cache
file covers it."""
from __future__ import annotations

import hashlib
import re

import numpy as np

from ..ir import Literal
from .buffers import Memory
from .helpers import module_helpers
from .irtext import Counter, Emitter, const, mem
from .scalars import np_type
from .signature import signature_source

FLAGS = "error_model='numpy', cache=True, nogil=True"
BODY = "__BODY__"
_CALL = re.compile(r"call (\S+) @([\w.$]+)\(([^()]*)\)")


def body_function(graph, kernels, memory: Memory) -> str:
    """The function that calls every kernel with pointers to its buffers.
    kernels: [(kernel id, KernelFunction, comment lines)] in execution order."""
    params = ([f"ptr noalias %in.{i}" for i in range(len(graph.inputs))] +
              [f"ptr noalias %const.{j}" for j in range(len(graph.consts))] +
              [f"ptr noalias %out.{j}" for j in range(len(graph.outputs))] +
              ["ptr noalias %workspace"])
    lines: list = []
    e = Emitter(lines, Counter(), set())
    pointers: dict = {}

    def pointer(where):
        kind, n = where
        if kind == "workspace":
            if where not in pointers:
                pointers[where] = "%workspace" if n == 0 else \
                    e(f"getelementptr inbounds i8, ptr %workspace, i64 {n}", "ws")
            return pointers[where]
        return {"input": "%in", "const": "%const", "output": "%out"}[kind] + f".{n}"

    for kid, kf, comment in kernels:
        lines.extend(f"  ; {line}" for line in comment)
        args = ", ".join(f"ptr {pointer(memory.of(kid, key))}" for key in kf.args)
        e.do(f"call void @{kf.fn.name}({args})")
    lines.extend(_final_outputs(graph, memory, e, pointer))
    return "\n".join([f"define void @{BODY}({', '.join(params)}) nounwind {{", "entry:",
                      *lines, "  ret void", "}"])


def _final_outputs(graph, memory, e: Emitter, pointer) -> list:
    """Outputs that are inputs, literals or repeats get copies."""
    lines, first = [], {}
    copies = e.at(lines)
    for j, v in enumerate(graph.outputs):
        if j in memory.outputs:
            first.setdefault(v, j)
            continue
        dtype = v.aval.dtype
        if isinstance(v, Literal):
            copies.do(f"store {mem(dtype)} {const(v.value, dtype if dtype != np.bool_ else np.uint8)}, "
                      f"ptr %out.{j}")
        else:
            source = f"%out.{first[v]}" if v in first else pointer(memory.location[v])
            nbytes = dtype.itemsize * v.aval.size
            copies.do(f"call void @llvm.memcpy.p0.p0.i64(ptr %out.{j}, ptr {source}, "
                      f"i64 {nbytes}, i1 false)")
        first.setdefault(v, j)
    if lines:
        lines.insert(0, "  ; outputs that are inputs, literals or repeated values")
    return lines


def module_ir(kernel_texts, body: str, helpers: set) -> tuple:
    """(IR text, body function name): helpers, kernels and body, with a declaration for
    every external function called; the body's name is unique to its text."""
    parts = module_helpers(helpers) + list(kernel_texts) + [body]
    text = "\n\n".join(parts)
    name = "tracegrad_" + hashlib.sha256(text.encode()).hexdigest()[:24]
    text = text.replace(f"@{BODY}(", f"@{name}(")
    return _declarations(text) + "\n\n" + text + "\n", name


def _declarations(text: str) -> str:
    defined = set(re.findall(r"^define [^@]*@([\w.$]+)\(", text, re.M))
    found = {}
    for ret, name, args in _CALL.findall(text):
        if name not in defined and name not in found:
            types = [a.strip().split(" ")[0] for a in args.split(",") if a.strip()]
            found[name] = f"declare {ret} @{name}({', '.join(types)})"
    return "\n".join(found[n] for n in sorted(found))


def driver_source(graph, ir: str, body_name: str, memory: Memory, n_kernels: int,
                  names, entry: str) -> str:
    """The Numba module: allocation, one call of the body, the outputs."""
    in_avals = tuple(v.aval for v in graph.inputs) + tuple(v.aval for v, _ in graph.consts)
    params = ", ".join(names.of(v) for v in graph.inputs + [v for v, _ in graph.consts])
    lines = []
    for j, v in enumerate(graph.outputs):
        lines.append(f"    out{j} = np.empty({v.aval.size}, {np_type(v.aval.dtype)})")
    words = max(-(-memory.workspace // 8), 1)
    lines.append(f"    workspace = np.empty({words}, np.float64)")
    arrays = [names.of(v) for v in graph.inputs + [v for v, _ in graph.consts]] + \
        [f"out{j}" for j in range(len(graph.outputs))] + ["workspace"]
    lines.append(f"    body(({', '.join(arrays)},))")
    results = ", ".join(f"out{j}.reshape({tuple(v.aval.shape)})"
                        for j, v in enumerate(graph.outputs))
    lines.append(f"    return ({results}{',' if len(graph.outputs) == 1 else ''})")
    return "\n".join([
        f'"""Generated by tracegrad.codegen from a graph of {len(graph.nodes)} nodes: '
        f'{n_kernels} kernels, in LLVM IR (IR below)."""',
        "import numba", "import numpy as np", "from numba import types as nt", "",
        "from tracegrad.codegen.native import native_function", "",
        f'IR = r"""\n{ir}"""',
        "",
        f"body = native_function(IR, {body_name!r}, __file__)",
        f"SIGNATURE = {signature_source(in_avals, tuple(graph.out_avals))}",
        "",
        "",
        f"@numba.njit(SIGNATURE, {FLAGS})",
        f"def {entry}({params}):",
        *lines,
        "",
    ])
