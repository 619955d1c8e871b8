"""The op table: one row per NumPy-namespace function (and per primitive reached through
it). Several test files run over it:

- test_namespace.py: NumPy == tracegrad.numpy on concrete arrays == trace-then-evaluate
- autodiff tests:    gradient == central finite differences (order 1, and 2 if smooth)
- codegen tests:     compiled == interpreter

A row's `fn(xp, *args)` is written once against a NumPy-like module `xp`; the tests call
it with `numpy` (the oracle), with `tracegrad.numpy`, and traced with both (plain `np.`
calls on tracers dispatch to tracegrad.numpy).
"""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

FLOATS = (np.float32, np.float64)


@dataclasses.dataclass(frozen=True)
class Row:
    name: str
    fn: Callable                          # fn(xp, *args) -> array or tuple of arrays
    cases: Callable                       # cases(rng, dtype) -> list of argument tuples
    dtypes: tuple = FLOATS
    grad_order: int = 2                   # 0: not differentiable, 1: first order, 2: smooth
    grad_argnums: tuple = (0,)            # which arguments are differentiated
    grad_cases: Callable | None = None    # inputs away from kinks/domain edges (default: cases)
    rtol: float | None = None             # None: by dtype (see tolerance())
    atol: float | None = None
    compiled: bool = True                 # also run through tracegrad.compile
    # False where plain `np.fn` cannot reach tracegrad on traced arguments (np.array and
    # np.full don't call __array_function__; np.full_like dispatches on its first
    # argument only): run such rows with xp=tracegrad.numpy.
    dispatches: bool = True


def tolerance(dtype, row: Row | None = None):
    """(rtol, atol) for comparing two computations of the same function."""
    if row is not None and row.rtol is not None:
        return row.rtol, row.atol or 0.0
    if np.dtype(dtype) == np.float32:
        return 2e-6, 1e-6
    return 1e-13, 1e-13


# Shapes exercised by unary rows: scalar, size-0, size-1 dims, broadcastable, plain.
UNARY_SHAPES = [(), (0,), (1,), (5,), (3, 1), (2, 3, 4)]
# Pairs of broadcastable shapes for binary rows.
BINARY_SHAPES = [((), ()), ((5,), ()), ((), (5,)), ((3, 1), (1, 4)), ((2, 3, 4), (4,)),
                 ((0,), (1,)), ((1,), (0,)), ((2, 1, 3), (5, 1))]


def unary(low=-2.0, high=2.0, shapes=UNARY_SHAPES):
    def cases(rng, dtype):
        return [(rng.uniform(low, high, s).astype(dtype),) for s in shapes]
    return cases


def binary(low=-2.0, high=2.0, low2=None, high2=None, shapes=BINARY_SHAPES):
    def cases(rng, dtype):
        lo2 = low if low2 is None else low2
        hi2 = high if high2 is None else high2
        return [(rng.uniform(low, high, a).astype(dtype), rng.uniform(lo2, hi2, b).astype(dtype))
                for a, b in shapes]
    return cases


def _collect_rows() -> list[Row]:
    """Rows live in sibling modules named rows_*.py, each defining ROWS."""
    import importlib
    import pkgutil
    import tests.ops as package
    rows = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("rows_"):
            rows.extend(importlib.import_module(f"tests.ops.{info.name}").ROWS)
    names = [r.name for r in rows]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, f"duplicate op-table rows: {duplicates}"
    return rows


ROWS: list[Row] = _collect_rows()


def rows_by_name() -> dict[str, Row]:
    return {r.name: r for r in ROWS}
