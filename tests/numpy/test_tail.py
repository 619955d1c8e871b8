"""The NumPy tail's errors on traced values: data-dependent shapes are refused with the
user's line and the fix; numpy.r_ itself cannot see tracers, tracegrad.numpy.r_ can."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp


def test_split_with_traced_points_names_the_line_and_the_fix():
    with pytest.raises(tg.UnsupportedError, match=r"numpy.split with traced "
                       r"indices_or_sections.*test_tail.py:\d+.*as constants"):
        tg.make_ir(lambda x, i: np.split(x, i))(np.ones(4), np.array([1]))


def test_hsplit_with_traced_sections_is_refused():
    with pytest.raises(tg.UnsupportedError, match="traced indices_or_sections"):
        tg.make_ir(lambda x, n: np.hsplit(x, n))(np.ones(4), np.int64(2))


def test_r_slice_with_traced_bounds_is_refused():
    with pytest.raises(tg.UnsupportedError, match="slice with traced bounds"):
        tg.make_ir(lambda x, n: tnp.r_[x, 0:n])(np.ones(2), np.int64(3))


def test_numpy_r_cannot_trace_but_tracegrad_r_does():
    def concatenated(x):
        return np.r_[x, x]
    for fn in (concatenated, lambda x: np.c_[x, x]):
        with pytest.raises(tg.ConcretizationError, match=r"(?s)test_tail.py:\d+.*Fixes: "
                           r"write tracegrad.numpy.r_\[...\] or tracegrad.numpy.c_"):
            tg.make_ir(fn)(np.ones(2))
    grad = tg.grad(lambda x: tnp.sum(tnp.r_[x, 2.0 * x] ** 2))(np.array([1.0, -3.0]))
    np.testing.assert_allclose(grad, [10.0, -30.0])


def test_r_matrix_directive_is_refused():
    with pytest.raises(tg.UnsupportedError, match="matrix directives"):
        tg.make_ir(lambda x: tnp.r_["r", x, x])(np.ones(2))


def test_einsum_interleaved_label_out_of_range():
    with pytest.raises(ValueError, match=r"valid range \[0, 52\)"):
        tg.make_ir(lambda x: np.einsum(x, [0, 52]))(np.ones((2, 2)))


def test_piecewise_calls_each_function_on_all_of_x():
    seen = []
    f = tg.compile(lambda x: np.piecewise(x, [x < 0], [lambda v: seen.append(v.shape) or -v,
                                                       lambda v: v]))
    np.testing.assert_array_equal(f(np.array([-1.0, 2.0, -3.0])), [1.0, 2.0, 3.0])
    assert seen == [(3,)]


def test_complex_signals_match_numpy_compiled():
    rng = np.random.default_rng(1)
    a = rng.normal(size=5) + 1j * rng.normal(size=5)
    v = rng.normal(size=3) + 1j * rng.normal(size=3)
    t = np.linspace(-0.5, 2.5, 7)
    cases = [lambda a, v: np.correlate(a, v, "same"),        # conjugates v
             lambda a, v: np.correlate(v, a, "full"),
             lambda a, v: np.convolve(v, a, "valid"),
             lambda a, v: np.interp(t, [0.0, 1.0, 2.0], v)]  # complex fp: complex128
    for fn in cases:
        expected = fn(a, v)
        actual = tg.compile(fn)(a, v)
        assert actual.dtype == expected.dtype and actual.shape == expected.shape
        np.testing.assert_allclose(actual, expected, rtol=1e-13, atol=1e-13)
