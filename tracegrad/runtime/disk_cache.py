"""The on-disk cache directory: where generated modules and Numba's machine code live.

Layout:  <TRACEGRAD_CACHE_DIR>/<cpu>-<hash of versions and CPU features>/<Lowered.key>.py
Numba's `cache=True` stores the machine code beside each module, in `__pycache__/`.
Everything that can change the machine code for the same source — the versions of
tracegrad, Numba, llvmlite, NumPy and Python, and the host CPU name and features — picks
the subdirectory, so stale code is never loaded and several hosts can share a home dir.

Whoever can write into the cache can run code in every process that uses it (Numba's
index is a pickle; the modules are executed). So every directory from the root down must
belong to this user and be writable by nobody else (as ssh and pip require), nothing
inside it is followed through a symlink, and files are created under unpredictable names
(O_EXCL) and renamed into place.

When the directory is unusable (read-only, not creatable, not safely ours) or the disk
cache is disabled, programs go to a private temporary directory removed at exit: Numba's
`cache=True` needs a real file either way, and nothing persists."""
from __future__ import annotations

import atexit
import dataclasses
import hashlib
import os
import pathlib
import re
import shutil
import stat
import sys
import tempfile
import threading

from ..config import config
from .notices import warn_once

TAG_FILE = "CACHEDIR.TAG"          # marks the root (https://bford.info/cachedir/)
TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This directory holds programs compiled by tracegrad; "
            "`tracegrad cache clear` empties it.\n")
ABOUT_FILE = "ABOUT.txt"           # marks a layout subdirectory and says what keyed it
PROGRAM_NAME = re.compile(r"^[0-9a-f]{64}\.py$")


@dataclasses.dataclass(frozen=True)
class ProgramDirectory:
    path: pathlib.Path
    persistent: bool               # False: private to this process, removed at exit


def _version(distribution: str, module) -> str:
    try:
        from importlib.metadata import version
        return version(distribution)
    except Exception:       # not installed as a distribution (e.g. run from a checkout)
        return getattr(module, "__version__", "unknown")


def layout_parts() -> dict:
    """What the machine code depends on besides the module source."""
    import llvmlite
    import numba
    import numpy
    from llvmlite import binding

    # Numba honours NUMBA_CPU_NAME / NUMBA_CPU_FEATURES overrides; so must the key.
    cpu = numba.config.CPU_NAME or binding.get_host_cpu_name()
    features = numba.config.CPU_FEATURES or binding.get_host_cpu_features().flatten()
    return {"tracegrad": _version("tracegrad", None), "numba": numba.__version__,
            "llvmlite": llvmlite.__version__, "numpy": numpy.__version__,
            "python": ".".join(map(str, sys.version_info[:3])),
            "cpu": cpu, "cpu_features": features}


def layout_name(parts: dict | None = None) -> str:
    parts = parts or layout_parts()
    text = "\n".join(f"{k}={v}" for k, v in sorted(parts.items()))
    cpu = re.sub(r"[^A-Za-z0-9_.-]", "_", parts["cpu"]) or "cpu"
    return f"{cpu}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


class UnsafeCacheDirectory(OSError):
    """A cache directory another user could write into (or swap)."""


def _current_user() -> int:
    return os.geteuid()


def verify_private(directory: pathlib.Path, follow: bool = False) -> None:
    """UnsafeCacheDirectory unless `directory` is a directory (not a symlink, unless
    `follow`) owned by this user and not writable by group or others."""
    info = os.stat(directory) if follow else os.lstat(directory)
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeCacheDirectory(f"{directory} is not a directory (a symlink or file)")
    if info.st_uid != _current_user():
        raise UnsafeCacheDirectory(f"{directory} belongs to another user (uid "
                                   f"{info.st_uid})")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeCacheDirectory(f"{directory} is writable by other users (mode "
                                   f"{stat.S_IMODE(info.st_mode):04o})")


def make_private_dir(directory: pathlib.Path, follow: bool = False) -> None:
    """Create `directory` (mode 0700) unless it exists, then verify it is ours alone."""
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    verify_private(directory, follow)


def write_new_file(path: pathlib.Path, data: bytes, mode: int = 0o644) -> None:
    """Atomically make `path` hold `data`: written to a fresh file under an unpredictable
    name (never through a symlink), then renamed over `path`; nothing is left behind on
    failure (a full disk)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:16]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        remove_non_file(path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def remove_non_file(path: pathlib.Path) -> None:
    """Remove a directory or symlink that sits where a cache file belongs (a damaged or
    tampered entry): the entry is then rewritten like any corrupt one."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(path, ignore_errors=True)
    elif not stat.S_ISREG(info.st_mode):
        os.unlink(path)


def _write_if_missing(path: pathlib.Path, text: str) -> None:
    if not os.path.lexists(path):
        write_new_file(path, text.encode())


def _check_writable(directory: pathlib.Path) -> None:
    # os.access lies for root on read-only bind mounts and for some ACLs; try it.
    fd, name = tempfile.mkstemp(dir=directory, prefix=".write-test-")
    os.close(fd)
    os.unlink(name)


def prepare_persistent(root: pathlib.Path) -> pathlib.Path:
    """Create (mode 0700) and check the layout directory under root; OSError if unusable,
    UnsafeCacheDirectory if another user could write into it."""
    parts = layout_parts()
    layout = root / layout_name(parts)
    os.makedirs(root.parent, mode=0o700, exist_ok=True)
    # The root may be a symlink the user made (a scratch disk); below it, nothing may be.
    make_private_dir(root, follow=True)
    make_private_dir(layout)
    make_private_dir(layout / "__pycache__")
    _check_writable(layout)
    _check_writable(layout / "__pycache__")     # where Numba writes the machine code
    _write_if_missing(root / TAG_FILE, TAG_TEXT)
    _write_if_missing(layout / ABOUT_FILE,
                      "".join(f"{k}: {v}\n" for k, v in sorted(parts.items())))
    return layout


_private: list = []                 # [(pid, path)]: this process's temporary directory
_resolved: dict = {}                # (cache_dir, disabled) -> ProgramDirectory
_resolve_lock = threading.Lock()


def private_directory() -> pathlib.Path:
    """A directory only this process uses (mode 0700), removed when it exits."""
    if not _private or _private[0][0] != os.getpid():        # a forked child makes its own
        path = pathlib.Path(tempfile.mkdtemp(prefix="tracegrad-"))
        _private[:] = [(os.getpid(), path)]
        atexit.register(_remove_private, os.getpid(), path)
    return _private[0][1]


def _remove_private(pid: int, path: pathlib.Path) -> None:
    if os.getpid() == pid:          # never from a forked child that inherited the hook
        shutil.rmtree(path, ignore_errors=True)


def program_directory() -> ProgramDirectory:
    """The directory for generated modules under the current configuration."""
    setting = (config.cache_dir, config.disable_disk_cache)
    found = _resolved.get(setting)
    # Re-resolve after a fork (private dirs are per process) or `tracegrad cache clear`.
    if found is not None and (found.persistent or _private[0][0] == os.getpid()) \
            and found.path.is_dir():
        return found
    with _resolve_lock:
        if config.disable_disk_cache:
            found = ProgramDirectory(private_directory(), persistent=False)
        else:
            try:
                found = ProgramDirectory(prepare_persistent(
                    pathlib.Path(config.cache_dir).expanduser()), persistent=True)
            except UnsafeCacheDirectory as error:
                warn_once(("cache dir", config.cache_dir),
                          f"tracegrad does not use the cache directory "
                          f"{config.cache_dir!r}: {error}, so another user could plant "
                          f"code that this process would run. Compiled programs are kept "
                          f"in a private temporary directory for this process only. Fix: "
                          f"`chmod go-w` the directory if it is yours, or set "
                          f"TRACEGRAD_CACHE_DIR to a directory only you can write.",
                          stacklevel=6)
                found = ProgramDirectory(private_directory(), persistent=False)
            except OSError as error:
                warn_once(("cache dir", config.cache_dir),
                          f"tracegrad cannot use the cache directory {config.cache_dir!r} "
                          f"({error}); compiled programs are kept in a temporary directory "
                          f"for this process only. Set TRACEGRAD_CACHE_DIR to a writable "
                          f"directory to keep them across runs.", stacklevel=6)
                found = ProgramDirectory(private_directory(), persistent=False)
        _resolved[setting] = found
        return found


# ---- `tracegrad cache info|clear` -------------------------------------------------------

def _layouts(root: pathlib.Path) -> list:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / ABOUT_FILE).exists())


def _size(path: pathlib.Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def cache_summary(root=None) -> dict:
    """{'directory', 'programs', 'bytes', 'layouts'}: what `tracegrad cache info` prints."""
    root = pathlib.Path(root or config.cache_dir).expanduser()
    layouts = _layouts(root)
    programs = sum(1 for d in layouts for p in d.iterdir() if PROGRAM_NAME.match(p.name))
    current = layout_name()
    return {"directory": str(root), "programs": programs,
            "bytes": sum(_size(d) for d in layouts),
            "layouts": [(d.name, d.name == current) for d in layouts]}


def clear_cache(root=None) -> int:
    """Delete every layout subdirectory tracegrad made under root (only those, so a
    mistyped TRACEGRAD_CACHE_DIR cannot delete anything else); -> programs removed."""
    root = pathlib.Path(root or config.cache_dir).expanduser()
    removed = 0
    for layout in _layouts(root):
        removed += sum(1 for p in layout.iterdir() if PROGRAM_NAME.match(p.name))
        shutil.rmtree(layout, ignore_errors=True)
    return removed
