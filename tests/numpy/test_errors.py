"""Errors from the namespace name the operation, the shapes or function, and the user's
line (this file)."""
import os

import numpy as np
import pytest

import tracegrad

HERE = os.path.basename(__file__)


def line_after(fn):
    return f"{HERE}:{fn.__code__.co_firstlineno + 1}"


def test_shape_error_names_op_shapes_and_line():
    def f(x):
        return x + np.ones(4)
    with pytest.raises(tracegrad.ShapeError) as info:
        tracegrad.make_ir(f)(np.ones(3))
    message = str(info.value)
    assert "add" in message and "(3,)" in message and "(4,)" in message
    assert line_after(f) in message


def test_matmul_shape_error():
    def f(x):
        return x @ np.ones((4, 2))
    with pytest.raises(tracegrad.ShapeError, match="matmul"):
        tracegrad.make_ir(f)(np.ones((2, 3)))


@pytest.mark.parametrize("name, fn", [
    ("numpy.linalg.eigvals", lambda x: np.linalg.eigvals(x)),
    ("numpy.linalg.eig", lambda x: np.linalg.eig(x)),
    ("numpy.unique", lambda x: np.unique(x)),
    ("numpy.add.reduce", lambda x: np.add.reduce(x)),
])
def test_unsupported_numpy_function_is_named(name, fn):
    with pytest.raises(tracegrad.UnsupportedError) as info:
        tracegrad.make_ir(fn)(np.ones((3, 3)))
    assert name in str(info.value)
    assert HERE in str(info.value)


def test_traced_boolean_mask_suggests_where():
    def f(x):
        return x[x > 0]
    with pytest.raises(tracegrad.TracegradError) as info:
        tracegrad.make_ir(f)(np.ones(3))
    assert "where" in str(info.value)
    assert line_after(f) in str(info.value)


def test_converting_a_tracer_to_numpy_raises():
    with pytest.raises(tracegrad.ConcretizationError):
        tracegrad.make_ir(lambda x: np.asarray(x))(np.ones(3))
