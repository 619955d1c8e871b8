"""The examples of docs/imperative.md run as written."""
import pytest

from tests.docs_pages import examples, run_example

EXAMPLES = examples("imperative.md")


def test_the_page_has_examples():
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_example_runs(index, capsys):
    assert run_example("imperative.md", index, capsys).strip()    # every example prints its result
