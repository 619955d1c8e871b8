"""Mismatches in control flow are clear errors that name the leaf, both avals and the
user's line; Python control flow on traced values names the structured replacement."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.errors import (ArgumentError, ConcretizationError, MissingRuleError,
                              ShapeError)

X = np.arange(3.0)


def staged(f):
    return lambda *args: tg.make_ir(f)(*args)


def test_carry_dtype_change_names_leaf_and_avals():
    def f(x):
        return tg.scan(lambda c, _: ({"h": c["h"].astype(np.float32)}, None),
                       {"h": x}, None, length=2)
    with pytest.raises(ShapeError) as err:
        staged(f)(X)
    text = str(err.value)
    assert "['h']" in text and "f64[3]" in text and "f32[3]" in text
    assert "test_errors.py" in text


def test_carry_shape_change():
    with pytest.raises(ShapeError, match=r"\[1\]: f64\[3\] in, then f64\[2\]"):
        staged(lambda x: tg.fori_loop(0, 3, lambda i, c: (c[0], c[1][:2]), (x, x)))(X)


def test_carry_structure_change():
    with pytest.raises(ArgumentError, match="structure"):
        staged(lambda x: tg.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1,), (0, x)))(X)


def test_branches_must_agree():
    with pytest.raises(ShapeError, match=r"(?s)true_fun.*f64\[3\] vs f64\[\]") as err:
        staged(lambda x: tg.cond(x.sum() > 0, lambda v: v.sum(), lambda v: v, x))(X)
    assert "test_errors.py" in str(err.value)
    with pytest.raises(ArgumentError, match="structure"):
        staged(lambda x: tg.cond(x.sum() > 0, lambda v: (v, v), lambda v: v, x))(X)


def test_while_condition_must_be_a_boolean_scalar():
    with pytest.raises(ShapeError, match="boolean scalar"):
        staged(lambda x: tg.while_loop(lambda c: c, lambda c: c - 1, x))(X)
    with pytest.raises(ShapeError, match="boolean"):
        staged(lambda x: tg.while_loop(lambda c: c.sum(), lambda c: c - 1, x))(X)


def test_scan_lengths_and_body_result():
    with pytest.raises(ShapeError, match="disagree"):
        staged(lambda x: tg.scan(lambda c, a: (c, a), x, (np.ones((3, 2)), np.ones((4, 2)))))(X)
    with pytest.raises(ShapeError, match="length="):
        staged(lambda x: tg.scan(lambda c, a: (c, a), x, None))(X)
    with pytest.raises(ArgumentError, match="pair"):
        staged(lambda x: tg.scan(lambda c, a: c, x, np.ones((3, 2))))(X)


def test_python_if_on_traced_value_names_cond():
    def f(x):
        if x.sum() > 0:
            return x
        return -x
    with pytest.raises(ConcretizationError, match="tg.cond") as err:
        tg.compile(f)(X)
    assert "tg.while_loop" in str(err.value)


def test_reverse_over_reverse_through_while_tape_is_a_clear_error():
    def f(x):
        return (tg.while_loop(lambda c: c.sum() < 10.0, lambda c: c * 1.5, x) ** 2).sum()
    with pytest.raises(MissingRuleError, match="forward over reverse"):
        tg.compile(tg.grad(lambda x: tg.grad(f)(x).sum()))(X + 1.0)


def test_weak_initial_value_takes_the_body_dtype():
    # A Python scalar carry promotes to the body's dtype, as in JAX.
    out = tg.compile(lambda x: tg.fori_loop(0, 3, lambda i, c: c + x.sum(), 0.0))(
        X.astype(np.float32))
    assert out.dtype == np.float32 and out == np.float32(9.0)


def test_eager_constructs_run_python_control_flow():
    calls = []

    def body(i, c):
        calls.append(i)
        return c * 2
    assert tg.fori_loop(0, 4, body, 1.0) == 16.0
    assert calls == [0, 1, 2, 3]                  # plain ints, one call per iteration
    assert tg.cond(True, lambda: 1, lambda: 2) == 1
    carry, ys = tg.scan(lambda c, x: (c + x, c * x), 0.0, tnp.arange(4.0))
    assert carry == 6.0 and list(np.asarray(ys)) == [0.0, 0.0, 2.0, 9.0]
