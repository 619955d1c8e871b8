"""From generated module text to a callable Numba entry function.

The text is written to `<program dir>/<key>.py` (a fresh file renamed into place: readers
never see half a file), registered in sys.modules under its own name *before* it runs
(Numba resolves the module of a cached function by name), and executed from the text in
memory — never imported, so no `.pyc` beside it is ever read: the explicit signature in
its decorator makes Numba compile — or load machine code that `cache=True` stored beside
the file by an earlier process — right there.

If the disk cache fails while a program is saved (a full disk, a directory deleted under
us), the program still runs: compiled in memory, not kept, with one warning."""
from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import pathlib
import sys
import time
import types

from .disk_cache import program_directory, remove_non_file, write_new_file
from .locks import file_lock, thread_lock
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
        if os.path.isfile(path) and not os.path.islink(path) and path.read_text() == source:
            return
    except (OSError, UnicodeDecodeError):
        pass
    write_new_file(path, source.encode())


def machine_code_files(path: pathlib.Path) -> list:
    """Numba's index (.nbi) and data (.nbc) files for the module at `path`."""
    return sorted((path.parent / "__pycache__").glob(f"{path.stem}.*.nb[ic]"))


def _execute(source: str, filename: str, name: str):
    """Run the module text as module `name` whose file is `filename`."""
    module = types.ModuleType(name)
    module.__file__ = filename
    sys.modules[name] = module
    try:
        exec(compile(source, filename, "exec"), module.__dict__)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _execute_or_repair(path: pathlib.Path, source: str, name: str):
    """Run the module; if Numba cannot read its cached machine code (truncated or garbage
    files, or a directory in their place, raise on every load and Numba never repairs
    them), delete those entries and compile again, with one warning."""
    try:
        return _execute(source, str(path), name)
    except Exception as error:
        stale = machine_code_files(path)
        if not stale or _is_write_failure(error):
            raise
        for f in stale:
            remove_non_file(f)
            f.unlink(missing_ok=True)
        warn_once(("corrupt cache", str(path)),
                  f"tracegrad deleted unreadable compiled code for {path.name} "
                  f"({type(error).__name__}: {error}) and is recompiling it.", stacklevel=7)
        return _execute(source, str(path), name)


# Errors of writing to the cache, after which the program is compiled in memory instead.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.ENOENT,
                 errno.EACCES, errno.EPERM, errno.EIO}


def _is_write_failure(error: BaseException) -> bool:
    if isinstance(error, RuntimeError) and "cannot cache function" in str(error):
        return True                 # Numba: the module file vanished (cache deleted)
    return isinstance(error, OSError) and error.errno in _WRITE_ERRNOS


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
    with thread_lock(("module", key)):
        found = _loaded.get(key)
        if found is not None:
            return dataclasses.replace(found, origin=MEMORY)
        choose_threading_layer()        # before anything could start a thread pool
        for attempt in range(2):
            try:
                loaded = _load_from_directory(key, source, entry)
                break
            except (OSError, RuntimeError) as error:
                if not _is_write_failure(error):
                    raise
                if attempt == 0 and not program_directory().path.is_dir():
                    continue            # the cache was deleted meanwhile: make it again
                warn_once(("cache write",),
                          f"tracegrad could not save a compiled program in its disk cache "
                          f"({error}); it runs compiled in memory and is not kept for the "
                          f"next process.", stacklevel=6)
                loaded = _load_in_memory(key, source, entry)
                break
        if loaded.entry.targetoptions.get("parallel"):
            note_parallel_program()
        _loaded[key] = loaded
        return loaded


def _load_from_directory(key: str, source: str, entry: str) -> LoadedModule:
    directory = program_directory()
    path = directory.path / f"{key}.py"
    lock_path = directory.path / f"{key}.lock" if directory.persistent else None
    with file_lock(lock_path) if lock_path else contextlib.nullcontext():
        write_module(path, source)
        start = time.perf_counter()
        dispatcher = getattr(_execute_or_repair(path, source, module_name(key)), entry)
        seconds = time.perf_counter() - start
    origin = DISK if _machine_code_was_loaded(dispatcher) else COMPILED
    return LoadedModule(dispatcher, path, origin, _load_timings(str(path), seconds))


def _load_in_memory(key: str, source: str, entry: str) -> LoadedModule:
    filename = f"<tracegrad program {key}>"     # not a .py path: Numba does not cache it
    start = time.perf_counter()
    dispatcher = getattr(_execute(source, filename, module_name(key)), entry)
    return LoadedModule(dispatcher, pathlib.Path(filename), COMPILED,
                        _load_timings(filename, time.perf_counter() - start))


def _load_timings(path: str, seconds: float) -> tuple:
    """Kernels' machine code (LLVM, or reading it from disk) and the driver (Numba's
    front end and LLVM for it, or Numba's cache)."""
    from ..codegen.native import STATS
    kernels = STATS.get(path, {}).get("llvm", 0.0)
    return (("kernels (LLVM)", kernels), ("driver (Numba)", max(seconds - kernels, 0.0)))
