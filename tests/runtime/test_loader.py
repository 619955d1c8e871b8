"""Loading generated modules: files, modes, the in-memory module cache, repair of
corrupt machine-code files, and the fallbacks when the cache directory is unusable.
Programs here are hand-built to the codegen contract, so no codegen is involved."""
import os
import subprocess
import stat

import numpy as np
import pytest

from tracegrad.config import config
from tracegrad.runtime import loader, notices
from tracegrad.runtime.disk_cache import program_directory
from tracegrad.runtime.loader import COMPILED, MEMORY, load_module, machine_code_files

from .support import add_program


def load(lowered):
    return load_module(lowered.key, lowered.source, lowered.entry)


def test_module_is_written_atomically_with_its_machine_code(cache_dir):
    lowered = add_program()
    loaded = load(lowered)
    assert loaded.origin == COMPILED
    (out,) = loaded.entry(np.arange(3.0), np.ones(3))
    np.testing.assert_array_equal(out, [1.0, 2.0, 3.0])
    assert loaded.path == program_directory().path / f"{lowered.key}.py"
    assert loaded.path.read_text() == lowered.source
    assert stat.S_IMODE(loaded.path.stat().st_mode) == 0o644
    assert stat.S_IMODE(program_directory().path.stat().st_mode) == 0o700
    assert program_directory().path.parent == cache_dir
    assert {p.suffix for p in machine_code_files(loaded.path)} == {".nbi", ".nbc"}
    assert not list(loaded.path.parent.glob("*.tmp"))
    assert loader.module_name(lowered.key) in __import__("sys").modules


def test_second_load_in_a_process_is_a_memory_hit():
    lowered = add_program()
    first = load(lowered)
    again = load(lowered)
    assert again.origin == MEMORY and again.entry is first.entry


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
@pytest.mark.parametrize("suffix", [".nbi", ".nbc"])
def test_corrupt_machine_code_is_deleted_and_recompiled_with_a_warning(damage, suffix):
    lowered = add_program()
    path = load(lowered).path
    (victim,) = [p for p in machine_code_files(path) if p.suffix == suffix]
    data = victim.read_bytes()
    victim.write_bytes(data[:len(data) // 3] if damage == "truncate" else b"\x80garbage" * 9)
    notices.forget_warnings()
    with pytest.warns(notices.TracegradWarning, match="unreadable compiled code"):
        module = loader._execute_or_repair(path, lowered.source,
                                           loader.module_name(lowered.key) + "_again")
    (out,) = module.add(np.ones(3), np.ones(3))
    np.testing.assert_array_equal(out, [2.0, 2.0, 2.0])
    # The repaired cache loads cleanly next time.
    module = loader._execute_or_repair(path, lowered.source,
                                       loader.module_name(lowered.key) + "_third")
    assert sum(module.add.stats.cache_hits.values()) == 1


@pytest.fixture
def settings():
    saved = config.cache_dir, config.disable_disk_cache
    yield config
    config.cache_dir, config.disable_disk_cache = saved


def test_uncreatable_cache_dir_falls_back_to_a_private_directory(settings, tmp_path):
    (tmp_path / "a-file").write_text("")
    settings.cache_dir = str(tmp_path / "a-file" / "cache")
    notices.forget_warnings()
    with pytest.warns(notices.TracegradWarning, match="cannot use the cache directory"):
        directory = program_directory()
    assert not directory.persistent
    (out,) = load(add_program()).entry(np.ones(3), np.ones(3))
    assert out.tolist() == [2.0, 2.0, 2.0]


def _make_read_only(directory) -> bool:
    """chmod 500; for root (which ignores mode bits) also the immutable attribute.
    Returns whether writing into the directory now fails."""
    directory.chmod(0o500)
    if not os.access(directory, os.W_OK):
        return True
    subprocess.run(["chattr", "+i", str(directory)], capture_output=True)
    try:
        (directory / "probe").write_text("")
    except OSError:
        return True
    (directory / "probe").unlink()
    return False


def _make_writable(directory):
    subprocess.run(["chattr", "-i", str(directory)], capture_output=True)
    directory.chmod(0o700)


def test_read_only_cache_dir_falls_back_to_a_private_directory(settings, tmp_path):
    root = tmp_path / "read-only"
    root.mkdir()
    try:
        if not _make_read_only(root):
            pytest.skip("cannot make a read-only directory here: running as root without "
                        "chattr support")
        settings.cache_dir = str(root)
        notices.forget_warnings()
        with pytest.warns(notices.TracegradWarning, match="cannot use the cache directory"):
            assert not program_directory().persistent
        (out,) = load(add_program()).entry(np.ones(3), np.ones(3))
        assert out.tolist() == [2.0, 2.0, 2.0]
    finally:
        _make_writable(root)


def test_disabled_disk_cache_writes_nothing_persistent(settings, cache_dir):
    settings.disable_disk_cache = True
    before = sorted(cache_dir.rglob("*"))
    loaded = load(add_program())
    assert not program_directory().persistent
    assert cache_dir not in loaded.path.parents
    assert sorted(cache_dir.rglob("*")) == before


def test_cache_cleared_by_another_process_is_recreated():
    from tracegrad.runtime import clear_cache
    load(add_program())
    clear_cache()
    (out,) = load(add_program()).entry(np.ones(3), np.ones(3))
    assert out.tolist() == [2.0, 2.0, 2.0]
    assert program_directory().path.is_dir()
