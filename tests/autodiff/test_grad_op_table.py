"""Every differentiable op-table row: reverse and forward mode == central finite
differences in float64 (order 1, and order 2 where the row is smooth)."""
import numpy as np
import pytest

import tracegrad as tg
from tests.ops.op_table import ROWS

DIFFERENTIABLE = [r for r in ROWS if r.grad_order > 0]


def _restricted(row, args):
    """row.fn as a function of its differentiated arguments only."""
    def f(*diff_args):
        full = list(args)
        for n, a in zip(row.grad_argnums, diff_args):
            full[n] = a
        return row.fn(np if row.dispatches else tg.numpy, *full)
    return f


def _finite_output(row, args):
    with np.errstate(all="ignore"):
        out = row.fn(np if row.dispatches else tg.numpy, *args)
    return all(np.all(np.isfinite(o)) for o in tg.tree_leaves(out))


def gradient_cases(row):
    """The row's float64 cases where finite differences mean something: no infinite
    inputs and a finite value (NaN inputs are fine for the nan-functions, which ignore
    them); the other cases check values only (test_namespace.py)."""
    rng = np.random.default_rng(0)
    cases = [args for args in (row.grad_cases or row.cases)(rng, np.float64)
             if not any(np.any(np.isinf(a)) for a in args) and _finite_output(row, args)]
    assert cases, f"row {row.name} has no finite gradient cases"
    return cases


@pytest.mark.parametrize("mode", ["rev", "fwd"])
@pytest.mark.parametrize("row", DIFFERENTIABLE, ids=lambda r: r.name)
def test_derivatives_match_finite_differences(row, mode):
    # Order 2 in forward mode checks forward over reverse: the JVP of the VJP.
    for args in gradient_cases(row):
        f = _restricted(row, args)
        diff_args = tuple(args[n] for n in row.grad_argnums)
        tg.check_grads(f, diff_args, order=row.grad_order, modes=(mode,),
                       atol=1e-5, rtol=1e-4, eps=1e-6 if row.grad_order == 1 else 1e-5)
