"""Functional index updates (.at[] on tracers, tracegrad.numpy.at on arrays) and the
UnsupportedError for out= on traced values."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.errors import UnsupportedError

X = np.arange(12.0).reshape(3, 4)


def test_at_on_numpy_arrays_returns_a_new_array():
    idx = np.array([0, 0, 2])
    out = tnp.at(X)[idx, 1].add(1.0)
    expected = X.copy()
    np.add.at(expected, (idx, 1), 1.0)
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(X, np.arange(12.0).reshape(3, 4))   # unchanged
    np.testing.assert_array_equal(tnp.at(X)[1:, ::2].set(-1.0)[1:, ::2], -1.0)
    np.testing.assert_array_equal(tnp.at(X)[0].get(), X[0])


@pytest.mark.parametrize("how", ["set", "add", "mul"])
def test_at_with_traced_index_matches_numpy(how):
    idx = np.array([2, 0, 2, 1])
    values = np.array([10.0, 20.0, 30.0, 40.0])

    def f(x, i, v):
        return getattr(x.at[i], how)(v)

    got = tg.make_ir(f)(X[:, 0], idx, values).evaluate(X[:, 0], idx, values)
    expected = X[:, 0].copy()
    if how == "set":
        expected[idx] = values            # the last write to a repeated index wins
    else:
        (np.add if how == "add" else np.multiply).at(expected, idx, values)
    np.testing.assert_array_equal(got, expected)


def test_at_mul_with_repeats_and_constant_index():
    got = tg.make_ir(lambda x: x.at[np.array([1, 1, 3])].mul(3.0))(X[0]).evaluate(X[0])
    np.testing.assert_array_equal(got, [0.0, 9.0, 2.0, 9.0])


def test_at_gradient_flows_to_kept_entries_and_values():
    x = np.array([1.0, 2.0, 3.0])
    g = tg.grad(lambda x, v: tnp.sum(x.at[np.array([0, 2])].set(v) * np.array(
        [1.0, 10.0, 100.0])), argnums=(0, 1))(x, np.array([5.0, 6.0]))
    np.testing.assert_array_equal(g[0], [0.0, 10.0, 0.0])
    np.testing.assert_array_equal(g[1], [1.0, 100.0])


@pytest.mark.parametrize("call", [
    lambda x: np.hypot(x, x, out=np.empty(3)),
    lambda x: np.nansum(x, out=np.empty(())),
    lambda x: np.median(x, out=np.empty(())),
    lambda x: np.round(x, out=np.empty(3)),
    lambda x: np.ptp(x, out=np.empty(())),
])
def test_out_raises_on_tracers(call):
    with pytest.raises(UnsupportedError, match="out="):
        tg.make_ir(call)(np.ones(3))


def test_matrix_norm_orders_of_singular_values_trace():
    # ord=2 was unsupported before the linear-algebra primitives (svd) existed.
    x = np.array([[2.0, 1.0], [0.5, 3.0]])
    for order in (2, -2, "nuc"):
        assert tg.compile(lambda a: np.linalg.norm(a, order))(x) == \
            pytest.approx(np.linalg.norm(x, order), rel=1e-12)
