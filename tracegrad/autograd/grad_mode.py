"""Grad mode: whether operations on tensors that require gradients are recorded.
Thread-local, as in PyTorch; `no_grad`/`enable_grad`/`set_grad_enabled` are context
managers and decorators. Grad mode concerns the imperative tape only: values traced by
the functional transformations (grad, vjp, compile) are always recorded."""
from __future__ import annotations

import contextlib
import threading

class _GradMode(threading.local):
    # Class defaults: reading a thread-local attribute that was never set is slow.
    enabled = True


_state = _GradMode()


def is_grad_enabled() -> bool:
    return _state.enabled


def _set(enabled: bool):
    _state.enabled = bool(enabled)


class _Mode(contextlib.ContextDecorator):
    """A context manager that sets grad mode, restoring the previous one on exit."""

    enabled = True

    def __enter__(self):
        self._previous = is_grad_enabled()
        _set(self.enabled)
        return self

    def __exit__(self, *exc):
        _set(self._previous)
        return False

    def _recreate_cm(self):
        return type(self)()       # a fresh object per decorated call (re-entrant)


class no_grad(_Mode):
    """Operations inside record nothing: results do not require gradients."""
    enabled = False


class enable_grad(_Mode):
    """Recording on inside, e.g. within a no_grad block."""
    enabled = True


class set_grad_enabled(_Mode):
    """set_grad_enabled(mode): a function call that sets grad mode, or a context manager
    (and decorator) that sets it inside and restores it after, as in PyTorch."""

    def __init__(self, mode: bool):
        self.enabled = bool(mode)
        self._previous = is_grad_enabled()
        _set(mode)                # the plain call takes effect at once, as torch's does

    def __enter__(self):
        _set(self.enabled)
        return self

    def __call__(self, fn):
        _set(self._previous)      # as a decorator it sets the mode only inside calls
        return super().__call__(fn)

    def _recreate_cm(self):
        return _Scoped(self.enabled)


class _Scoped(_Mode):
    def __init__(self, enabled: bool):
        self.enabled = enabled
