"""From generated module text to a callable Numba entry function.

The text is written to `<program dir>/<key>.py` (temp file + os.replace: readers never
see half a file), registered in sys.modules under its own name *before* it runs (Numba
resolves the module of a cached function by name), and executed: the explicit signature
in its decorator makes Numba compile — or load machine code that `cache=True` stored
beside the file by an earlier process — right there."""
from __future__ import annotations

import dataclasses
import importlib.util
import os
import pathlib
import sys
import tempfile
import time

from .disk_cache import program_directory
from .locks import module_lock
from .notices import warn_once
from .threads import choose_threading_layer, note_parallel_program

MEMORY, DISK, COMPILED = "memory", "disk", "compiled"


@dataclasses.dataclass(frozen=True)
class LoadedModule:
    entry: object                   # the Numba dispatcher of the entry function
    path: pathlib.Path
    origin: str                     # MEMORY, DISK (machine code loaded) or COMPILED
    timings: tuple = ()             # (phase, seconds) of loading it: LLVM, Numba


_loaded: dict = {}                  # module key -> LoadedModule, for this process


def module_name(key: str) -> str:
    return f"tracegrad_program_{key}"


def write_module(path: pathlib.Path, source: str) -> None:
    """Atomically make `path` hold `source` (mode 0644); an existing identical file is
    left alone so its timestamp, and Numba's index that refers to it, stay valid."""
    try:
        if path.read_text() == source:
            return
    except (OSError, UnicodeDecodeError):
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem[:16]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(source)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def machine_code_files(path: pathlib.Path) -> list:
    """Numba's index (.nbi) and data (.nbc) files for the module at `path`."""
    return sorted((path.parent / "__pycache__").glob(f"{path.stem}.*.nb[ic]"))


def _execute(path: pathlib.Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _execute_or_repair(path: pathlib.Path, name: str):
    """Run the module; if Numba cannot read its cached machine code (truncated or garbage
    files raise on every load, Numba never repairs them), delete those files and compile
    again, with one warning."""
    try:
        return _execute(path, name)
    except Exception as error:
        stale = machine_code_files(path)
        if not stale:
            raise
        for f in stale:
            f.unlink(missing_ok=True)
        warn_once(("corrupt cache", str(path)),
                  f"tracegrad deleted unreadable compiled code for {path.name} "
                  f"({type(error).__name__}: {error}) and is recompiling it.", stacklevel=7)
        return _execute(path, name)


def _machine_code_was_loaded(dispatcher) -> bool:
    return sum(dispatcher.stats.cache_hits.values()) > 0


def is_loaded(key: str) -> bool:
    return key in _loaded


def on_disk(key: str) -> bool:
    """Whether an earlier process left machine code for this module in the disk cache
    (the module, its kernels' object code and Numba's index)."""
    directory = program_directory()
    if not directory.persistent:
        return False
    path = directory.path / f"{key}.py"
    return (path.exists() and path.with_suffix(".o").exists()
            and any((path.parent / "__pycache__").glob(f"{path.stem}.*.nbi")))


def load_module(key: str, source: str, entry: str) -> LoadedModule:
    """The entry function of the module with this key and source, compiled or loaded
    once per process; safe to call from several threads and processes at once."""
    found = _loaded.get(key)
    if found is not None:
        return dataclasses.replace(found, origin=MEMORY)
    directory = program_directory()
    path = directory.path / f"{key}.py"
    lock_path = directory.path / f"{key}.lock" if directory.persistent else None
    with module_lock(key, lock_path):
        found = _loaded.get(key)
        if found is not None:
            return dataclasses.replace(found, origin=MEMORY)
        choose_threading_layer()        # before anything could start a thread pool
        write_module(path, source)
        start = time.perf_counter()
        dispatcher = getattr(_execute_or_repair(path, module_name(key)), entry)
        seconds = time.perf_counter() - start
        origin = DISK if _machine_code_was_loaded(dispatcher) else COMPILED
        if dispatcher.targetoptions.get("parallel"):
            note_parallel_program()
        loaded = _loaded[key] = LoadedModule(dispatcher, path, origin,
                                             _load_timings(str(path), seconds))
        return loaded


def _load_timings(path: str, seconds: float) -> tuple:
    """Kernels' machine code (LLVM, or reading it from disk) and the driver (Numba's
    front end and LLVM for it, or Numba's cache)."""
    from ..codegen.native import STATS
    kernels = STATS.get(path, {}).get("llvm", 0.0)
    return (("kernels (LLVM)", kernels), ("driver (Numba)", max(seconds - kernels, 0.0)))
