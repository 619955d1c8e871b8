"""Every construct of the control-flow table against the same computation unrolled in
Python: values and first derivatives in both modes — eager (Python control flow), in the
reference interpreter (make_ir) and compiled — and, in float64, first and second
derivatives of the compiled primitives against central finite differences."""
import numpy as np
import pytest

import tracegrad as tg

from .cases import CASES

DTYPES = ["float32", "float64"]
TOL = {"float32": dict(rtol=2e-4, atol=2e-5), "float64": dict(rtol=1e-9, atol=1e-11)}


def _args(case, dtype):
    return case.make_args(np.random.default_rng(7), np.dtype(dtype))


def _close(actual, expected, dtype):
    for a, e in zip(tg.tree_leaves(actual), tg.tree_leaves(expected)):
        np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(e, np.float64),
                                   **TOL[dtype])


_COMPILED = {}


def compiled(case, what):
    """One compiled function per (case, transformation), shared by the tests."""
    key = (case.name, what)
    if key not in _COMPILED:
        f, nums = case.staged, case.argnums
        fns = {
            "value": f,
            "grad": tg.grad(f, argnums=nums),
            "jvp": lambda *a: tg.jvp(lambda *d: f(*_with(a, nums, d)),
                                     tuple(a[n] for n in nums),
                                     tuple(a[n] * 0.5 + 0.25 for n in nums))[1],
        }
        _COMPILED[key] = tg.compile(fns[what])
    return _COMPILED[key]


def _with(args, nums, values):
    full = list(args)
    for n, v in zip(nums, values):
        full[n] = v
    return full


def _reference(case, what, args):
    f, nums = case.unrolled, case.argnums
    if what == "value":
        return f(*args)
    if what == "grad":
        return tg.grad(f, argnums=nums)(*args)
    return tg.jvp(lambda *d: f(*_with(args, nums, d)), tuple(args[n] for n in nums),
                  tuple(args[n] * 0.5 + 0.25 for n in nums))[1]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_eager_matches_unrolled(case, dtype):
    args = _args(case, dtype)
    _close(case.staged(*args), case.unrolled(*args), dtype)
    _close(tg.grad(case.staged, argnums=case.argnums)(*args),
           tg.grad(case.unrolled, argnums=case.argnums)(*args), dtype)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_interpreter_matches_unrolled(case):
    args = _args(case, "float64")
    graph = tg.make_ir(tg.grad(case.staged, argnums=case.argnums))(*args)
    _close(graph.evaluate(*args), _reference(case, "grad", args), "float64")


@pytest.mark.parametrize("what", ["value", "grad", "jvp"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_compiled_matches_unrolled(case, dtype, what):
    args = _args(case, dtype)
    result = compiled(case, what)(*args)
    _close(result, _reference(case, what, args), dtype)
    for leaf, ref in zip(tg.tree_leaves(result), tg.tree_leaves(_reference(case, what, args))):
        assert np.asarray(leaf).dtype == np.asarray(ref).dtype


def _directions(args, nums, seed):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(np.shape(args[n])) for n in nums]


def _fd(f, args, nums, direction, eps=1e-6):
    plus = _with(args, nums, [args[n] + eps * d for n, d in zip(nums, direction)])
    minus = _with(args, nums, [args[n] - eps * d for n, d in zip(nums, direction)])
    return (np.asarray(f(*plus), np.float64) - np.asarray(f(*minus), np.float64)) / (2 * eps)


def _dot(grads, direction):
    grads = grads if isinstance(grads, tuple) else (grads,)
    return sum(float(np.sum(np.asarray(g) * d)) for g, d in zip(grads, direction))


@pytest.mark.parametrize("case", [c for c in CASES if c.finite_differences],
                         ids=lambda c: c.name)
def test_first_derivatives_match_finite_differences(case):
    args = _args(case, "float64")
    u = _directions(args, case.argnums, 1)
    numeric = _fd(compiled(case, "value"), args, case.argnums, u)
    np.testing.assert_allclose(_dot(compiled(case, "grad")(*args), u), numeric,
                               rtol=1e-6, atol=1e-7)


@pytest.mark.slow
@pytest.mark.parametrize("case, mode", [(c, m) for c in CASES if c.finite_differences
                                        for m in c.order2],
                         ids=lambda c: c if isinstance(c, str) else c.name)
def test_second_derivatives_match_finite_differences(case, mode):
    args = _args(case, "float64")
    nums = case.argnums
    u = _directions(args, nums, 2)
    grad = compiled(case, "grad")
    # d/de <grad f(x + e u), u>: the Hessian's quadratic form along u.
    numeric = _fd(lambda *a: _dot(grad(*a), u), args, nums, u)
    g = tg.grad(case.staged, argnums=nums)
    if mode == "fwd-over-rev":
        hvp = tg.compile(lambda *a: tg.jvp(lambda *d: g(*_with(a, nums, d)),
                                           tuple(a[n] for n in nums), tuple(u))[1])
        analytic = _dot(hvp(*args), u)
    else:
        quad = tg.compile(tg.grad(lambda *a: sum((x * d).sum() for x, d in zip(
            tg.tree_leaves(g(*a)), u)), argnums=nums))
        analytic = _dot(quad(*args), u)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)
