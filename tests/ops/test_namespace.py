"""Every op-table row, every dtype: NumPy == tracegrad.numpy on concrete arrays ==
trace-then-evaluate (written with tracegrad.numpy, and with plain numpy dispatching
through __array_function__ / __array_ufunc__). Dtypes and shapes must match exactly."""
import warnings

import numpy as np
import pytest

import tracegrad
import tracegrad.numpy as tnp

from .op_table import ROWS, tolerance

PARAMS = [pytest.param(row, np.dtype(dt), id=f"{row.name}-{np.dtype(dt).name}")
          for row in ROWS for dt in row.dtypes]


def _leaves(result):
    return list(result) if isinstance(result, (tuple, list)) else [result]


def assert_same(actual, expected, dtype, row, what):
    actual, expected = _leaves(actual), _leaves(expected)
    assert len(actual) == len(expected), what
    for a, e in zip(actual, expected):
        a, e = np.asarray(a), np.asarray(e)
        assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != NumPy's {e.dtype}"
        assert a.shape == e.shape, f"{what}: shape {a.shape} != NumPy's {e.shape}"
        if e.dtype.kind in "fc":
            np.testing.assert_array_equal(np.isnan(a), np.isnan(e), err_msg=f"{what}: NaNs")
            # Compare at the lower of the input and output precisions.
            lowest = min([np.dtype(dtype), e.dtype], key=lambda d: np.finfo(d).bits
                         if d.kind in "fc" else 64)
            rtol, atol = tolerance(lowest, row)
            np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=what)
        else:
            np.testing.assert_array_equal(a, e, err_msg=what)


def traced(row, xp, args):
    return tracegrad.make_ir(lambda *a: row.fn(xp, *a))(*args).evaluate(*args)


@pytest.mark.parametrize("row, dtype", PARAMS)
def test_row(row, dtype):
    cases = row.cases(np.random.default_rng(0), dtype)
    assert cases, f"{row.name} generates no cases"
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # mean of empty slice, ...
        for args in cases:
            where = f"{row.name}{tuple(np.shape(a) for a in args)}"
            expected = row.fn(np, *args)
            assert_same(row.fn(tnp, *args), expected, dtype, row, f"{where} concrete")
            assert_same(traced(row, tnp, args), expected, dtype, row, f"{where} traced tnp")
            if row.dispatches:
                assert_same(traced(row, np, args), expected, dtype, row,
                            f"{where} traced np")


def test_numpy_functions_that_cannot_dispatch_raise_on_tracers():
    for fn in (lambda x: np.array(x), lambda x: np.asarray(x), lambda x: np.full(3, x)):
        with pytest.raises(tracegrad.ConcretizationError):
            tracegrad.make_ir(fn)(np.float64(1.0))
