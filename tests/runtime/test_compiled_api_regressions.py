"""Regressions of the compiled-function API."""
import numpy as np

import tracegrad as tg


def test_compiling_a_transformation_of_a_compiled_function():
    # grad(compiled_f) copies compiled_f's attributes (functools.wraps); compiling it
    # must not pick up compiled_f's caches and return f's value.
    @tg.compile
    def f(x):
        return (x ** 3).sum()
    x = np.array([-1.0, 0.5])
    assert f(x) == -0.875
    np.testing.assert_allclose(tg.compile(tg.grad(f))(x), 3 * x ** 2)
