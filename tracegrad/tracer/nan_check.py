"""Finding where a NaN or inf was made, for check_nans (runtime/compiled.py): while
`checking()` is on, every operation an eager trace records is checked as it runs, and
the first whose result is not finite raises FloatingPointError naming the primitive, the
user's line, the pass (forward, or backward: autodiff marks its walk with `phase`) and
the first bad element."""
from __future__ import annotations

import contextlib
import threading

import numpy as np

from .source import describe_location


class _Checking(threading.local):
    # Class defaults: reading a thread-local attribute that was never set is slow.
    checking = False
    phase = "forward"


_state = _Checking()


def is_checking() -> bool:
    return _state.checking


@contextlib.contextmanager
def checking():
    previous = is_checking()
    _state.checking = True
    try:
        yield
    finally:
        _state.checking = previous


class phase:
    """The pass whose operations are recorded inside (default: forward); a context
    manager (a class, not a generator: every eager gradient enters one)."""

    __slots__ = ("name", "previous")

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        self.previous = _state.phase
        _state.phase = self.name

    def __exit__(self, *exc):
        _state.phase = self.previous
        return False


def first_bad(value):
    """(index, element) of the first NaN or inf in a float/complex array, or None."""
    array = np.asarray(value)
    if array.dtype.kind not in "fc":
        return None
    bad = ~np.isfinite(array)
    if not bad.any():
        return None
    index = tuple(int(i) for i in np.unravel_index(np.argmax(bad), array.shape))
    return index, array[index]


def check_result(prim_name: str, loc, operands, results):
    """Raise if results hold the first non-finite values (operands all finite)."""
    for result in results:
        found = first_bad(result)
        if found is None:
            continue
        if any(first_bad(x) is not None for x in operands):
            return                      # not where it was made
        index, element = found
        where = f" at index {list(index)}" if index else ""
        raise FloatingPointError(
            f"{prim_name} made {element}{where} in the {_state.phase}"
            f" pass, at {describe_location(loc)} (check_nans; its operands were finite)")
