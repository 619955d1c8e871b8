"""Compiled erf_inv computes its logarithm itself (so loops of it vectorize): it must stay
as accurate as the NumPy reference against scipy.special.erfinv, tails near +-1 and
special values included."""
import numpy as np
import scipy.special as sp

import tracegrad as tg
from tracegrad import lax


def _points():
    rng = np.random.default_rng(0)
    tails = 10.0 ** -rng.uniform(0, 16, 20_000)
    return np.concatenate([rng.uniform(-1, 1, 100_000), 1 - tails, tails - 1,
                           rng.uniform(-1e-6, 1e-6, 1000)])


def test_compiled_erf_inv_matches_scipy_to_rounding():
    erf_inv = tg.compile(lax.erf_inv)
    for dtype, rtol in ((np.float64, 2e-15), (np.float32, 5e-7)):
        x = _points().astype(dtype)
        expected = sp.erfinv(x.astype(np.float64))
        got = erf_inv(x)
        assert got.dtype == dtype
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=0, err_msg=str(dtype))


def test_compiled_erf_inv_special_values():
    x = np.array([0.0, -0.0, 1.0, -1.0, 1.5, -2.0, np.nan, np.inf, -np.inf, 5e-324])
    got = tg.compile(lax.erf_inv)(x)
    np.testing.assert_array_equal(got, sp.erfinv(x))
    assert np.signbit(got[1])
