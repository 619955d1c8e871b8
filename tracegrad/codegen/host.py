"""Calls from a compiled program back into Python: the pure_callback kernels' way out.

A callback kernel (callback.py) calls the C function `tracegrad_callback(id, inputs,
outputs)`, where `id` numbers the callback in this process's registry and the two
arguments are arrays of buffer pointers. That symbol is a ctypes trampoline into
Python (ctypes takes the GIL, which the driver released): it copies the inputs into
fresh read-only arrays (a callback may keep them; the buffers are reused), calls the
callback, and copies its checked results into the output buffers.

An exception never crosses into native code: the trampoline keeps it for the thread,
returns 1, zero-fills the outputs (a safe value, e.g. for indices), and answers later
callbacks of the same run with 1 at once. The driver asks `tracegrad_callback(QUERY,
...)` after the program and then raises the kept exception (native.py); while loops
that call back ask after each test, so a failed callback cannot leave them looping.

Ids are assigned while code is generated and written into it; the generated text (the
program's cache key) therefore names the process's own registry, which is what a
program loaded from the disk cache calls. Registered callbacks live as long as the
process, as the programs that call them do."""
from __future__ import annotations

import ctypes
import threading

import numpy as np

SYMBOL = "tracegrad_callback"
QUERY = -1                          # the id that asks: did a callback of this thread fail?
# The id with which compiled code reports that memory ran out (a while loop's reverse-mode
# tape could not grow; `ins` carries the byte count asked for). Raised as MemoryError.
OUT_OF_MEMORY = -2

_lock = threading.Lock()
_ids: dict = {}                     # (callback, in avals, out avals) -> id
_entries: list = []                 # id -> _Entry
_thread = threading.local()         # .error: the exception a callback raised


class _Entry:
    def __init__(self, callback, in_avals, out_avals):
        self.callback = callback
        self.inputs = [_Buffer(a) for a in in_avals]
        self.outputs = [_Buffer(a) for a in out_avals]
        self.in_pointers = ctypes.c_void_p * max(len(in_avals), 1)
        self.out_pointers = ctypes.c_void_p * max(len(out_avals), 1)

    def run(self, ins: int, outs: int) -> None:
        in_ptrs = self.in_pointers.from_address(ins) if self.inputs else ()
        arrays = [b.copy_from(p) for b, p in zip(self.inputs, in_ptrs)]
        results = self.callback(*arrays)
        out_ptrs = self.out_pointers.from_address(outs) if self.outputs else ()
        for b, p, r in zip(self.outputs, out_ptrs, results):
            b.write(p, r)

    def zero(self, outs: int) -> None:
        if self.outputs:
            for b, p in zip(self.outputs, self.out_pointers.from_address(outs)):
                if b.nbytes:
                    ctypes.memset(p, 0, b.nbytes)


class _Buffer:
    """Arrays of one aval over raw memory."""

    def __init__(self, aval):
        self.shape, self.dtype = aval.shape, aval.dtype
        self.nbytes = aval.size * aval.dtype.itemsize
        self.raw = ctypes.c_char * self.nbytes

    def view(self, pointer) -> np.ndarray:
        if not self.nbytes:
            return np.empty(self.shape, self.dtype)
        return np.frombuffer(self.raw.from_address(pointer), self.dtype).reshape(self.shape)

    def copy_from(self, pointer) -> np.ndarray:
        array = self.view(pointer).copy()
        array.flags.writeable = False
        return array

    def write(self, pointer, value) -> None:
        if self.nbytes:
            np.copyto(self.view(pointer), value)


def register(callback, in_avals: tuple, out_avals: tuple) -> int:
    """The id under which compiled code calls `callback` with these types."""
    key = (callback, in_avals, out_avals)
    with _lock:
        found = _ids.get(key)
        if found is None:
            found = _ids[key] = len(_entries)
            _entries.append(_Entry(callback, in_avals, out_avals))
        return found


def _trampoline(ident: int, ins: int, outs: int) -> int:
    try:
        if ident == QUERY:
            return int(getattr(_thread, "error", None) is not None)
        if ident == OUT_OF_MEMORY:
            if getattr(_thread, "error", None) is None:
                _thread.error = MemoryError(
                    f"out of memory: the tape of a compiled while_loop's reverse mode "
                    f"could not grow to {ins or 0} bytes (it keeps every iteration's "
                    f"residuals); bound the loop, or differentiate with tg.checkpoint "
                    f"around its body to keep less per iteration")
            return 1
        entry = _entries[ident]
        if getattr(_thread, "error", None) is not None:
            entry.zero(outs)                 # this run failed already: skip the call
            return 1
        try:
            entry.run(ins, outs)
            return 0
        except BaseException as error:       # noqa: BLE001  (re-raised by the driver)
            _thread.error = error
            entry.zero(outs)
            return 1
    except BaseException as error:           # noqa: BLE001  (never into native code)
        if getattr(_thread, "error", None) is None:
            _thread.error = error
        return 1


_TRAMPOLINE = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_int64, ctypes.c_void_p,
                               ctypes.c_void_p)(_trampoline)
_installed: list = []


def install() -> None:
    """Make SYMBOL resolvable by the kernels' machine code (once per process)."""
    with _lock:
        if not _installed:
            from llvmlite import binding as llvm
            llvm.add_symbol(SYMBOL, ctypes.cast(_TRAMPOLINE, ctypes.c_void_p).value)
            _installed.append(True)


def raise_pending() -> None:
    """Raise, and forget, the exception a callback of this thread raised (the driver
    calls this when the QUERY says there is one)."""
    error = getattr(_thread, "error", None)
    _thread.error = None
    if error is None:
        raise RuntimeError("a pure_callback reported a failure but left no exception")
    raise error
