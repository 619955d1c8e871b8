"""The user's source line that is running: the first stack frame outside tracegrad
(and outside NumPy and SciPy, whose Python code calls into ours: dispatching wrappers,
np.asarray on an argument)."""
from __future__ import annotations

import contextlib
import importlib.util
import linecache
import os
import sys
import threading

import numpy as _np

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_NUMPY_DIR = os.path.dirname(os.path.abspath(_np.__file__)) + os.sep


def _package_dir(name: str) -> tuple:
    """(the directory of an installed package,), found without importing it; or ()."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return ()
    return (os.path.abspath(list(spec.submodule_search_locations)[0]) + os.sep,)


_SKIP = (_PACKAGE_DIR, _NUMPY_DIR, "<frozen") + _package_dir("scipy")
# tracegrad's own user-level code (benchmark workloads, the demo) counts as user code.
_USER_CODE = (_PACKAGE_DIR + "bench" + os.sep, _PACKAGE_DIR + "cli.py")


class _Attribution(threading.local):
    loc = None          # a class default: reading a missing thread-local attribute is slow


_attributed = _Attribution()


@contextlib.contextmanager
def attribute_to(loc: str | None):
    """Attribute the operations recorded inside to `loc`: the backward (or forward-mode)
    operations of a primitive carry the user's line of the primitive they differentiate,
    not the line that called grad."""
    previous = _attributed.loc
    _attributed.loc = loc
    try:
        yield
    finally:
        _attributed.loc = previous


def attributed_location() -> str | None:
    """The location set by `attribute_to`, or None."""
    return _attributed.loc


def attribution_state():
    """The thread's attribution record: loops that switch the location once per node
    (the backward walk) set its `loc` directly and restore it."""
    return _attributed


def _is_user_code(filename: str) -> bool:
    return (not filename.startswith(_SKIP) or filename.startswith(_USER_CODE)) \
        and "contextlib" not in filename


# id(code object) -> (the code object, whether it is user code). Every operation looks
# up the user's line, so the test on the file name is made once per function, not once
# per frame walked. Keyed by id (a code object's own hash reads all its fields); the
# entry keeps the code object alive, so its id is not reused while the entry exists.
_USER_CODE_CACHE: dict = {}


def _code_is_user(code) -> bool:
    found = _USER_CODE_CACHE.get(id(code))
    if found is None:
        if len(_USER_CODE_CACHE) > 100_000:        # generated code: keep it bounded
            _USER_CODE_CACHE.clear()
            _LOCATIONS.clear()
        found = _USER_CODE_CACHE[id(code)] = (code, _is_user_code(code.co_filename))
    return found[1]


def user_frames():
    """(the innermost user frame, the frame it called on the way here — a NumPy, SciPy
    or tracegrad function; None if there is none), or (None, None)."""
    frame, called = sys._getframe(1), None
    while frame is not None:
        if _code_is_user(frame.f_code):
            return frame, called
        frame, called = frame.f_back, frame
    return None, None


def user_location(skip: int = 1) -> str | None:
    """'path/to/file.py:LINE' of the innermost user frame, or None. `skip`: the number of
    frames known to be tracegrad's own (the caller's included), not looked at."""
    attributed = _attributed.loc
    if attributed is not None:
        return attributed
    frame = sys._getframe(skip)
    # Usually that frame is the user's, at a call site seen before: one lookup (only
    # user frames' locations are kept).
    loc = _LOCATIONS.get((id(frame.f_code), frame.f_lasti))
    if loc is not None:
        return loc
    cache = _USER_CODE_CACHE
    while frame is not None:
        code = frame.f_code
        found = cache.get(id(code))
        if (found[1] if found is not None else _code_is_user(code)):
            # The line from the instruction offset, formatted once per call site
            # (frame.f_lineno decodes the line table on every read).
            key = (id(code), frame.f_lasti)
            loc = _LOCATIONS.get(key)
            if loc is None:
                if len(_LOCATIONS) > 100_000:
                    _LOCATIONS.clear()
                loc = _LOCATIONS[key] = f"{code.co_filename}:{frame.f_lineno}"
            return loc
        frame = frame.f_back
    return None


# (id(code object), instruction offset) -> 'file:line', for user code objects, which
# _USER_CODE_CACHE keeps alive (the two are cleared together).
_LOCATIONS: dict = {}


def running_expression(frame) -> str | None:
    """The source text of the expression `frame` is evaluating (`data[a:a + 8]`, even
    across lines), from the running instruction's source positions (Python 3.11+); None
    where they or the source are not available."""
    positions = getattr(frame.f_code, "co_positions", None)
    if positions is None:
        return None
    found = list(positions())
    index = frame.f_lasti // 2           # one position per 2-byte code unit
    if not 0 <= index < len(found) or None in found[index]:
        return None
    first, last, col, end_col = found[index]
    lines = [line.encode() for line in
             linecache.getlines(frame.f_code.co_filename)[first - 1:last]]
    if len(lines) != last - first + 1:
        return None
    if first == last:                    # columns count UTF-8 bytes
        return lines[0][col:end_col].decode(errors="replace")
    text = lines[0][col:] + b"".join(lines[1:-1]) + lines[-1][:end_col]
    return text.decode(errors="replace")


def describe_location(loc: str | None) -> str:
    """'file.py:12: `y = x + 1`' for error messages."""
    if not loc:
        return "an unknown line"
    path, _, line = loc.rpartition(":")
    text = linecache.getline(path, int(line)).strip() if line.isdigit() else ""
    return f"{loc}: `{text}`" if text else loc
