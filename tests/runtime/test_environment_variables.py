"""Environment variables (tracegrad/config.py): a value tracegrad cannot read stops the
import with a message naming the variable and what it accepts; good values are read."""
import os
import subprocess
import sys

import pytest

from tracegrad.config import Config


@pytest.mark.parametrize("name, value, accepted", [
    ("TRACEGRAD_THREADS", "abc", "whole number >= 0"),
    ("TRACEGRAD_THREADS", "-2", "whole number >= 0"),
    ("TRACEGRAD_TIERED", "maybe", "1, true, yes, on"),
])
def test_a_bad_value_stops_the_import_naming_the_variable(name, value, accepted):
    env = {**os.environ, name: value}
    result = subprocess.run([sys.executable, "-c", "import tracegrad"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ValueError: ")
    assert f"{name}={value!r}" in last_line and accepted in last_line


@pytest.mark.parametrize("name", ["TRACEGRAD_CHECK", "TRACEGRAD_DISABLE_DISK_CACHE",
                                  "TRACEGRAD_TIERED", "TRACEGRAD_WARMUP"])
def test_every_switch_rejects_an_unknown_word(monkeypatch, name):
    monkeypatch.setenv(name, "enabled")
    with pytest.raises(ValueError, match=f"{name}='enabled' is not a switch"):
        Config()


@pytest.mark.parametrize("value, expected", [("1", True), (" Yes ", True), ("ON", True),
                                             ("0", False), ("off", False), ("", True)])
def test_switch_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("TRACEGRAD_TIERED", value)        # default on: "" keeps it
    assert Config().tiered is expected


def test_thread_count_is_read(monkeypatch):
    monkeypatch.setenv("TRACEGRAD_THREADS", " 4 ")
    assert Config().threads == 4
    monkeypatch.setenv("TRACEGRAD_THREADS", "2.5")
    with pytest.raises(ValueError, match="TRACEGRAD_THREADS='2.5'"):
        Config()
