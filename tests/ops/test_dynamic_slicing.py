"""tracegrad.lax.dynamic_slice and its family beyond the op table (rows_dynamic.py): JAX's
documented examples, the errors, and the program the family exists for: a block at a
traced position compiles once, however many positions it is called with."""
import numpy as np
import pytest

import tracegrad as tg
from tracegrad import lax

from . import op_table  # noqa: F401  (first: it collects the rows modules)
from .rows_dynamic import np_dynamic_slice


def test_jax_documented_examples():
    x = np.arange(12).reshape(3, 4)
    np.testing.assert_array_equal(lax.dynamic_slice(x, (1, 1), (2, 3)),
                                  [[5, 6, 7], [9, 10, 11]])
    # Starts that would run past the end are moved back so the whole block fits.
    np.testing.assert_array_equal(lax.dynamic_slice(x, (1, 1), (3, 4)), x)
    np.testing.assert_array_equal(lax.dynamic_slice_in_dim(np.arange(5), 4, 3), [2, 3, 4])
    np.testing.assert_array_equal(lax.dynamic_slice_in_dim(x, 1, 2, axis=1),
                                  [[1, 2], [5, 6], [9, 10]])
    zeros, ones = np.zeros(6), np.ones(3)
    np.testing.assert_array_equal(lax.dynamic_update_slice(zeros, ones, (2,)),
                                  [0, 0, 1, 1, 1, 0])
    np.testing.assert_array_equal(lax.dynamic_update_slice(zeros, ones, (5,)),
                                  [0, 0, 0, 1, 1, 1])
    np.testing.assert_array_equal(lax.dynamic_index_in_dim(x, 2, axis=1, keepdims=False),
                                  [2, 6, 10])


def test_traced_starts_of_a_constant_array():
    data = np.arange(10.0)

    def f(i):
        return lax.dynamic_slice(data, (i,), (3,))
    for i in (0, 4, 9, -1, -20):
        expected = np_dynamic_slice(data, (i,), (3,))
        np.testing.assert_array_equal(tg.make_ir(f)(i).evaluate(i), expected)
        np.testing.assert_array_equal(tg.compile(f, tiered=False)(i), expected)


@pytest.mark.parametrize("call, error, text", [
    (lambda: lax.dynamic_slice(np.ones((2, 3)), (0,), (1, 1)), tg.ShapeError,
     "1 start indices for an operand of shape (2, 3)"),
    (lambda: lax.dynamic_slice(np.ones(4), (1.5,), (2,)), tg.DTypeError,
     "must be an integer scalar"),
    (lambda: lax.dynamic_slice(np.ones(4), (1,), (5,)), tg.ShapeError,
     "slice sizes (5,) do not fit shape (4,)"),
    (lambda: lax.dynamic_update_slice(np.ones(4), np.ones(2, np.float32), (1,)),
     tg.DTypeError, "the update's dtype f32 differs from the operand's f64"),
    (lambda: lax.dynamic_update_slice(np.ones(4), np.ones(5), (0,)), tg.ShapeError,
     "does not fit in shape (4,)"),
    (lambda: lax.dynamic_slice(np.ones((2, 3)), (0, 0), (1, 1),
                               allow_negative_indices=[True]), tg.ShapeError,
     "allow_negative_indices needs one bool per axis"),
])
def test_errors_name_the_problem(call, error, text):
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)


def test_a_batch_at_a_traced_position_compiles_once():
    """Issue 18's program: the batch `it % 4` of a dataset, selected inside the compiled
    step; every iteration is served by the one program compiled first."""
    rng = np.random.default_rng(0)
    data = rng.standard_normal(1024)

    def loss(w, it):
        batch = lax.dynamic_slice_in_dim(data, (it % 4) * 256, 256)
        return ((batch * w - 1.0) ** 2).mean()
    step = tg.compile(tg.value_and_grad(loss), tiered=False)
    w = rng.standard_normal(256)
    for it in range(12):
        value, grad = step(w, it)
        batch = data[(it % 4) * 256:(it % 4 + 1) * 256]
        np.testing.assert_allclose(value, ((batch * w - 1.0) ** 2).mean(), rtol=1e-12)
        np.testing.assert_allclose(grad, 2 * (batch * w - 1.0) * batch / 256, rtol=1e-12)
    info = step.cache_info()
    assert (info.signatures, info.hits) == (1, 11)


def test_blocks_inside_a_loop_in_both_modes():
    rng = np.random.default_rng(1)
    data = rng.standard_normal((8, 5))

    def f(w):
        def body(i, acc):
            rows = lax.dynamic_slice(data, (2 * i, 0), (2, 5))
            return acc + tg.numpy.tanh(rows @ w).sum()
        return tg.fori_loop(0, 4, body, 0.0)
    w = rng.standard_normal(5)
    tg.check_grads(f, (w,), order=2, modes=("rev", "fwd"))
    np.testing.assert_allclose(tg.compile(tg.grad(f), tiered=False)(w), tg.grad(f)(w),
                               rtol=1e-12)
