"""Using an abstract traced value concretely raises ConcretizationError naming the
user's line (this file) and the fix."""
import inspect
import os

import numpy as np
import pytest

import tracegrad

HERE = os.path.basename(__file__)


def python_if(x):
    if x.sum() > 0:
        return x
    return -x


def python_while(x):
    while x.max() > 1:
        x = x / 2
    return x


CASES = {
    "bool": (lambda x: bool(x[0]), "bool(x[0])"),
    "float": (lambda x: float(x.sum()), "float(x.sum())"),
    "int": (lambda x: int(x[0]), "int(x[0])"),
    "if": (python_if, "if x.sum() > 0:"),
    "while": (python_while, "while x.max() > 1:"),
}


def line_of(fn, text):
    lines, first = inspect.getsourcelines(fn)
    return first + next(i for i, line in enumerate(lines) if text in line)


@pytest.mark.parametrize("name", CASES)
def test_concretization_error_names_the_line_and_the_fix(name):
    fn, text = CASES[name]
    with pytest.raises(tracegrad.ConcretizationError) as info:
        tracegrad.make_ir(fn)(np.ones(3))
    message = str(info.value)
    assert f"{HERE}:{line_of(fn, text)}" in message
    assert "static_argnums" in message


def test_static_argument_is_the_fix():
    def f(x, n):
        return x * 2 if n > 0 else x
    assert "mul" in str(tracegrad.make_ir(f, static_argnums=1)(np.ones(3), 1))
