"""Every complex row: NumPy == tracegrad.numpy eager == traced and interpreted ==
compiled, in complex64 and complex128 (one compiled program per row and dtype holds all
its cases)."""
import warnings

import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.errors import UnsupportedError
from tests.complex.rows import COMPLEX, ROWS, cases, tolerance

ROW_IDS = [r.name for r in ROWS]


def quiet(fn, *args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")        # NumPy's ComplexWarning on astype
        return fn(*args)


def check(actual, expected, dtype, what):
    actual_leaves, _ = tg.tree_flatten(actual)
    expected_leaves, _ = tg.tree_flatten(expected)
    assert len(actual_leaves) == len(expected_leaves), what
    rtol, atol = tolerance(dtype)
    for a, e in zip(actual_leaves, expected_leaves):
        a, e = np.asarray(a), np.asarray(e)
        assert (a.dtype, a.shape) == (e.dtype, e.shape), \
            f"{what}: {a.dtype}{a.shape} != {e.dtype}{e.shape}"
        if a.dtype.kind in "fc":
            np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=what)
        else:
            np.testing.assert_array_equal(a, e, err_msg=what)


@pytest.mark.parametrize("dtype", COMPLEX)
@pytest.mark.parametrize("row", ROWS, ids=ROW_IDS)
def test_eager_and_interpreted_equal_numpy(row, dtype, rng):
    for args in cases(row, rng, dtype):
        expected = quiet(row.fn, np, *args)
        check(quiet(row.fn, tnp, *args), expected, dtype, f"{row.name}: tracegrad.numpy")
        # Plain np. calls on tracers dispatch to tracegrad; the graph is interpreted.
        graph = quiet(tg.make_ir(lambda *zs: row.fn(np, *zs)), *args)
        check(quiet(graph.evaluate, *args), expected, dtype, f"{row.name}: interpreted")


@pytest.mark.parametrize("dtype", COMPLEX)
@pytest.mark.parametrize("row", [r for r in ROWS if r.compiled], ids=lambda r: r.name)
def test_compiled_equals_numpy(row, dtype, rng):
    all_cases = cases(row, rng, dtype)
    program = tg.compile(lambda cases: [row.fn(np, *args) for args in cases])
    results = quiet(program, all_cases)
    for args, result in zip(all_cases, results):
        shapes = [a.shape for a in args]
        check(result, quiet(row.fn, np, *args), dtype, f"{row.name} compiled, shapes {shapes}")


@pytest.mark.parametrize("row", [r for r in ROWS if not r.compiled], ids=lambda r: r.name)
def test_compiled_without_a_rule_names_the_primitive(row, rng):
    args = cases(row, rng, np.complex128)[0]
    with pytest.raises(UnsupportedError, match=r"complex values in (asin|atan) \(at .*rows.py:\d+"):
        tg.compile(lambda *zs: row.fn(np, *zs))(*args)
