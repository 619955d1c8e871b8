"""Arguments as NumPy would take them: lists of numbers are arrays (tuples stay pytrees),
Python bools promote like NumPy's, and ndarray subclasses whose meaning would be lost
are refused with the fix."""
import numpy as np
import pytest

import tracegrad as tg
from tracegrad.errors import ArgumentError


@pytest.fixture(scope="module")
def sin_twice():
    return tg.compile(lambda x: np.sin(x) * 2.0)


# ---- lists of numbers are arrays ------------------------------------------------------

def test_compiled_function_takes_a_list_as_np_asarray_would(sin_twice):
    expected = np.sin(np.asarray([1.0, 2.0])) * 2.0
    np.testing.assert_allclose(sin_twice([1.0, 2.0]), expected)
    # The signature is the converted array's: an ndarray of that type reuses it.
    np.testing.assert_allclose(sin_twice(np.array([1.0, 2.0])), expected)
    assert sin_twice.cache_info().misses == 1


def test_nested_int_and_bool_lists_get_numpy_dtypes_and_shapes():
    identity = tg.compile(lambda x: x)
    for value in ([[1, 2], [3, 4]], [True, False], [1, 2.5], [(1.0, 2.0), (3.0, 4.0)]):
        got, want = identity(value), np.asarray(value)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def test_eager_gradients_take_lists():
    np.testing.assert_allclose(tg.grad(lambda x: np.sum(x * x))([1.0, 2.0]), [2.0, 4.0])
    value, grad = tg.value_and_grad(lambda x: np.sum(x ** 3))([1.0, 2.0])
    assert value == 9.0 and type(grad) is np.ndarray
    np.testing.assert_allclose(grad, [3.0, 12.0])
    out, tangent = tg.jvp(np.sin, ([0.0, 1.0],), ([1.0, 1.0],))
    np.testing.assert_allclose(tangent, np.cos([0.0, 1.0]))
    np.testing.assert_allclose(tg.jacrev(lambda x: x * 2.0)([1.0, 2.0]), 2.0 * np.eye(2))
    np.testing.assert_allclose(tg.jacfwd(lambda x: x * 2.0)([1.0, 2.0]), 2.0 * np.eye(2))


def test_a_list_inside_a_pytree_is_an_array_leaf():
    grads = tg.grad(lambda p: np.sum(p["w"] ** 2) + p["b"])({"w": [1.0, 2.0], "b": 0.5})
    np.testing.assert_allclose(grads["w"], [2.0, 4.0])
    assert grads["b"] == 1.0


def test_tuples_and_lists_of_arrays_stay_pytrees():
    # A tuple of numbers keeps weakly typed scalars, as NumPy indexing a tuple does.
    scale = tg.compile(lambda x, t: x * t[0] + t[1])
    out = scale(np.ones(2, np.float32), (0.5, 2.0))
    assert out.dtype == np.float32
    assert tg.grad(lambda t: t[0] * t[1])((2.0, 3.0)) == (3.0, 2.0)
    pair = tg.compile(lambda xs: xs[0].sum() + xs[1].sum())
    assert pair([np.ones(2), np.ones(3)]) == 5.0


# ---- Python bools promote as in NumPy 2 -----------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int8])
def test_python_bool_argument_and_literal(dtype):
    x = np.array([1, 2, 3], dtype)
    n = 3
    with_argument = tg.compile(lambda x, b: x * b)(x, True)
    with_literal = tg.compile(lambda x: x * (n == 3) + (n == 4))(x)
    for got, want in ((with_argument, x * True), (with_literal, x * (n == 3) + (n == 4))):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_gradient_through_a_python_bool():
    n = 3
    np.testing.assert_allclose(tg.grad(lambda x: np.sum(x * (n == 3)))(np.ones(2)), 1.0)
    np.testing.assert_allclose(tg.grad(lambda x, b: np.sum(x * b))(np.ones(2), False), 0.0)


# ---- ndarray subclasses ---------------------------------------------------------------

MASKED = np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0])


@pytest.mark.parametrize("call", [
    lambda x: tg.compile(lambda x: np.sum(x))(x),
    lambda x: tg.grad(lambda x: np.sum(x))(x),
    lambda x: tg.vjp(np.sum, x),
    lambda x: tg.make_ir(np.sum)(x),
], ids=["compile", "grad", "vjp", "make_ir"])
def test_masked_arrays_are_refused_with_the_fix(call):
    with pytest.raises(ArgumentError, match=r"masked array .* x\.filled\(value\).* x\.data"):
        call(MASKED)


def test_the_refusal_names_the_argument_and_the_line():
    f = tg.compile(lambda params, x: np.sum(params["w"] * x))
    with pytest.raises(ArgumentError) as error:
        f({"w": MASKED}, np.ones(3))
    assert "argument params['w'] is a numpy.ma masked array" in str(error.value)
    assert "test_inputs_hardening.py" in str(error.value)


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
def test_matrices_and_unknown_subclasses_are_refused_memmaps_accepted(tmp_path):
    with pytest.raises(ArgumentError, match=r"numpy\.matrix.*np\.asarray\(x\)"):
        tg.compile(lambda x: x * x)(np.matrix([[1.0, 2.0]]))

    class Tagged(np.ndarray):
        pass
    with pytest.raises(ArgumentError, match="subclass of numpy.ndarray"):
        tg.grad(lambda x: np.sum(x))(np.ones(2).view(Tagged))

    mapped = np.memmap(tmp_path / "x.bin", dtype=np.float64, mode="w+", shape=(3,))
    mapped[:] = 2.0
    np.testing.assert_allclose(tg.compile(lambda x: x * x)(mapped), 4.0)
    np.testing.assert_allclose(tg.grad(lambda x: np.sum(x * x))(mapped), 4.0)


MASKED = np.ma.array([1.0, 2.0, 3.0], mask=[0, 1, 0])


@pytest.mark.parametrize("fn", [lambda x: x * MASKED, lambda x: np.multiply(x, MASKED),
                                lambda x: np.sum(x + np.matrix([[1.0, 2.0, 3.0]]))],
                         ids=["closure-operator", "closure-ufunc", "matrix-closure"])
def test_closed_over_masked_arrays_and_matrices_are_refused(fn):
    # Not only arguments: a subclass the function closes over would lose its meaning too.
    with pytest.raises(ArgumentError, match="masked array|numpy.matrix"):
        tg.compile(fn)(np.ones(3))
