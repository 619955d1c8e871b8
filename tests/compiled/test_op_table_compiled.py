"""Every op-table row through tracegrad.compile: compiled values == the reference
interpreter == the tiered start's interpreted answer (float32 and float64), and compiled
gradients == eager gradients (float64).

Compiles are the slow part (~0.2–0.5 s each), so each (row, dtype) is ONE program that
computes up to three of the row's cases (the first two and the last, which is usually the
edge case) — values and, in float64, the VJPs of all of them."""
import numpy as np
import pytest

import tracegrad as tg
from tests.ops.op_table import ROWS, tolerance
from tests.runtime.support import interpreted_only

MAX_CASES = 3


def _pick(cases):
    chosen = cases[:MAX_CASES - 1] + cases[-1:] if len(cases) > MAX_CASES else cases
    return list(chosen)


def _xp(row):
    return np if row.dispatches else tg.numpy


def _assert_same(actual, expected, rtol, atol, what):
    actual_leaves, actual_tree = tg.tree_flatten(actual)
    expected_leaves, expected_tree = tg.tree_flatten(expected)
    assert actual_tree == expected_tree, what
    for a, e in zip(actual_leaves, expected_leaves):
        a, e = np.asarray(a), np.asarray(e)
        assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != {e.dtype}"
        assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
        if a.dtype.kind in "fc":
            np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=what)
        else:
            np.testing.assert_array_equal(a, e, err_msg=what)


VALUE_PARAMS = [pytest.param(row, np.dtype(dt), id=f"{row.name}-{np.dtype(dt).name}")
                for row in ROWS if row.compiled for dt in row.dtypes]


@pytest.mark.parametrize("row,dtype", VALUE_PARAMS)
def test_compiled_values_match_interpreter(row, dtype, rng):
    cases = _pick(row.cases(rng, dtype))
    xp = _xp(row)

    def all_cases(cases):
        return [row.fn(xp, *args) for args in cases]

    with np.errstate(all="ignore"):
        expected = tg.make_ir(all_cases)(cases).evaluate(cases)
        actual = tg.compile(all_cases)(cases)
        tiered_fn = interpreted_only(all_cases)
        tiered = tiered_fn(cases)
    assert tiered_fn.cache_info().interpreted == 1
    rtol, atol = tolerance(dtype, row)
    _assert_same(actual, expected, rtol, atol, f"{row.name} ({dtype.name})")
    _assert_same(tiered, actual, rtol, atol, f"{row.name} ({dtype.name}), tiered start")


def _finite_case(row, args):
    if any(np.any(np.isinf(a)) for a in args):
        return False
    with np.errstate(all="ignore"):
        out = row.fn(_xp(row), *args)
    return all(np.all(np.isfinite(o)) for o in tg.tree_leaves(out))


GRAD_PARAMS = [pytest.param(row, id=row.name) for row in ROWS
               if row.compiled and row.grad_order > 0 and np.float64 in row.dtypes]


@pytest.mark.parametrize("row", GRAD_PARAMS)
def test_compiled_gradients_match_eager(row, rng):
    cases = _pick([c for c in (row.grad_cases or row.cases)(rng, np.float64)
                   if _finite_case(row, c)])
    assert cases, f"{row.name}: no finite gradient cases"
    xp = _xp(row)

    def gradients(cases, cotangents):
        results = []
        for args, ct in zip(cases, cotangents):
            def restricted(*diff):
                full = list(args)
                for n, d in zip(row.grad_argnums, diff):
                    full[n] = d
                return row.fn(xp, *full)
            _, vjp_fn = tg.vjp(restricted, *[args[n] for n in row.grad_argnums])
            results.append(vjp_fn(ct))
        return results

    def cotangent(out):
        return tg.tree_map(lambda o: rng.uniform(0.5, 1.5, np.shape(o)).astype(
            np.asarray(o).dtype), out)

    cotangents = [cotangent(row.fn(xp, *args)) for args in cases]
    with np.errstate(all="ignore"):
        expected = gradients(cases, cotangents)
        actual = tg.compile(gradients)(cases, cotangents)
    _assert_same(actual, expected, 1e-10, 1e-12, f"gradient of {row.name}")
