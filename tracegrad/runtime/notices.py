"""Warnings the runtime gives once per process (per distinct message key), so a problem
that affects every program — an unwritable cache, a missing thread library — is reported
without flooding the user."""
from __future__ import annotations

import threading
import warnings

_given: set = set()
_lock = threading.Lock()


class TracegradWarning(UserWarning):
    """A problem tracegrad worked around (cache, threads, recompilation)."""


def warn_once(key, message: str, stacklevel: int = 3) -> bool:
    """Warn with `message` unless a warning with this key was already given."""
    with _lock:
        if key in _given:
            return False
        _given.add(key)
    warnings.warn(message, TracegradWarning, stacklevel=stacklevel)
    return True


def forget_warnings() -> None:
    """Allow every warning to be given again (for tests)."""
    with _lock:
        _given.clear()
