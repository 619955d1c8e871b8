"""Errors about SciPy's ufuncs on traced values name them as scipy.special.<name>, the
way the user wrote them, not as numpy.<name>; NumPy's keep numpy.<name>. And a value
where tracegrad.scipy.special is more accurate than SciPy (the op table compares with
SciPy only where SciPy is right)."""
import numpy as np
import pytest
import scipy.special as sp

import tracegrad as tg
import tracegrad.scipy.special as tsp  # (SciPy's ufuncs dispatch once it is loaded)


@pytest.mark.parametrize("fn, named", [
    (lambda x: sp.struve(1.0, x), "scipy.special.struve is not supported"),
    (lambda x: sp.erf(x, out=x), "scipy.special.erf(..., out=...)"),
    (lambda x: sp.gamma(x, out=x), "scipy.special.gamma(..., out=...)"),
    (lambda x: sp.jv(x, 2.0), "scipy.special.jv with a traced order"),
    (lambda x: sp.yn(x, 2.0), "scipy.special.yn with a traced order"),
    (lambda x: sp.iv(-1.5, x), "scipy.special.iv with a negative non-integer order"),
    (lambda x: sp.jv(-0.5, x), "scipy.special.jv with a negative non-integer order"),
    (lambda x: np.exp(x, out=x), "numpy.exp(..., out=...)"),
    (lambda x: np.gcd(x, x), "numpy.gcd is not supported"),
])
def test_unsupported_calls_name_the_function_as_written(fn, named):
    with pytest.raises(tg.UnsupportedError) as info:
        tg.make_ir(fn)(np.ones(2))
    assert named in str(info.value)
    assert "numpy.struve" not in str(info.value) and "numpy.erf(" not in str(info.value)


def test_betaln_keeps_its_digits_where_scipy_loses_them():
    # Reference: mpmath at 40 digits, log(beta(a, b)); SciPy gives -0.00368272874 here.
    # The result is the small difference of lgamma(b) ~ 1.77 and lgamma(a) - lgamma(a + b),
    # so a few ulps of 1.77 (4e-16 absolute) is what is left.
    a, b = np.array([74273.0806021078]), np.array([0.15826261860787955])
    want = -0.00368272849927209464602400859112066358624
    got = tg.make_ir(lambda a, b: sp.betaln(a, b))(a, b).evaluate(a, b)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-15)
    np.testing.assert_allclose(tg.compile(lambda a, b: sp.betaln(a, b))(a, b), want,
                               rtol=0, atol=1e-15)
    assert abs(sp.betaln(a, b)[0] - want) > 1e-10      # the digits SciPy loses


@pytest.mark.parametrize("fn", [sp.erf, sp.erfcx, sp.ndtr, sp.gamma, sp.log_ndtr])
def test_complex_arguments_are_refused_not_truncated(fn):
    # SciPy has complex loops for these; the traced forms are real, so a complex argument
    # raises instead of silently losing its imaginary part.
    with pytest.raises(tg.DTypeError, match=f"scipy.special.{fn.__name__} on traced "
                                            "values is defined for real arguments only"):
        tg.make_ir(lambda x: fn(x))(np.array([1.0 + 1.0j]))


@pytest.mark.parametrize("fn", [lambda x: tsp.polygamma(1, x),
                                lambda x: tsp.multigammaln(x, 2)])
def test_python_functions_refuse_complex_arguments(fn):
    with pytest.raises(tg.DTypeError, match="real arguments only"):
        tg.make_ir(fn)(np.array([1.0 + 1.0j]))


@pytest.mark.parametrize("fn, log", [(tsp.xlogy, np.log), (tsp.xlog1py, np.log1p)])
def test_xlogy_derivative_in_x_at_zero_is_log_y(fn, log):
    # JAX's convention: d/dx x*log(y) = log(y), also where x == 0 (the value is 0 there).
    gx, gy = tg.grad(fn, (0, 1))(0.0, 2.0)
    assert gx == pytest.approx(log(2.0)) and gy == 0.0
    assert tg.grad(fn)(0.0, 0.0 if fn is tsp.xlogy else -1.0) == 0.0   # log(y) infinite


def test_float32_betainc_is_double_precision_rounded_once():
    # SciPy's float32 loop computes in single precision (betainc(1e-3, 1e-3, 0.5) =
    # 0.5000074 there); tracegrad computes in float64 and rounds the result.
    a = np.array([1e-3, 300.0, 2.5], np.float32)
    b = np.array([1e-3, 200.0, 0.7], np.float32)
    x = np.array([0.5, 0.6, 0.3], np.float32)
    got = tg.compile(lambda a, b, x: sp.betainc(a, b, x))(a, b, x)
    assert got.dtype == np.float32
    want = sp.betainc(a.astype(np.float64), b.astype(np.float64), x.astype(np.float64))
    np.testing.assert_allclose(got, want.astype(np.float32), rtol=1e-7)
