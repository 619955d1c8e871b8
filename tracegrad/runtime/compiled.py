"""CompiledFunction: the callable `tracegrad.compile` returns.

A call looks its arguments' signature up in a dict and calls that signature's compiled
entry; only a new signature runs the compiler (trace, passes, codegen, load), which the
pipeline hands in as two functions. The hot path goes through call plans (call_plan.py):
per argument structure seen, generated code that checks the structure and keys on the
leaves' (type, shape, dtype), so a call neither flattens a pytree generically nor builds
a Signature."""
from __future__ import annotations

import functools
import threading
import warnings
from typing import NamedTuple

import numpy as np

from ..config import config
from ..errors import ArgumentError
from ..tracer import StaticArgs, flatten_arguments, tree_unflatten
from . import background, warmup
from .call_plan import MAX_PLANS, CallPlan, Unplannable, leaf_kind
from .nan_check import check_call
from .loader import DISK, is_loaded, on_disk
from .notices import TracegradWarning
from .program import Lowering
from .program_cache import ProgramCache
from .signature import (Signature, describe_change, has_tracer, leaf_aval, leaf_paths,
                        typed_static_key)
from .tiered import BIG_S, TieredProgram, compile_seconds, interpretation_seconds

RECOMPILE_WARNING_AFTER = 8         # signatures; the next one warns (once per function)


class CacheInfo(NamedTuple):
    signatures: int                 # programs compiled (or loaded) for this function
    hits: int                       # calls served by the in-memory cache
    misses: int                     # calls that ran the compiler
    disk_hits: int                  # misses whose machine code came from the disk cache
    interpreted: int = 0            # calls answered by the interpreter (tiered start)
    native: int = 0                 # calls answered by native code
    evicted: int = 0                # programs dropped to keep config.max_signatures


class CompiledFunction:
    def __init__(self, fn, static_argnums, static_argnames, lower, load, tiered=None):
        self.fn = fn
        self.tiered = config.tiered if tiered is None else bool(tiered)
        self.static = StaticArgs(fn, static_argnums, static_argnames)
        self._lower_program = lower     # (fn, args, kwargs, StaticArgs) -> Program
        self._load = load               # Program -> Executable
        self._programs = ProgramCache()
        self._by_signature = self._programs.by_signature    # Signature -> Executable
        self._plans: dict = {}          # structure -> CallPlan
        self._plan_order: list = []     # the same plans, most recently matched first
        self._signature_locks: dict = {}
        self._locks_lock = threading.Lock()
        self._hits = self._misses = self._disk_hits = self._interpreted = 0
        self._traced = 0                # new signatures traced (evicted ones again)
        self._last_signature = None
        self._warned_recompiling = False
        # Name and docs only: merging fn.__dict__ would copy the caches of a compiled
        # function that fn wraps (grad(compiled_f) carries compiled_f's attributes).
        functools.update_wrapper(self, fn, updated=())
        self.name = getattr(fn, "__name__", type(fn).__name__)

    def __call__(self, *args, **kwargs):
        if config.check_nans:
            return check_call(self, args, kwargs)
        return self._call(args, kwargs)

    def _call(self, args, kwargs):
        for plan in self._plan_order:
            found = plan.flatten(args, kwargs)
            if found is not None:
                try:
                    executable = plan.executables[found[1]]
                except (KeyError, TypeError):       # new types; an unhashable static
                    continue
                self._hits += 1
                return executable.call_arrays(found[0])
        return self._call_general(args, kwargs)

    def _call_general(self, args, kwargs):
        signature, leaves, rebuild = self._signature(args, kwargs)
        if signature is None:
            # Called on tracers inside grad/vjp/make_ir: trace through, like any
            # function; the enclosing program is what gets compiled.
            return self.fn(*args, **kwargs)
        executable = self._programs.get(signature)
        if executable is None:
            executable = self._compile(signature, leaves, rebuild)
        else:
            self._hits += 1
        self._remember(args, kwargs, signature, leaves, executable)
        return executable.call_leaves(leaves)

    def _remember(self, args, kwargs, signature, leaves, executable):
        """Serve calls with these arguments' structure and types through a call plan."""
        kinds = tuple(map(leaf_kind, leaves))
        if None in kinds:
            return
        positions = tuple(k for k, _, _ in signature.static if isinstance(k, int))
        names = tuple(k for k, _, _ in signature.static if isinstance(k, str))
        structure = (signature.tree, len(args), positions, names, kinds)
        plan = self._plans.get(structure)
        if plan is None:
            try:
                plan = CallPlan(signature.tree, len(args), positions, names, kinds)
            except Unplannable:
                return
            self._add_plan(structure, plan)
        found = plan.flatten(args, kwargs)
        # Leaves the general path converted (number lists, memmaps) have no plan.
        if found is None or any(a is not b for a, b in zip(found[0], leaves)):
            return
        plan.executables[found[1]] = executable
        if self._plan_order[0] is not plan:
            self._plan_order = [plan] + [p for p in self._plan_order if p is not plan]

    def _add_plan(self, structure, plan):
        self._plans[structure] = plan
        self._programs.shortcuts.append(plan.executables)
        self._plan_order = [plan] + self._plan_order
        if len(self._plans) > MAX_PLANS:
            oldest = self._plan_order.pop()
            del self._plans[next(k for k, p in self._plans.items() if p is oldest)]
            self._programs.drop_shortcut(oldest.executables)

    def _signature(self, args, kwargs):
        """-> (Signature or None when an argument is a tracer, leaves, rebuild)."""
        dyn_args, dyn_kwargs, key, rebuild = self.static.split(args, kwargs)
        leaves, tree = flatten_arguments((dyn_args, dyn_kwargs), self._leaf_names(key))
        if has_tracer(leaves):
            return None, leaves, rebuild
        signature = Signature(tree, typed_static_key(key), tuple(map(leaf_aval, leaves)))
        return signature, leaves, rebuild

    def _signature_lock(self, signature) -> threading.Lock:
        with self._locks_lock:
            return self._signature_locks.setdefault(signature, threading.Lock())

    def _compile(self, signature, leaves, rebuild):
        # Several threads meeting a new signature compile it once; the others wait.
        with self._signature_lock(signature):
            executable = self._programs.get(signature)
            if executable is not None:
                self._hits += 1
                return executable
            program = self._trace(signature, leaves, rebuild)
            if self.tiered and not self._native_at_once(program):
                return self._install_tiered(signature, program)
            return self._install(signature, program)

    # ---- tiered start -------------------------------------------------------------------

    def _native_at_once(self, program) -> bool:
        """Load or compile now instead of interpreting: the module is loaded in this
        process already; or interpreting a call would take longer than compiling; or its
        machine code is on disk and Numba is warm (or interpreting would be slow)."""
        lowered = program.lowered
        if is_loaded(lowered.key):
            return True
        interpret = interpretation_seconds(lowered.graph)
        if interpret > compile_seconds(lowered.graph):
            return True
        if warmup.done():
            return on_disk(lowered.key)
        if interpret >= BIG_S and on_disk(lowered.key):
            warmup.wait()
            return True
        return False

    def _install_tiered(self, signature, program):
        entry = TieredProgram(self, signature, program, self._start_native)
        self._misses += 1
        self._keep(signature, entry)
        return entry

    def _start_native(self, entry):
        """Compile entry's program in the background; swap it in when ready."""
        return background.submit(lambda: self._load(entry.program),
                                 lambda job: self._swap_in(entry, job.result))

    def _swap_in(self, entry, executable):
        entry.native = executable
        self._disk_hits += executable.origin == DISK
        self._programs.replace(entry.signature, entry, executable)

    def wait(self):
        """Block until every signature seen so far runs native code; raises the error
        of a native compile that failed (those signatures keep running interpreted)."""
        for entry in list(self._by_signature.values()):
            if isinstance(entry, TieredProgram):
                entry.wait()

    def _trace(self, signature, leaves, rebuild):
        # Trace on native-byte-order arrays, the types the signature promises.
        native = [x.astype(x.dtype.newbyteorder("=")) if isinstance(x, np.ndarray)
                  and not x.dtype.isnative else x for x in leaves]
        args, kwargs = rebuild(*tree_unflatten(signature.tree, native))
        program = self._lower_program(self.fn, args, kwargs, self.static)
        if len(program.lowered.in_avals) != len(leaves):
            raise ArgumentError(f"{self.name}: the compiled program takes "
                                f"{len(program.lowered.in_avals)} arrays for "
                                f"{len(leaves)} argument leaves")
        return program

    def _install(self, signature, program):
        """Load a program and serve this signature with it."""
        executable = self._programs.get(signature)
        if isinstance(executable, TieredProgram) and executable.program is program:
            executable.wait()                 # native code, as lowering.compile() promises
            return executable.native
        if executable is None or executable.program is not program:
            executable = self._load(program)
            self._misses += 1
            self._disk_hits += executable.origin == DISK
            self._keep(signature, executable)
        return executable

    def _keep(self, signature, entry):
        """Serve `signature` with `entry`; the least recently used program goes when
        more than config.max_signatures are kept."""
        for evicted in self._programs.add(signature, entry):
            with self._locks_lock:
                self._signature_locks.pop(evicted, None)
        self._traced += 1
        self._note_new_signature(signature)

    def _note_new_signature(self, signature):
        previous, self._last_signature = self._last_signature, signature
        if (self._traced > RECOMPILE_WARNING_AFTER and previous is not None
                and not self._warned_recompiling):
            self._warned_recompiling = True
            positions = self._dynamic_positions(signature)
            paths = leaf_paths(signature.tree, positions, self.static.pos_names)
            change = describe_change(previous, signature, paths)
            warnings.warn(
                f"{self.name} has been compiled for {self._traced} "
                f"different argument signatures; the latest differs from the one before "
                f"in {change}. Every new shape, dtype or static value compiles a new "
                f"program. Fixes, best first: pass the data that changes (a batch) as an "
                f"argument of one shape (pad or bucket shapes that vary); select a block "
                f"at a traced position with tg.lax.dynamic_slice instead of slicing "
                f"with a static index; mark static (static_argnums / static_argnames) "
                f"only values with few distinct settings. In memory it keeps the "
                f"{config.max_signatures} most recently used programs "
                f"(TRACEGRAD_MAX_SIGNATURES); an evicted signature is traced again when "
                f"it returns. Every trace reads the arrays and globals {self.name} "
                f"closes over as they are at that moment, and its program keeps those "
                f"values: pass values that change as arguments.",
                TracegradWarning, stacklevel=6)

    def _dynamic_positions(self, signature) -> dict:
        static_positions = {k for k, _, _ in signature.static if isinstance(k, int)}
        ndyn = len(signature.tree.children[0].children)
        original = [i for i in range(ndyn + len(static_positions))
                    if i not in static_positions]
        return dict(enumerate(original))

    def _leaf_names(self, static_key):
        """tree -> a readable name per leaf ("params['W1']"), for error messages."""
        def names(tree):
            signature = Signature(tree, typed_static_key(static_key), ())
            return ["argument " + path for path in leaf_paths(
                tree, self._dynamic_positions(signature), self.static.pos_names)]
        return names

    # ---- inspection ------------------------------------------------------------------

    def lower(self, *args, **kwargs) -> Lowering:
        """The program for these arguments' types: `.ir`, `.source`, `.kernels`,
        `.compile()`. Nothing is loaded or compiled by Numba until `.compile()`."""
        signature, leaves, rebuild = self._signature(args, kwargs)
        if signature is None:
            raise ArgumentError(f"{self.name}.lower() needs arrays, not traced values")
        executable = self._by_signature.get(signature)
        program = executable.program if executable else self._trace(signature, leaves,
                                                                      rebuild)
        return Lowering(self, signature, program)

    def source(self, *args, **kwargs) -> str:
        """The generated Numba module for these arguments' types."""
        return self.lower(*args, **kwargs).source

    def cache_info(self) -> CacheInfo:
        calls = self._hits + self._misses
        return CacheInfo(len(self._by_signature), self._hits, self._misses,
                         self._disk_hits, self._interpreted, calls - self._interpreted,
                         self._programs.evicted)

    def __repr__(self):
        return f"<compiled {self.name}: {len(self._by_signature)} signatures>"

    def __get__(self, obj, objtype=None):
        # Used as a method decorator: bind like a function does.
        return self if obj is None else functools.partial(self, obj)
