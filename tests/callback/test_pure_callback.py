"""pure_callback outside compiled code: values and pytrees on arrays and under eager and
abstract traces, what the callback receives, the declared types' checks, and the
errors for differentiating it."""
import numpy as np
import pytest

import tracegrad as tg
from tracegrad.ir import format_graph

S = tg.ShapeDtypeStruct


def stats(x):
    return {"mean": np.mean(x, axis=0), "extent": (np.min(x), np.max(x))}


def stats_types(x):
    row = S(x.shape[1:], x.dtype)
    return {"mean": row, "extent": (S((), x.dtype), S((), x.dtype))}


def test_on_arrays_it_calls_the_callback_and_returns_its_pytree():
    x = np.arange(6.0).reshape(3, 2)
    out = tg.pure_callback(stats, stats_types(x), x)
    np.testing.assert_array_equal(out["mean"], [2.0, 3.0])
    assert out["extent"] == (0.0, 5.0) and isinstance(out["extent"], tuple)


def test_positional_and_keyword_pytrees_reach_the_callback_as_arrays():
    seen = {}

    def callback(pair, *, scale):
        seen.update(types={type(pair[0]), type(pair[1]), type(scale)},
                    writeable=pair[0].flags.writeable)
        return pair[0] * scale + pair[1]
    f = lambda a, b: tg.pure_callback(callback, S((2,), np.float64), (a, b), scale=2.0)
    np.testing.assert_array_equal(f(np.ones(2), np.arange(2.0)), [2.0, 3.0])
    assert seen["types"] == {np.ndarray} and not seen["writeable"]
    traced = tg.make_ir(f)(np.ones(2), np.arange(2.0))
    np.testing.assert_array_equal(traced.evaluate(np.ones(2), np.arange(2.0)), [2.0, 3.0])
    assert seen["types"] == {np.ndarray}        # the interpreter passes arrays too


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64, np.bool_,
                                   np.uint8])
def test_dtypes_round_trip_eagerly_and_in_the_interpreter(dtype):
    x = (np.arange(6) % 3).astype(dtype).reshape(2, 3)
    f = lambda x: tg.pure_callback(lambda v: v[::-1].copy(), S(x.shape, x.dtype), x)
    np.testing.assert_array_equal(f(x), x[::-1])
    traced = tg.make_ir(f)(x)
    assert "pure_callback" in format_graph(traced.graph)
    out = traced.evaluate(x)
    assert out.dtype == x.dtype
    np.testing.assert_array_equal(out, x[::-1])


def test_under_an_eager_trace_the_callback_runs_once_with_concrete_values():
    calls = []

    def callback(x):
        calls.append(x.copy())
        return np.exp(x)

    def f(x):
        y = tg.pure_callback(callback, S(x.shape, x.dtype), x * 2.0)
        assert float(y[0]) == pytest.approx(np.exp(2.0))    # eager: values are concrete
        return np.sum(y * x)
    # x is differentiated, but the callback only sees stop_gradient'ed data: no error
    g = tg.grad(lambda x: f(tg.stop_gradient(x)) + np.sum(x))(np.ones(3))
    np.testing.assert_array_equal(g, np.ones(3))
    assert len(calls) == 1
    np.testing.assert_array_equal(calls[0], [2.0, 2.0, 2.0])


def test_python_scalars_are_converted_to_the_declared_dtype():
    out = tg.pure_callback(lambda x: 3, S((), np.float32), np.ones(2))
    assert out.dtype == np.float32 and out == 3.0


def test_wrong_shape_names_the_leaf_the_callback_and_the_line():
    x = np.arange(6.0).reshape(3, 2)
    types = stats_types(x)
    types["mean"] = S((3,), np.float64)
    with pytest.raises(tg.ShapeError) as info:
        tg.pure_callback(stats, types, x)
    message = str(info.value)
    assert "result leaf ['mean']" in message and "stats" in message
    assert "(2,)" in message and "(3,)" in message and "test_pure_callback.py" in message


def test_wrong_dtype_names_the_leaf_and_the_fix():
    x = np.arange(6.0).reshape(3, 2)
    types = stats_types(x)
    types["extent"] = (S((), np.float64), S((), np.float32))
    with pytest.raises(tg.DTypeError) as info:
        tg.make_ir(lambda x: tg.pure_callback(stats, types, x))(x).evaluate(x)
    message = str(info.value)
    assert "result leaf ['extent'][1]" in message and "float32" in message
    assert ".astype(np.float32)" in message


def test_wrong_structure_and_bad_declarations_are_named():
    with pytest.raises(tg.ShapeError, match="structure"):
        tg.pure_callback(lambda x: (x, x), S((2,), np.float64), np.ones(2))
    with pytest.raises(tg.ArgumentError, match=r"leaf \[1\] is int"):
        tg.pure_callback(lambda x: x, (S((2,), np.float64), 3), np.ones(2))
    with pytest.raises(tg.ArgumentError, match=r"args\[1\] is str"):
        tg.pure_callback(lambda x, s: x, S((2,), np.float64), np.ones(2), "text")
    with pytest.raises(ValueError, match="vmap_method"):
        tg.pure_callback(lambda x: x, S((2,), np.float64), np.ones(2), vmap_method="loop")


def test_vmap_method_changes_nothing_outside_vmap():
    for method in ("sequential", "expand_dims", "broadcast_all"):
        out = tg.pure_callback(np.negative, S((2,), np.float64), np.ones(2),
                               vmap_method=method)
        np.testing.assert_array_equal(out, [-1.0, -1.0])


def test_an_exception_in_the_callback_keeps_its_type_and_names_the_callback():
    def broken(x):
        raise KeyError("no such row")
    with pytest.raises(KeyError, match="no such row") as info:
        tg.grad(lambda x: np.sum(tg.pure_callback(broken, S((2,), np.float64),
                                                  tg.stop_gradient(x)) + x))(np.ones(2))
    assert any("pure_callback" in note and "broken" in note for note in info.value.__notes__)


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_differentiating_a_callback_says_to_wrap_it_in_a_custom_rule(mode):
    def f(x):
        return np.sum(tg.pure_callback(np.sin, S(x.shape, x.dtype), x))
    x = np.ones(3)
    with pytest.raises(tg.MissingRuleError) as info:
        if mode == "grad":
            tg.grad(f)(x)
        else:
            tg.jvp(f, (x,), (x,))
    message = str(info.value)
    assert "pure_callback sin" in message and "test_pure_callback.py" in message
    assert "custom_vjp" in message and "custom_jvp" in message


def test_the_ir_names_the_callback():
    text = str(tg.make_ir(lambda x: tg.pure_callback(stats, stats_types(x), x))(np.ones((2, 2))))
    assert "pure_callback[callback=stats" in text
