"""The disk cache failing under a running process: a full disk (a small tmpfs, or a file
size limit where mounting is not allowed) and a cache directory deleted again and again
while programs compile. Every program still runs, one warning says why nothing was
kept, and nothing half-written stays behind."""
import json
import os
import subprocess

import pytest

from .support import run_python

# Compiles program 0, then fills the disk (fill == "after") or starts full
# (fill == "before"), then compiles programs 1..3.
FULL_DISK = '''
import json, os, warnings
import numpy as np
import tracegrad as tg

def fill(directory):
    fd = os.open(os.path.join(directory, "ballast"), os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"x" * 4096):
            pass
    except OSError:
        pass
    os.close(fd)

def program(k):
    return tg.compile(lambda a: np.cos(a * {scale}) + k)

a = np.linspace(0.0, 1.0, 7)
ok = []
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    if {fill!r} == "before":
        fill({mount!r})
    ok.append(bool(np.allclose(program(0.0)(a), np.cos(a * {scale}))))
    if {fill!r} == "after":
        fill({mount!r})
    for k in (1.0, 2.0, 3.0):
        ok.append(bool(np.allclose(program(k)(a), np.cos(a * {scale}) + k)))
print(json.dumps({{"ok": ok, "warnings": [str(w.message) for w in caught]}}))
'''

SIZE_LIMIT = '''
import resource, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)     # writes past the limit fail with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))
'''


def _mount_tmpfs(path, size):
    path.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700",
                               "tmpfs", str(path)], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _leftovers(root):
    return [p for p in root.rglob("*") if ".tmp" in p.name]


@pytest.mark.parametrize("fill", ["before", "after"])
def test_a_full_disk_never_fails_a_call(tmp_path, fill):
    mount = tmp_path / "small"
    if not _mount_tmpfs(mount, "1m"):
        pytest.skip("mounting a tmpfs is not allowed here (the size-limit test covers it)")
    try:
        code = FULL_DISK.format(scale=1.25 if fill == "before" else 1.75, fill=fill,
                                mount=str(mount))
        out = run_python(code, env={"TRACEGRAD_CACHE_DIR": str(mount / "cache"),
                                    "TRACEGRAD_WARMUP": "0"})
        result = json.loads(out.stdout.strip().splitlines()[-1])
        assert result["ok"] == [True] * 4
        saved = [w for w in result["warnings"] if "could not save" in w or "cannot use" in w]
        assert len(saved) == 1, result["warnings"]
        assert _leftovers(mount) == []
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_file_size_limit_never_fails_a_call(tmp_path):
    root = tmp_path / "limited"
    code = SIZE_LIMIT + FULL_DISK.format(scale=2.25, fill="none", mount=str(tmp_path))
    out = run_python(code, env={"TRACEGRAD_CACHE_DIR": str(root), "TRACEGRAD_WARMUP": "0"})
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["ok"] == [True] * 4
    assert len([w for w in result["warnings"] if "could not save" in w]) == 1
    assert _leftovers(root) == []
    # What was written is whole: every module there is complete Python.
    for module in root.rglob("*.py"):
        compile(module.read_text(), str(module), "exec")


DELETER = '''
import json, os, shutil, threading, time, warnings
import numpy as np
import tracegrad as tg

root = os.environ["TRACEGRAD_CACHE_DIR"]
stop = threading.Event()

def delete_again_and_again():
    while not stop.is_set():
        shutil.rmtree(root, ignore_errors=True)
        time.sleep(0.002)

threading.Thread(target=delete_again_and_again, daemon=True).start()
a = np.linspace(0.0, 1.0, 9)
ok = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for k in range(8):
        f = tg.compile(lambda x: np.tanh(x * {scale}) * (k + 1))
        ok.append(bool(np.allclose(f(a), np.tanh(a * {scale}) * (k + 1))))
stop.set()
print(json.dumps(ok))
'''


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(3))
def test_cache_root_deleted_while_compiling(tmp_path, attempt):
    code = DELETER.format(scale=0.5 + attempt)
    out = run_python(code, env={"TRACEGRAD_CACHE_DIR": str(tmp_path / "doomed"),
                                "TRACEGRAD_WARMUP": "0"})
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [True] * 8
