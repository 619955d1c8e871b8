"""The batching column of the op table: every row under `vmap`, with each argument mapped
along axis 0, 1, -1 or not at all, against the per-example results stacked — values,
`vmap` of gradients (per-example gradients) and gradients through `vmap` — eagerly, and
compiled (one case and one choice of axes per row, to keep the suite's compile time
bounded)."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tests.ops.op_table import ROWS

BATCH = 3
AXES = (0, 1, -1, None)


def _xp(row):
    return np if row.dispatches else tnp


def _examples(row, cases_fn):
    """BATCH examples of the row's first few argument tuples (same shapes, different
    values): [[args of example k] for each case]."""
    per_seed = [cases_fn(np.random.default_rng(k), np.float64) for k in range(BATCH)]
    return [list(group) for group in zip(*per_seed)][:2]


def _axis_for(arg, variant, position):
    choice = AXES[(variant + position) % len(AXES)]
    ndim = np.ndim(arg)
    if choice in (1, -1) and ndim == 0:
        return 0
    return choice


def _batched_call(row, examples, variant):
    """(in_axes, batched args) for one variant: argument i mapped along AXES[(variant+i) % 4]
    (axis 0 for scalars instead of 1/-1; example 0's value when unmapped)."""
    n = len(examples[0])
    axes = tuple(_axis_for(examples[0][i], variant, i) for i in range(n))
    args = []
    for i, axis in enumerate(axes):
        if axis is None:
            args.append(examples[0][i])
        else:
            args.append(np.stack([np.asarray(ex[i]) for ex in examples], axis=axis))
    if all(a is None for a in axes):
        axes = (0,) + axes[1:]
        args[0] = np.stack([np.asarray(ex[0]) for ex in examples], axis=0)
    return axes, args


def _per_example(axes, args, k):
    return [a if axis is None else np.take(a, k, axis=axis) for a, axis in zip(args, axes)]


def _stack_outputs(results):
    leaves = [tg.tree_leaves(r) for r in results]
    return [np.stack([np.asarray(l[j]) for l in leaves]) for j in range(len(leaves[0]))]


def _close(actual, expected, what):
    actual = [np.asarray(a) for a in tg.tree_leaves(actual)]
    assert len(actual) == len(expected), what
    for a, e in zip(actual, expected):
        assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
        assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != {e.dtype}"
        np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12, equal_nan=True, err_msg=what)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_vmap_values_match_stacked_examples(row):
    if np.float64 not in [np.dtype(d).type for d in row.dtypes]:
        pytest.skip("no float64 cases")
    fn = lambda *a: row.fn(_xp(row), *a)
    for case, examples in enumerate(_examples(row, row.cases)):
        # every choice of axes on the first case; the default axes on the second
        for variant in range(len(AXES)) if case == 0 else (0,):
            axes, args = _batched_call(row, examples, variant)
            with np.errstate(all="ignore"):
                expected = _stack_outputs([fn(*_per_example(axes, args, k))
                                           for k in range(BATCH)])
                _close(tg.vmap(fn, in_axes=axes)(*args), expected, f"vmap in_axes={axes}")
                if variant == 0 and case == 0:
                    _close(tg.compile(tg.vmap(fn, in_axes=axes))(*args), expected,
                           f"compiled vmap in_axes={axes}")


DIFFERENTIABLE = [r for r in ROWS if r.grad_order > 0]


def _scalar(row):
    """The row's output summed to a scalar (weighted, so every element counts apart)."""
    def f(*a):
        total = 0.0
        for leaf in tg.tree_leaves(row.fn(_xp(row), *a)):
            if np.issubdtype(leaf.dtype, np.floating):
                total = total + tnp.sum(tnp.sin(leaf))
        return total
    return f


@pytest.mark.parametrize("row", DIFFERENTIABLE, ids=lambda r: r.name)
def test_vmap_of_grad_and_grad_of_vmap(row):
    if np.float64 not in [np.dtype(d).type for d in row.dtypes]:
        pytest.skip("no float64 cases")
    f = _scalar(row)
    nums = row.grad_argnums
    for examples in _examples(row, row.grad_cases or row.cases)[:1]:
        axes, args = _batched_call(row, examples, 0)
        with np.errstate(all="ignore"):
            per = [tg.grad(f, nums)(*_per_example(axes, args, k)) for k in range(BATCH)]
            # vmap of grad: per-example gradients, stacked along axis 0.
            expected = [np.stack([p[j] for p in per]) for j in range(len(nums))]
            _close(tg.vmap(tg.grad(f, nums), in_axes=axes)(*args), expected,
                   f"vmap(grad) in_axes={axes}")
            # grad through vmap: a mapped argument's gradient is the per-example
            # gradients placed along its axis; an unmapped one's is their sum.
            total = lambda *a: tnp.sum(tg.vmap(f, in_axes=axes)(*a))
            expected = [np.sum([p[j] for p in per], axis=0) if axes[n] is None else
                        np.stack([p[j] for p in per], axis=axes[n])
                        for j, n in enumerate(nums)]
            _close(tg.grad(total, nums)(*args), expected, f"grad(vmap) in_axes={axes}")
