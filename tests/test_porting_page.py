"""docs/porting.md: its examples run as written, and every tracegrad name on the page
(`tg.X`, `tracegrad.X`) exists in the installed tracegrad."""
import pathlib
import re

import pytest

from tests.test_messages_name_what_exists import NAME, resolves

PAGE = pathlib.Path(__file__).resolve().parents[1] / "docs" / "porting.md"
TEXT = PAGE.read_text()
EXAMPLES = re.findall(r"```python\n(.*?)```", TEXT, re.S)
NAMES = sorted({m.group(0).rstrip(".") for m in NAME.finditer(TEXT)})


def test_the_page_has_five_rewrites_with_examples():
    assert len(re.findall(r"^### \d\. ", TEXT, re.M)) == 5
    assert len(EXAMPLES) == 5


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_example_runs(index, capsys):
    exec(compile(EXAMPLES[index], f"{PAGE.name} example {index}", "exec"), {})
    assert capsys.readouterr().out.strip()          # every example prints its result


def test_the_page_names_many_tracegrad_functions():
    assert len(NAMES) > 20


@pytest.mark.parametrize("name", NAMES)
def test_every_tracegrad_name_on_the_page_exists(name):
    assert resolves(name), f"docs/porting.md names {name}, which tracegrad does not have"
