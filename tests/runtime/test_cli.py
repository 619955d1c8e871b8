"""`tracegrad cache info|clear`."""
import numpy as np

import tracegrad as tg
from tracegrad.cli import main
from tracegrad.config import config
from tracegrad.runtime import cache_summary


def test_cache_info_and_clear(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(config, "cache_dir", str(tmp_path / "cli-cache"))
    unrelated = tmp_path / "cli-cache" / "not-ours"
    tg.compile(lambda x: x * 7.25)(np.ones(3))
    unrelated.mkdir()
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert "programs:  1" in out and str(tmp_path / "cli-cache") in out
    assert "(this host and versions)" in out
    assert main(["cache", "clear"]) == 0
    assert "removed 1 compiled programs" in capsys.readouterr().out
    assert cache_summary()["programs"] == 0
    assert unrelated.is_dir()                  # only tracegrad's own directories go
