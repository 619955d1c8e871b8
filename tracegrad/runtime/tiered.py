"""Tiered execution: a new signature's first calls are answered by the reference
interpreter on the optimized graph while its native code compiles in the background;
as soon as that is ready, the compiled function serves the signature with it.

Results match native ones within the op table's tolerances, with the same dtypes,
shapes and errors (both implement the same graph): the interpreter's outputs are made
fresh C-contiguous arrays of exactly the output dtype, never an input or a view of one,
as native outputs are."""
from __future__ import annotations

import os
import threading

import numpy as np

# Rough costs, from the bench's workloads on a 2-core machine: an interpreted call writes
# every node's result (first touches of fresh memory included), a native compile costs a
# fixed part (Numba's driver, LLVM's start) and a part per node.
INTERPRET_S_PER_BYTE = 0.25e-9
COMPILE_S = 0.1
COMPILE_S_PER_NODE = 0.5e-3
# Inside a loop the interpreter pays Python's time per node and iteration (and holds
# the GIL the background compile needs: measured ~10 us per node on 2 cores); a while
# loop's trip count is unknown before it runs.
INTERPRET_S_PER_NODE = 10e-6
LOOP_TRIPS_GUESS = 100
# An interpreted call this long starts the native compile before it (NumPy's loops
# release the GIL, so both proceed); a shorter one starts it after, so the compile's
# Python work does not delay the first result.
BIG_S = 0.03

from ..ir import Interpreter
from ..ir.control import sub_graphs
from ..ir.kinds import CONTROL
from .executable import as_argument, unflattener
from .notices import TracegradWarning
from .program_cache import TICK

INTERPRETED = "interpreted"


class TieredProgram:
    """Serves one signature until its native Executable replaces it in the compiled
    function's caches. `start(entry)` submits the native compile and returns its Job."""

    origin = INTERPRETED
    last_used = 0                               # ProgramCache's LRU stamp, set per call

    def __init__(self, owner, signature, program, start):
        lowered = program.lowered
        self.owner, self.signature, self.program = owner, signature, program
        self.in_avals, self.out_avals = lowered.in_avals, lowered.out_avals
        # The constants native code runs with: copies made when the program was lowered,
        # so an array the function closes over and the user later changes in place
        # reads the same (as traced) before and after the switch to native code.
        graph = lowered.graph
        self.interpret = Interpreter(graph.replace(consts=[
            (value, snapshot) for (value, _), snapshot in zip(graph.consts, lowered.consts)]))
        self._unflatten = unflattener(program.out_tree)
        self._start = start
        self.native = None
        self.reported = False
        self._lock = threading.Lock()
        self.job = None
        if interpretation_seconds(lowered.graph) >= BIG_S:
            self._ensure_started()

    def call_arrays(self, arrays):
        return self.call_leaves(arrays)

    def call_leaves(self, leaves):
        self.last_used = next(TICK)
        native = self.native
        if native is not None:
            return native.call_leaves(leaves)
        self._follow_job()
        self.owner._interpreted += 1
        args = [as_argument(x, a.dtype) for x, a in zip(leaves, self.in_avals)]
        outs = self.interpret(*args)
        result = self._unflatten(fresh_outputs(outs, self.out_avals, args))
        self._ensure_started()
        return result

    def wait(self):
        """Block until native code serves this signature; raise its compile error."""
        self._ensure_started()
        self._follow_job()
        self.job.wait()

    def _ensure_started(self):
        if self.job is None:
            with self._lock:
                if self.job is None:
                    self.job = self._start(self)

    def _follow_job(self):
        job = self.job
        if job is None:
            return
        if job.pid != os.getpid() and not job.done():
            with self._lock:                      # a forked child compiles for itself
                if self.job is job:
                    self.job = self._start(self)
        elif job.done() and job.error is not None and not self.reported:
            self.reported = True
            import warnings
            warnings.warn(
                f"{self.owner.name}: compiling native code failed "
                f"({type(job.error).__name__}: {job.error}); calls with these argument "
                f"types keep running in the interpreter. compile(f, tiered=False) raises "
                f"the error instead.", TracegradWarning, stacklevel=5)


def interpretation_seconds(graph) -> float:
    """About how long one interpreted call of the graph takes: the bytes its nodes
    write, and inside loops also Python's time per node and iteration."""
    total = 0.0
    for node in graph.nodes:
        total += INTERPRET_S_PER_BYTE * sum(v.aval.size * v.aval.dtype.itemsize
                                            for v in node.outputs)
        subs = sub_graphs(node) if node.prim.kind == CONTROL else ()
        if subs:
            trips = node.params.get("length", 1 if node.prim.name == "cond"
                                    else LOOP_TRIPS_GUESS)
            per_trip = [interpretation_seconds(g) + INTERPRET_S_PER_NODE * len(g.nodes)
                        for g in subs]
            total += trips * (max(per_trip) if node.prim.name == "cond" else sum(per_trip))
    return total


def compile_seconds(graph) -> float:
    """About how long its native code takes to compile."""
    return COMPILE_S + COMPILE_S_PER_NODE * _count_nodes(graph)


def _count_nodes(graph) -> int:
    return sum(1 + sum(_count_nodes(g) for g in sub_graphs(node)) for node in graph.nodes)


def fresh_outputs(outs, avals, args) -> tuple:
    """Each output as its own C-contiguous, writeable array of its aval's dtype."""
    seen = {id(a) for a in args}
    result = []
    for x, aval in zip(outs, avals):
        x = np.asarray(x)
        if (id(x) in seen or x.dtype != aval.dtype or x.base is not None
                or not x.flags.c_contiguous or not x.flags.writeable):
            x = np.array(x, dtype=aval.dtype, order="C")
        seen.add(id(x))
        result.append(x if x.shape == aval.shape else x.reshape(aval.shape))
    return tuple(result)
