"""docs/distributed.md's example runs as written (in its own process: it starts a
LocalCluster) and prints the loss going down."""
import pathlib
import re
import subprocess
import sys

import pytest

pytest.importorskip("distributed")

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "distributed.md"


def test_the_example_runs(tmp_path):
    (code,) = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)
    script = tmp_path / "example.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    first, last = map(float, done.stdout.strip().splitlines()[-1].split())
    assert last < 0.5 * first
