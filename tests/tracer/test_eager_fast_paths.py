"""The eager engine's shortcuts (remembered shape rules, ufunc dispatch plans, cached
source lines, the unguarded product for finite local derivatives) change no answer and
no message."""
import math
import warnings

import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.errors import ShapeError


def _nth(f, n):
    for _ in range(n):
        f = tg.grad(f)
    return f


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_nested_eager_grad_of_sin_cycles(order):
    x = 0.7
    expected = [math.sin, math.cos, lambda v: -math.sin(v), lambda v: -math.cos(v)][order % 4]
    assert float(_nth(tnp.sin, order)(x)) == pytest.approx(expected(x), rel=1e-12)


def test_nested_grad_of_a_product_with_an_infinite_local_derivative_stays_nan_free():
    # d/dx sqrt(x) is inf at 0: the guarded product must still give 0 where the
    # cotangent is 0, at every order.
    def f(x):
        return tnp.where(x > 0, tnp.sqrt(tnp.where(x > 0, x, 1.0)), 0.0) * x
    for order in (1, 2, 3):
        value = float(_nth(f, order)(0.0))
        assert np.isfinite(value), order


def test_shape_errors_still_name_the_line_after_the_rule_was_remembered():
    def ok(x):
        return tnp.sum(x * np.ones(3))
    tg.grad(ok)(np.ones(3))                       # the rule for (3,) * (3,) is cached

    def bad(x):
        return tnp.sum(x * np.ones(4))            # the line the error names
    with pytest.raises(ShapeError) as info:
        tg.grad(bad)(np.ones(3))
    assert "x * np.ones(4)" in str(info.value)


def test_each_operation_records_its_own_line():
    def f(x):
        y = x * 2.0
        z = tnp.sin(y)
        return z
    graph = tg.make_ir(f)(np.float64(1.0))
    text = str(graph)
    lines = {node.split("#")[-1].strip() for node in text.splitlines() if "#" in node}
    assert len(lines) >= 2, text


def test_operators_take_lists_and_arrays_as_before():
    def f(x):
        return tnp.sum(x + [1.0, 2.0]) + tnp.sum(x * np.array([3.0, 4.0]))
    assert np.allclose(tg.grad(f)(np.array([0.5, 1.5])), [4.0, 5.0])


def test_eager_operations_are_quiet_and_leave_numpy_settings_alone():
    before = np.geterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = tg.value_and_grad(lambda x: tnp.sum(tnp.log(x * 0.0) * 0.0))(
            np.ones(2))
    assert np.isnan(value)
    assert np.geterr() == before


def test_weak_python_scalars_keep_float32():
    def f(x):
        return tnp.sum(x * 2.0 + 1)
    x = np.ones(3, np.float32)
    g = tg.grad(f)(x)
    assert g.dtype == np.float32
    assert np.allclose(g, 2.0)
