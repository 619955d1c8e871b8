"""The examples of docs/control-flow.md run as written."""
import pytest

from tests.docs_pages import examples, run_example

EXAMPLES = examples("control-flow.md")


def test_the_page_has_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_example_runs(index, capsys):
    assert run_example("control-flow.md", index, capsys).strip()    # every example prints its result
