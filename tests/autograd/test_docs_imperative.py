"""The examples of docs/imperative.md run as written."""
import pathlib
import re

import pytest

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "imperative.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)


def test_the_page_has_examples():
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_example_runs(index, capsys):
    exec(compile(EXAMPLES[index], f"{PAGE.name} example {index}", "exec"), {})
    assert capsys.readouterr().out.strip()          # every example prints its result
