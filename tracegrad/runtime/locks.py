"""Locks around the first compilation of a module.

Two layers, because neither suffices alone: an fcntl file lock makes concurrent
*processes* wait for the one that writes the module and its machine code (Numba's cache
index is not safe against concurrent writers), and an in-memory lock per key makes
*threads* of one process wait too (POSIX record locks do not exclude threads of the
owning process)."""
from __future__ import annotations

import contextlib
import fcntl
import os
import threading

_registry_lock = threading.Lock()
_thread_locks: dict = {}


def thread_lock(key) -> threading.Lock:
    """The process-wide lock for `key` (created on first use, kept for the process)."""
    with _registry_lock:
        lock = _thread_locks.get(key)
        if lock is None:
            lock = _thread_locks[key] = threading.Lock()
        return lock


@contextlib.contextmanager
def file_lock(path):
    """Exclusive fcntl lock on `path` (created if missing) for the duration of the block."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX)
        yield
    finally:
        try:
            fcntl.lockf(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


@contextlib.contextmanager
def module_lock(key, lock_path):
    """Threads first, then processes; lock_path None means no other process can see the
    directory (a private one), so the thread lock is enough."""
    with thread_lock(("module", key)):
        if lock_path is None:
            yield
        else:
            with file_lock(lock_path):
                yield
