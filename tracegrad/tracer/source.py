"""The user's source line that is running: the first stack frame outside tracegrad
(and outside NumPy, whose Python wrappers dispatch to us)."""
from __future__ import annotations

import contextlib
import linecache
import os
import sys
import threading

import numpy as _np

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_NUMPY_DIR = os.path.dirname(os.path.abspath(_np.__file__)) + os.sep
_SKIP = (_PACKAGE_DIR, _NUMPY_DIR, "<frozen")
# tracegrad's own user-level code (benchmark workloads, the demo) counts as user code.
_USER_CODE = (_PACKAGE_DIR + "bench" + os.sep, _PACKAGE_DIR + "cli.py")


_attributed = threading.local()


@contextlib.contextmanager
def attribute_to(loc: str | None):
    """Attribute the operations recorded inside to `loc`: the backward (or forward-mode)
    operations of a primitive carry the user's line of the primitive they differentiate,
    not the line that called grad."""
    previous = getattr(_attributed, "loc", None)
    _attributed.loc = loc
    try:
        yield
    finally:
        _attributed.loc = previous


def user_location() -> str | None:
    """'path/to/file.py:LINE' of the innermost user frame, or None."""
    attributed = getattr(_attributed, "loc", None)
    if attributed is not None:
        return attributed
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if (not filename.startswith(_SKIP) or filename.startswith(_USER_CODE)) \
                and "contextlib" not in filename:
            return f"{filename}:{frame.f_lineno}"
        frame = frame.f_back
    return None


def describe_location(loc: str | None) -> str:
    """'file.py:12: `y = x + 1`' for error messages."""
    if not loc:
        return "an unknown line"
    path, _, line = loc.rpartition(":")
    text = linecache.getline(path, int(line)).strip() if line.isdigit() else ""
    return f"{loc}: `{text}`" if text else loc
