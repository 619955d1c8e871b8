"""Float sums and products: the accumulator's add carries LLVM's `reassoc` flag (and only
it), so LLVM vectorizes the loop with several partial sums. Results match NumPy for every
shape of remainder and reduced-axis layout, sit next to max/argmax with NaNs in the same
loop, and are at least as accurate as a sequential sum."""
import math

import numpy as np
import pytest

import tracegrad
from tracegrad.codegen import lower_graph

from .support import data_loops, kernel_functions


def lowered_and_run(loader, fn, *args):
    lowered = lower_graph(tracegrad.make_ir(fn)(*args).graph)
    return lowered, loader.run(lowered, *args)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("shape,axis", [((1000,), None), ((3, 1000), 1), ((5, 300), None),
                                        ((4, 128), 1), ((2, 127), 1), ((129, 3), 0)])
def test_sums_and_products_match_numpy(loader, dtype, shape, axis):
    x = np.random.default_rng(3).uniform(0.5, 1.5, shape).astype(dtype)
    lowered, (total, product) = lowered_and_run(
        loader, lambda v: (np.sum(v * 2.0, axis=axis), np.prod(v, axis=axis)), x)
    rtol = 1e-5 if dtype == "float32" else 1e-13
    assert total.dtype == dtype and product.dtype == dtype
    np.testing.assert_allclose(total, np.sum(x * 2.0, axis=axis), rtol=rtol)
    np.testing.assert_allclose(product, np.prod(x.astype(np.float64), axis=axis), rtol=rtol)
    if axis != 0:       # (reducing an outer axis accumulates in the output, in order)
        (kernel,) = kernel_functions(lowered)
        assert "fadd reassoc contract double" in kernel   # sums accumulate in float64
        assert "fmul reassoc contract double" in kernel


def test_sums_beside_max_and_argmax_with_nans(loader):
    x = np.random.default_rng(4).standard_normal((3, 500))
    x[0, 100] = np.nan
    x[0, 300] = np.nan
    x[2, 77] = 9.0
    x[2, 401] = 9.0
    lowered, (s, m, am) = lowered_and_run(
        loader, lambda v: (np.sum(v, axis=1), np.max(v, axis=1), np.argmax(v, axis=1)), x)
    np.testing.assert_allclose(s, np.sum(x, axis=1), rtol=1e-13)
    np.testing.assert_array_equal(m, np.max(x, axis=1))
    np.testing.assert_array_equal(am, np.argmax(x, axis=1))    # the first NaN, the first max


def test_vectorized_sum_is_accurate(loader):
    x = np.random.default_rng(5).uniform(0.0, 1.0, 200_000)
    lowered, (total,) = lowered_and_run(loader, lambda v: (np.sum(v),), x)
    exact = math.fsum(x)
    assert abs(total - exact) <= 1e-15 * exact
    assert data_loops(lowered) == 1


def test_only_accumulators_are_reassociated(loader):
    x = np.arange(20.0)
    lowered, (total,) = lowered_and_run(loader, lambda v: (np.sum(v * 3.0 + 1.0),), x)
    assert total == np.sum(x * 3.0 + 1.0)
    (kernel,) = kernel_functions(lowered)
    reassociated = [line for line in kernel.splitlines() if "reassoc" in line]
    assert len(reassociated) == 1 and "fadd" in reassociated[0]
