"""The disk cache against another local user: a directory someone else owns or can
write into is never used (so nothing planted there — a pickle Numba would unpickle, a
module — runs in this process), no `.pyc` beside a module is ever imported, and no
symlink inside the cache is followed."""
import importlib.util
import json
import marshal
import os
import pickle
import stat

import numpy as np
import pytest

from tracegrad.runtime import disk_cache, loader, notices
from tracegrad.runtime.disk_cache import UnsafeCacheDirectory, prepare_persistent

from .support import add_program, run_python

# {scale} gives each test its own program; it prints whether the result was right, the
# warnings, and where the module was loaded from.
PROGRAM = '''
import json, warnings
import numpy as np
import tracegrad as tg

def f(a):
    return np.sin(a) * {scale}

compiled = tg.compile(f)
a = np.linspace(-1.0, 1.0, 5)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    out = compiled(a)
print(json.dumps({{"correct": bool(np.allclose(out, f(a))),
                  "key": compiled.lower(a).program.lowered.key,
                  "disk_hits": compiled.cache_info().disk_hits,
                  "warnings": [str(w.message) for w in caught]}}))
'''


def run(root, scale):
    code = PROGRAM.format(scale=scale)
    out = run_python(code, env={"TRACEGRAD_CACHE_DIR": str(root), "TRACEGRAD_WARMUP": "0"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def layout_of(root):
    (layout,) = [p for p in root.iterdir() if p.is_dir()]
    return layout


class Payload:
    """Unpickling it creates a marker file: proof that the pickle was read."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_world_writable_root_is_not_used(tmp_path):
    root = tmp_path / "shared"
    root.mkdir()
    root.chmod(0o777)
    result = run(root, 1.5)
    assert result["correct"]
    assert any("writable by other users" in w and "chmod go-w" in w
               for w in result["warnings"])
    assert list(root.iterdir()) == []           # nothing written, so nothing read


def test_a_root_owned_by_another_user_is_not_used(tmp_path, monkeypatch):
    # A simulated foreign owner: this process pretends to be another uid.
    root = tmp_path / "theirs"
    root.mkdir(mode=0o700)
    monkeypatch.setattr(disk_cache, "_current_user", lambda: os.geteuid() + 4242)
    with pytest.raises(UnsafeCacheDirectory, match="belongs to another user"):
        prepare_persistent(root)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a directory away")
def test_a_root_given_to_another_user_is_not_used(tmp_path):
    root = tmp_path / "given-away"
    root.mkdir(mode=0o700)
    os.chown(root, 4242, 4242)
    result = run(root, 2.5)
    assert result["correct"]
    assert any("belongs to another user" in w for w in result["warnings"])
    assert list(root.iterdir()) == []


def test_a_swapped_layout_directory_is_not_used(tmp_path, monkeypatch):
    root = tmp_path / "root"
    layout = prepare_persistent(root)
    layout.chmod(0o777)                          # as if someone else had put it there
    with pytest.raises(UnsafeCacheDirectory, match="writable by other users"):
        prepare_persistent(root)
    layout.chmod(0o700)
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    layout.rename(tmp_path / "old-layout")
    layout.symlink_to(target)                    # a symlink below the root
    with pytest.raises(UnsafeCacheDirectory, match="not a directory"):
        prepare_persistent(root)


def test_a_planted_index_pickle_is_never_unpickled(tmp_path):
    root = tmp_path / "cache"
    first = run(root, 3.5)
    layout = layout_of(root)
    (index,) = (layout / "__pycache__").glob(f"{first['key']}.*.nbi")
    marker = tmp_path / "pwned"
    index.write_bytes(pickle.dumps(Payload(marker)))
    root.chmod(0o777)                            # the attacker could write there
    result = run(root, 3.5)
    assert result["correct"] and not marker.exists()
    assert any("writable by other users" in w for w in result["warnings"])


def test_a_planted_pyc_beside_a_module_is_never_imported(tmp_path):
    root = tmp_path / "cache"
    first = run(root, 4.5)
    module = layout_of(root) / f"{first['key']}.py"
    marker = tmp_path / "pwned"
    code = compile(f"open({str(marker)!r}, 'w')", str(module), "exec")
    info = module.stat()
    pyc = importlib.util.cache_from_source(str(module))
    os.makedirs(os.path.dirname(pyc), exist_ok=True)
    header = importlib.util.MAGIC_NUMBER + (0).to_bytes(4, "little") + \
        int(info.st_mtime).to_bytes(4, "little") + (info.st_size & 0xFFFFFFFF).to_bytes(4, "little")
    with open(pyc, "wb") as f:                   # stamped to match the module exactly
        f.write(header + marshal.dumps(code))
    result = run(root, 4.5)
    assert result["correct"] and result["disk_hits"] == 1 and not marker.exists()


def test_a_symlinked_lock_file_is_not_followed(tmp_path):
    lowered = add_program()
    directory = disk_cache.program_directory()
    victim = tmp_path / "victim"
    lock = directory.path / f"{lowered.key}.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(victim)
    loaded = loader.load_module(lowered.key, lowered.source, lowered.entry)
    (out,) = loaded.entry(np.arange(3.0), np.ones(3))
    np.testing.assert_array_equal(out, [1.0, 2.0, 3.0])
    assert not victim.exists() and not lock.is_symlink()


def test_temporary_files_of_the_cache_markers_are_not_followed(tmp_path):
    root = tmp_path / "fresh"
    root.mkdir(mode=0o700)
    layout = root / disk_cache.layout_name()
    layout.mkdir(mode=0o700)
    victims = [tmp_path / "victim-tag", tmp_path / "victim-about"]
    # The names an earlier version used for its temporary files: predictable.
    (root / f".CACHEDIR.TAG.{os.getpid()}.tmp").symlink_to(victims[0])
    (layout / f".ABOUT.txt.{os.getpid()}.tmp").symlink_to(victims[1])
    prepare_persistent(root)
    assert not any(v.exists() for v in victims)
    assert (root / "CACHEDIR.TAG").is_file() and (layout / "ABOUT.txt").is_file()
    assert stat.S_IMODE(layout.stat().st_mode) == 0o700


def test_index_and_lock_replaced_by_directories_are_repaired(tmp_path):
    lowered = add_program()
    first = loader.load_module(lowered.key, lowered.source, lowered.entry)
    (index,) = [p for p in loader.machine_code_files(first.path) if p.suffix == ".nbi"]
    lock = first.path.with_suffix(".lock")
    for entry in (index, lock):
        if entry.is_dir():
            continue
        entry.unlink(missing_ok=True)
        entry.mkdir()
        (entry / "inside").write_text("")
    loader._loaded.pop(lowered.key)              # as a new process would load it
    notices.forget_warnings()
    with pytest.warns(notices.TracegradWarning, match="unreadable compiled code"):
        again = loader.load_module(lowered.key, lowered.source, lowered.entry)
    (out,) = again.entry(np.arange(3.0), np.ones(3))
    np.testing.assert_array_equal(out, [1.0, 2.0, 3.0])
    assert index.is_file() and lock.is_file()
