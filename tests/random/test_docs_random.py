"""The examples of docs/random.md run as written and print what the text says."""
import re

import pytest

from tests.docs_pages import examples, page, run_example

EXAMPLES = examples("random.md")


def run(index, capsys) -> list:
    return run_example("random.md", index, capsys).strip().splitlines()


def test_the_page_has_examples():
    assert len(EXAMPLES) == 5


def test_the_same_key_gives_the_same_numbers(capsys):
    assert run(0, capsys)[-2:] == ["True", "False"]


def test_the_stochastic_objective_reaches_its_minimum(capsys):
    assert run(1, capsys) == ["[ 2.  -0.3]"]


def test_dropout_masks_follow_the_key(capsys):
    assert run(2, capsys) == ["True False"]


def test_the_graph_shows_one_cipher_node(capsys):
    out = "\n".join(run(3, capsys))
    assert out.count("threefry2x32") == 1 and "iota" in out


def test_the_numpy_random_error_shows_the_rewrite(capsys):
    assert run(4, capsys) == ["... 0.5 * tg.random.normal(key, (3,)) ..."]


FUNCTIONS = re.findall(r"^(?:\| |- )`(\w+)\(", page("random.md").read_text(), re.M)


def test_the_page_lists_the_functions():
    assert {"key", "split", "fold_in", "normal", "permutation"} <= set(FUNCTIONS)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_on_the_page_exists(name):
    import tracegrad.random
    assert callable(getattr(tracegrad.random, name))
