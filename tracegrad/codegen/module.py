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
from .signature import signature_source

# Numba caches the driver's machine code beside the module file; a module the runtime
# runs without a file (the disk cache failed) has a `__file__` that is not a .py path.
FLAGS = ("error_model='numpy', cache=__file__.endswith('.py'), nogil=True, "
         "no_cfunc_wrapper=True")
BODY = "__BODY__"
_CALL = re.compile(r"call (\S+) @([\w.$]+)\(([^()]*)\)")


def body_function(graph, kernels, memory: Memory, name: str = BODY, linkage: str = "") -> str:
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
        """The pointer to (array kind, index or workspace offset[, byte offset])."""
        kind, n, *extra = where
        base, offset = "%workspace", n + sum(extra)
        if kind != "workspace":
            base = {"input": "%in", "const": "%const", "output": "%out"}[kind] + f".{n}"
            offset = sum(extra)
        if offset == 0:
            return base
        if (base, offset) not in pointers:
            pointers[(base, offset)] = e(
                f"getelementptr inbounds i8, ptr {base}, i64 {offset}", "at")
        return pointers[(base, offset)]

    for kid, kf, comment in kernels:
        lines.extend(f"  ; {line}" for line in comment)
        args = ", ".join(f"ptr {pointer(memory.of(kid, key))}" for key in kf.args)
        e.do(f"call void @{kf.fn.name}({args})")
    lines.extend(_final_outputs(graph, memory, e, pointer))
    linkage = f"{linkage} " if linkage else ""
    return "\n".join([f"define {linkage}void @{name}({', '.join(params)}) nounwind {{", "entry:",
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


def share_identical_kernels(functions, comments) -> list:
    """Definitions of the kernel functions, each distinct text once: a kernel whose code
    equals an earlier one's (the same work on other buffers) is renamed to call that
    one. -> the texts to put in the module."""
    texts, first = [], {}
    for kf, comment in zip(functions, comments):
        own_name = kf.fn.name
        kf.fn.name = "KERNEL"
        text = kf.text()
        if text in first:
            kf.fn.name = first[text]
            continue
        kf.fn.name = first[text] = own_name
        header = [f"; {line}" for line in comment] + [f";   {kf.describe_params()}"]
        texts.append("\n".join(header) + "\n" + kf.text())
    return texts


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
                  names, entry: str, calls_back: bool = False) -> str:
    """The Numba module: one call that allocates, runs the body and returns the outputs
    (and raises what a Python callback raised, when the program calls back)."""
    in_values = graph.inputs + [v for v, _ in graph.consts]
    in_avals = tuple(v.aval for v in in_values)
    params = ", ".join(names.of(v) for v in in_values)
    outputs = tuple((tuple(v.aval.shape), v.aval.dtype.name) for v in graph.outputs)
    return "\n".join([
        f'"""Generated by tracegrad.codegen from a graph of {len(graph.nodes)} nodes: '
        f'{n_kernels} kernels, in LLVM IR (IR below)."""',
        "import numba", "from numba import types as nt", "",
        "from tracegrad.codegen.native import native_function", "",
        f'IR = r"""\n{ir}"""',
        "",
        f"OUTPUTS = {outputs!r}",
        f"body = native_function(IR, {body_name!r}, __file__, OUTPUTS, {memory.workspace}"
        f"{', calls_back=True' if calls_back else ''})",
        f"SIGNATURE = {signature_source(in_avals, tuple(graph.out_avals))}",
        "",
        "",
        f"@numba.njit(SIGNATURE, {FLAGS})",
        f"def {entry}({params}):",
        f"    return body(({params}{',' if len(in_values) == 1 else ''}))",
        "",
    ])
