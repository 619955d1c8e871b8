"""Anomaly detection (PyTorch's set_detect_anomaly / detect_anomaly) for the tape: every
backward operation's results are checked, and the first NaN or inf raises, naming the
primitive, the user's line that recorded the forward operation, and whether that
operation belonged to the forward pass or to a recorded backward pass (create_graph)."""
from __future__ import annotations

import contextlib
import threading

from ..tracer import Tracer, nan_check
from ..tracer.source import describe_location

class _Anomaly(threading.local):
    # Class defaults: reading a thread-local attribute that was never set is slow.
    enabled = False


_state = _Anomaly()


def is_anomaly_enabled() -> bool:
    return _state.enabled


class set_detect_anomaly(contextlib.ContextDecorator):
    """set_detect_anomaly(True) turns anomaly mode on at once; used as a context manager
    (or decorator) it restores the previous mode on exit, as in PyTorch."""

    def __init__(self, mode: bool, check_nan: bool = True):
        self._previous = is_anomaly_enabled()
        self.mode = bool(mode and check_nan)
        _state.enabled = self.mode

    def __enter__(self):
        _state.enabled = self.mode
        return self

    def __exit__(self, *exc):
        _state.enabled = self._previous
        return False


def detect_anomaly(check_nan: bool = True):
    """Context manager (and decorator) with anomaly mode on inside."""
    previous = is_anomaly_enabled()
    manager = set_detect_anomaly(True, check_nan)
    manager._previous = previous
    return manager


def _first_bad(ct):
    value = ct._concrete if isinstance(ct, Tracer) else ct
    return None if value is None else nan_check.first_bad(value)


def check_backward_node(node, in_cts):
    if not is_anomaly_enabled():
        return
    for position, ct in enumerate(in_cts):
        if ct is None or (found := _first_bad(ct)) is None:
            continue
        index, value = found
        pass_name = ("an operation of a recorded backward pass (create_graph=True) for "
                     "the forward operation at" if node.in_backward else
                     "the forward pass at")
        raise FloatingPointError(
            f"Anomaly detected: the backward of primitive {node.prim.name!r} returned "
            f"{value} in its gradient for input {position} (element {tuple(map(int, index))}"
            f"). The primitive was recorded in {pass_name} "
            f"{describe_location(node.loc)}. Guard that operation (e.g. tracegrad.numpy."
            f"where, or an eps inside sqrt/log), or look for the inf/NaN it received.")
