"""Locks around the first compilation of a module.

Two layers, because neither suffices alone: an fcntl file lock makes concurrent
*processes* wait for the one that writes the module and its machine code (Numba's cache
index is not safe against concurrent writers), and an in-memory lock per key makes
*threads* of one process wait too (POSIX record locks do not exclude threads of the
owning process)."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pathlib
import threading

from .disk_cache import remove_non_file

_registry_lock = threading.Lock()
_thread_locks: dict = {}


def thread_lock(key) -> threading.Lock:
    """The process-wide lock for `key` (created on first use, kept for the process)."""
    with _registry_lock:
        lock = _thread_locks.get(key)
        if lock is None:
            lock = _thread_locks[key] = threading.Lock()
        return lock


def _open_lock_file(path) -> int:
    # Never through a symlink (it could make us create or truncate a file elsewhere); a
    # symlink or directory in its place is a damaged entry: removed, then made again.
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags, 0o600)
    except (IsADirectoryError, OSError) as error:
        if not isinstance(error, IsADirectoryError) and error.errno != errno.ELOOP:
            raise
        remove_non_file(pathlib.Path(path))
        return os.open(path, flags, 0o600)


@contextlib.contextmanager
def file_lock(path):
    """Exclusive fcntl lock on `path` (created if missing) for the duration of the block."""
    fd = _open_lock_file(path)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX)
        yield
    finally:
        try:
            fcntl.lockf(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
