"""The examples of docs/escape-hatch.md run as written, and say what the page says."""
import re

import numpy as np
import pytest

from tests.docs_pages import examples, run_example

EXAMPLES = examples("escape-hatch.md")


def run(index, capsys) -> str:
    return run_example("escape-hatch.md", index, capsys)


def test_the_page_has_its_three_examples():
    assert len(EXAMPLES) == 3


def test_pure_callback_example_gives_the_same_value_eagerly_and_compiled(capsys):
    eager, compiled = map(float, run(0, capsys).split())
    assert eager == pytest.approx(compiled, rel=1e-12)


def test_gaussian_process_fit_has_gradients_that_match_finite_differences(capsys):
    out = run(1, capsys)
    fitted = re.search(r"length, scale, noise: \[(.*?)\]", out).group(1)
    noise = float(fitted.split()[2])
    assert 0.05 < noise < 0.2                     # the data's noise is 0.1
    difference = float(re.search(r"finite differences\|: (\S+)", out).group(1))
    assert difference < 1e-5


def test_custom_jvp_example_gives_cos_in_both_modes(capsys):
    lines = run(2, capsys).strip().splitlines()
    expected = np.cos([0.1, 1.0, 2.0])
    for line in lines:
        np.testing.assert_allclose(np.array(line.strip("[]").split(), float), expected,
                                   rtol=1e-7)
