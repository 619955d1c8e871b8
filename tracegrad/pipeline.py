"""The compiler, top to bottom. Each step is one call into the stage that owns it.

    Python fn ─trace─▶ Graph ─passes─▶ Graph ─codegen─▶ Numba module ─runtime─▶ Executable

`compile` wraps a function in a CompiledFunction, which runs `lower` and `load` once per
new argument signature and keeps the result in memory (and Numba's machine code on disk).
"""
from __future__ import annotations

import functools

from .autodiff.keywords import checked_keywords
from .codegen import lower_graph
from .ir import run_passes
from .runtime import CompiledFunction, Executable, Program, Stopwatch, load_module
from .tracer import StaticArgs, trace_to_graph


def lower(fn, args, kwargs, static: StaticArgs) -> Program:
    """Python function + example arguments -> generated module for their signature."""
    clock = Stopwatch()
    # 1. trace abstractly: shapes and dtypes only, static arguments baked in
    graph, in_tree, out_tree, static_key = trace_to_graph(fn, args, kwargs, static)
    clock.lap("trace + differentiate")
    graph = run_passes(graph)       # 2. inline, simplify, fold constants, CSE, DCE
    clock.lap("graph passes")
    lowered = lower_graph(graph)    # 3. fuse into kernels, plan memory, emit LLVM IR
    clock.lap("codegen")
    return Program(graph, lowered, in_tree, out_tree, static_key, clock.laps)


def load(program: Program) -> Executable:
    """Generated module -> callable machine code (compiled, or loaded from disk)."""
    # 4. write <cache dir>/<key>.py, import it: Numba compiles or loads machine code
    lowered = program.lowered
    return Executable(program, load_module(lowered.key, lowered.source, lowered.entry))


@checked_keywords      # static_argnum= names static_argnums=
def compile(fn=None, *, static_argnums=(), static_argnames=(), tiered=None):
    """`tg.compile(f)`, `@tg.compile`, `@tg.compile(static_argnums=1)`: f as one native
    program per argument signature. NumPy arrays, Python scalars and pytrees in; NumPy
    arrays out. While a new signature's native code compiles in the background, its
    calls are answered by the interpreter (`tiered=False` or TRACEGRAD_TIERED=0: wait
    for native code instead); `compiled.wait()` blocks until native code is ready."""
    if fn is None:
        return functools.partial(compile, static_argnums=static_argnums,
                                 static_argnames=static_argnames, tiered=tiered)
    return CompiledFunction(fn, static_argnums, static_argnames, lower=lower, load=load,
                            tiered=tiered)
