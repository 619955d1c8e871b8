"""A NumPy function tracegrad lacks raises UnsupportedError naming it and the user's line,
and showing how to run it anyway: tg.pure_callback, in an example that works as written."""
import re

import numpy as np
import pytest

import tracegrad as tg


def round_to_zero(x):
    return np.fix(x)                # not in tracegrad.numpy


def test_the_message_names_the_function_and_the_escape_hatch():
    with pytest.raises(tg.UnsupportedError) as info:
        tg.make_ir(round_to_zero)(np.ones(3))
    message = str(info.value)
    assert "numpy.fix is not supported on traced values" in message
    assert "test_unsupported_suggests_callback.py" in message
    assert "tg.pure_callback(np.fix, result_type, x)" in message
    assert "tg.custom_vjp" in message and "docs/escape-hatch.md" in message


def test_the_suggested_example_runs_in_compiled_code():
    with pytest.raises(tg.UnsupportedError) as info:
        tg.make_ir(round_to_zero)(np.ones(3))
    example = re.findall(r"^    (.*?)(?:  +#.*)?$", str(info.value), re.M)
    assert len(example) == 2

    def fixed(x):
        shape, dtype = x.shape, x.dtype                         # noqa: F841  (read by the example)
        scope = {"tg": tg, "np": np, "x": x, "shape": shape, "dtype": dtype}
        exec("\n".join(example), scope)
        return scope["y"]
    x = np.array([0.0, -3.5, 6.5, 0.2])
    np.testing.assert_allclose(tg.compile(fixed)(x), np.fix(x))


def test_an_unknown_ufunc_gets_the_same_advice():
    with pytest.raises(tg.UnsupportedError, match=r"tg.pure_callback\(np.frexp"):
        tg.make_ir(lambda x: np.frexp(x))(np.ones(3))
