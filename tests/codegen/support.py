"""Test utilities: build graphs primitive by primitive, compile a Lowered program the way
the runtime would (write the module, import it, call the entry), compare with the
reference interpreter."""
from __future__ import annotations

import importlib.util
import re
import sys

import numpy as np

from tracegrad.codegen import lower_graph
from tracegrad.ir import PRIMITIVES, Aval, Graph, Literal, Node, Value, evaluate


class Builder:
    """g = Builder(); x = g.input((3,), 'float32'); y = g.op('sin', x); g.graph([y])"""

    def __init__(self):
        self.inputs, self.nodes, self.consts = [], [], []

    def input(self, shape, dtype="float64"):
        v = Value(Aval(shape, dtype))
        self.inputs.append(v)
        return v

    def const(self, array):
        array = np.asarray(array)
        v = Value(Aval(array.shape, array.dtype))
        self.consts.append((v, array))
        return v

    def op(self, name, *operands, **params):
        prim = PRIMITIVES[name]
        avals = prim.out_avals([x.aval for x in operands], params)
        outs = [Value(a) for a in avals]
        self.nodes.append(Node(prim, operands, params, outs, loc=f"test.py:{name}"))
        return outs if prim.multiple_results else outs[0]

    def graph(self, outputs) -> Graph:
        return Graph(self.inputs, self.nodes, outputs, self.consts)


def lit(value, dtype="float64"):
    return Literal(value, Aval((), dtype))


class ModuleLoader:
    """Writes generated modules into one directory and imports them (cached by key)."""

    def __init__(self, directory):
        self.directory = directory
        self.loaded = {}

    def entry(self, lowered):
        key = lowered.key[:20]
        if key not in self.loaded:
            name = f"tg_test_{key}"
            path = self.directory / f"{name}.py"
            path.write_text(lowered.source)
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            self.loaded[key] = getattr(module, lowered.entry)
        return self.loaded[key]

    def run(self, lowered, *args):
        args = [np.array(a, dtype=aval.dtype, order="C")
                for a, aval in zip(args, lowered.in_avals)]
        return self.entry(lowered)(*args, *lowered.consts)

    def check(self, graph, *args, rtol=None, atol=None, names=None, lowered=None):
        """Compiled == interpreter for every output (same dtype, shape, values)."""
        lowered = lowered or lower_graph(graph)
        got = self.run(lowered, *args)
        want = evaluate(graph, *args)
        assert len(got) == len(want)
        for i, (g, w) in enumerate(zip(got, want)):
            what = names[i] if names else f"output {i}"
            assert g.dtype == w.dtype, f"{what}: dtype {g.dtype} != {w.dtype}"
            assert g.shape == w.shape, f"{what}: shape {g.shape} != {w.shape}"
            tol = rtol if rtol is not None else (2e-5 if w.dtype == np.float32 else 1e-12)
            if w.dtype.kind == "f":
                # sums that cancel to ~0 differ by rounding in the summation order
                floor = atol if atol is not None else (1e-6 if w.dtype == np.float32 else 1e-13)
                np.testing.assert_allclose(g, w, rtol=tol, atol=floor, err_msg=what)
            else:
                np.testing.assert_array_equal(g, w, err_msg=what)
        return lowered, got


def loop_kernels(lowered):
    """Kernels that contain a loop (0-d scalar code does not count)."""
    return [k for k in lowered.kernels if k.kind == "dot" or
            any(n != 1 for n in k.shape)]


def ir_text(lowered) -> str:
    """The LLVM IR of a generated module (the driver holds it as a string)."""
    return lowered.source.split('IR = r"""', 1)[1].split('"""', 1)[0]


def kernel_functions(lowered) -> list:
    """The text of each kernel function, in order."""
    return re.findall(r"^define internal void @kernel_\d+\(.*?^}", ir_text(lowered),
                      re.M | re.S)


def data_loops(lowered) -> int:
    """Loops over the data on the fast path (the libm rerun is a function of its own,
    `kernel_N.libm`, and is left out)."""
    return sum(len(re.findall(r"= phi i64 \[0, ", text)) for text in kernel_functions(lowered))


def blas_calls(lowered) -> int:
    text = ir_text(lowered)
    return text.count("call i32 @numba_xxgemm(") + text.count("call i32 @numba_xxgemv(")


def calls_in_kernels(lowered, fn) -> int:
    """Calls of the libm/LLVM function `fn` or of the helper _fn_f32/_fn_f64 in kernels."""
    return sum(len(re.findall(rf"@(?:llvm\.{fn}\.f(?:32|64)|{fn}f?|_{fn}_f(?:32|64))\(",
                              text)) for text in kernel_functions(lowered))


def defines(lowered, helper) -> bool:
    return f"@{helper}(" in ir_text(lowered) and \
        re.search(rf"^define [^@]*@{helper}\(", ir_text(lowered), re.M) is not None
