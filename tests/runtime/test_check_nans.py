"""check_nans: a compiled call whose result holds a NaN or inf raises FloatingPointError
naming the operation that made it (primitive, the user's line, forward or backward pass,
the element); with it off, the result comes back as it is."""
import subprocess
import sys

import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.config import config


@pytest.fixture
def checking():
    saved = config.check_nans
    config.check_nans = True
    yield
    config.check_nans = saved


def root_loss(x):
    y = tnp.sqrt(x)                                  # its derivative at 0 is inf
    return tnp.sum(y * 2.0)


ROOT_GRAD = tg.compile(tg.grad(root_loss))
SHIFTED_LOG = tg.compile(lambda x, shift: tnp.sum(tnp.log(x - shift)), static_argnums=1)


def test_off_the_result_comes_back_as_it_is():
    assert not config.check_nans
    np.testing.assert_array_equal(ROOT_GRAD(np.array([1.0, 0.0])), [1.0, np.inf])


def test_finite_results_pass(checking):
    np.testing.assert_allclose(ROOT_GRAD(np.array([1.0, 4.0])), [1.0, 0.5])


def test_a_backward_operation_is_named_with_the_forward_line(checking):
    with pytest.raises(FloatingPointError) as caught:
        ROOT_GRAD(np.array([1.0, 0.0]))
    text = str(caught.value)
    assert text.startswith("root_loss: div made inf at index [1] in the backward pass")
    assert "y = tnp.sqrt(x)" in text and "test_check_nans.py" in text


def test_a_forward_operation_is_named_and_static_arguments_stay_static(checking):
    with pytest.raises(FloatingPointError, match=r"log made nan at index \[1\] in the "
                                                 r"forward pass"):
        SHIFTED_LOG(np.array([2.0, 0.5]), 1.0)
    assert SHIFTED_LOG(np.array([2.0, 3.0]), 1.0) == pytest.approx(np.log(2.0))


def test_a_nan_argument_is_named(checking):
    with pytest.raises(FloatingPointError, match=r"argument \[0\] holds nan at index \[1\]"):
        SHIFTED_LOG(np.array([2.0, np.nan]), 1.0)


def test_the_switch_is_an_environment_variable_and_a_module_attribute():
    out = subprocess.run([sys.executable, "-c", "import tracegrad as tg; "
                          "print(tg.config.check_nans)"], capture_output=True, text=True,
                         env={**__import__("os").environ, "TRACEGRAD_CHECK_NANS": "1"})
    assert out.stdout.strip() == "True", out.stderr
    saved = config.check_nans
    try:
        tg.config.check_nans = True             # the module forwards to its settings
        assert config.check_nans is True
    finally:
        config.check_nans = saved
