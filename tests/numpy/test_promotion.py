"""NumPy 2 promotion (NEP 50): Python scalars are weak, also when passed as traced
arguments; out-of-range Python ints raise as NumPy does."""
import numpy as np
import pytest

import tracegrad
import tracegrad.numpy as tnp

X32 = np.ones(3, np.float32)


def traced_dtype(fn, *args):
    return tracegrad.make_ir(fn)(*args).evaluate(*args).dtype


def test_float32_times_python_float_stays_float32():
    assert (X32 * 0.5).dtype == np.float32
    assert tnp.multiply(X32, 0.5).dtype == np.float32
    assert traced_dtype(lambda x: x * 0.5, X32) == np.float32


def test_python_float_passed_as_traced_argument_stays_weak():
    graph = tracegrad.make_ir(lambda x, s: x * s)(X32, 0.5)
    assert graph.graph.out_avals[0].dtype == np.float32
    assert graph.evaluate(X32, 0.5).dtype == np.float32


def test_python_int_argument_keeps_int8():
    x8 = np.ones(3, np.int8)
    assert traced_dtype(lambda x, s: x + s, x8, 3) == np.int8


def test_float32_array_with_float64_array_promotes():
    assert traced_dtype(lambda x, y: x * y, X32, np.ones(3)) == np.float64


@pytest.mark.parametrize("where", ["numpy", "tracegrad", "traced"])
def test_int8_plus_300_raises_like_numpy(where):
    x8 = np.ones(3, np.int8)
    with pytest.raises(OverflowError):
        x8 + 300
    with pytest.raises(OverflowError):
        if where == "numpy":
            np.add(x8, 300)
        elif where == "tracegrad":
            tnp.add(x8, 300)
        else:
            tracegrad.make_ir(lambda x: x + 300)(x8)
