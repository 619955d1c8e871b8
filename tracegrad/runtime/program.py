"""A lowered program for one signature, and the view of it `CompiledFunction.lower`
returns (`.ir`, `.source`, `.kernels`, `.compile()`)."""
from __future__ import annotations

import dataclasses
import time

from ..codegen import Lowered
from ..errors import ArgumentError
from ..ir import Graph
from ..tracer import TreeDef


class Stopwatch:
    """Seconds between laps, as ((name, seconds), ...)."""

    def __init__(self):
        self.laps = ()
        self._last = time.perf_counter()

    def lap(self, name: str):
        now = time.perf_counter()
        self.laps += ((name, now - self._last),)
        self._last = now


@dataclasses.dataclass(frozen=True)
class Program:
    graph: Graph                    # the optimized graph (before codegen's own preparation)
    lowered: Lowered
    in_tree: TreeDef
    out_tree: TreeDef
    static_key: tuple
    timings: tuple = ()             # (phase, seconds) of making it: trace, passes, codegen


class Lowering:
    """What `compiled.lower(*args)` returns: the optimized IR, the generated module and
    its kernels for these argument types; `.compile()` loads it and returns a callable
    for arguments of exactly these types."""

    def __init__(self, owner, signature, program: Program):
        self._owner = owner
        self.signature = signature
        self.program = program

    @property
    def ir(self):
        return self.program.graph

    @property
    def source(self) -> str:
        return self.program.lowered.source

    @property
    def kernels(self) -> tuple:
        return self.program.lowered.kernels

    @property
    def timings(self) -> dict:
        """Seconds per phase of this signature's first compile: trace + differentiate,
        graph passes, codegen, then (once native code is loaded) the kernels' LLVM and
        the driver's Numba compile, or their loads from the disk cache."""
        phases = dict(self.program.timings)
        executable = self._owner._by_signature.get(self.signature)
        native = getattr(executable, "native", executable)
        if native is not None and hasattr(native, "load_timings"):
            phases.update(native.load_timings)
        return phases

    def compile(self):
        executable = self._owner._install(self.signature, self.program)
        return CompiledCall(self._owner, self.signature, executable)

    def __str__(self):
        return self.source

    def __repr__(self):
        return f"<Lowering of {self._owner.name}: {len(self.kernels)} kernels>"



class CompiledCall:
    """`lowering.compile()`: the program for one signature, callable with arguments of
    exactly those types (anything else raises instead of compiling again)."""

    def __init__(self, owner, signature, executable):
        self._owner = owner
        self.signature = signature
        self.executable = executable

    def __call__(self, *args, **kwargs):
        signature, leaves, _ = self._owner._signature(args, kwargs)
        if signature != self.signature:
            raise ArgumentError(f"this compiled {self._owner.name} takes arguments of "
                                f"the types it was lowered for; call the function itself "
                                f"to compile for other types")
        return self.executable.call_leaves(leaves)
