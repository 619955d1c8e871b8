"""Every differentiable op-table row: reverse mode == central finite differences in
float64 (order 1, and order 2 where the row is smooth)."""
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


@pytest.mark.parametrize("row", DIFFERENTIABLE, ids=lambda r: r.name)
def test_gradient_matches_finite_differences(row):
    rng = np.random.default_rng(0)
    # Finite differences are meaningless at infinite inputs or where the value is not
    # finite (NaN inputs are fine for the nan-functions, which ignore them): such cases
    # check values only (test_namespace.py).
    cases = [args for args in (row.grad_cases or row.cases)(rng, np.float64)
             if not any(np.any(np.isinf(a)) for a in args) and _finite_output(row, args)]
    assert cases, f"row {row.name} has no finite gradient cases"
    for args in cases:
        f = _restricted(row, args)
        diff_args = tuple(args[n] for n in row.grad_argnums)
        tg.check_grads(f, diff_args, order=row.grad_order, modes=("rev",),
                       atol=1e-5, rtol=1e-4, eps=1e-6 if row.grad_order == 1 else 1e-5)
