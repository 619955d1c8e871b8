"""The vectorizable exp, expm1 and tanh of codegen/mathlib.py, compiled through the real
code path: error in ULPs against an extended-precision reference over dense sweeps of the
whole domain, and exact results for special values (signed zeros, infinities, NaN,
overflow and underflow edges, subnormals)."""
import numpy as np
import pytest

import tracegrad
from tracegrad.codegen import lower_graph

from .support import defines, ir_text

FUNCTIONS = {"exp": np.exp, "expm1": np.expm1, "tanh": np.tanh}
MAX_ULP = {("exp", "float64"): 1.0, ("expm1", "float64"): 1.0, ("tanh", "float64"): 2.0,
           ("exp", "float32"): 1.0, ("expm1", "float32"): 1.0, ("tanh", "float32"): 1.0}

SPECIAL = {
    "float64": [np.nan, np.inf, -np.inf, 0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308,
                1.7976931348623157e308, -1.7976931348623157e308, 1e-300, -1e-300,
                7.450580596923828e-09, -7.450580596923828e-09, 7.4e-09, 1e-8,
                709.782712893384, 709.7827128933841, 709.44, 710.0, -708.3964185322641,
                -708.4, -745.1332191019411, -745.1332191019412, -746.0, -60.0, -61.0,
                0.34657359027997264, -0.34657359027997264, 0.55, -0.55, 0.5499999999999999,
                1.0, -1.0, 19.0, 22.0, -22.0, 37.1, 36.0437, 1e5, -1e5],
    "float32": [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-45, 1.1754944e-38, 3.4028235e38,
                -3.4028235e38, 1e-30, -1e-30, 7.450580596923828e-09, 1e-4, -1e-4,
                88.72283, 88.72284, 89.0, -87.33655, -87.34, -103.97207, -103.97208, -104.0,
                -17.0, -30.0, 0.34657359, 0.55, -0.55, 1.0, 9.0, -9.0, 10.0, 1e5, -1e5],
}


def sweep(dtype):
    """1e6 points: the whole domain, the interesting middle, and magnitudes from subnormal
    to ~20 of both signs; then the special values."""
    rng = np.random.default_rng(7)
    wide = 760.0 if dtype == "float64" else 110.0
    lowest_log = -745.0 if dtype == "float64" else -103.0
    n = 10 ** 6 // 3
    magnitudes = np.exp(rng.uniform(lowest_log, 3.0, n)) * rng.choice([-1.0, 1.0], n)
    x = np.concatenate([rng.uniform(-wide, wide, n), rng.uniform(-2.0, 2.0, n), magnitudes,
                        np.array(SPECIAL[dtype])])
    return x.astype(dtype)


@pytest.fixture(scope="module", params=["float64", "float32"])
def results(request, loader):
    """dtype, input, and {name: (compiled result, lowered source)}: one compiled program
    per dtype computes all three functions."""
    dtype = request.param
    x = sweep(dtype)
    lowered = lower_graph(tracegrad.make_ir(
        lambda v: (np.exp(v), np.expm1(v), np.tanh(v)))(x).graph)
    outs = loader.run(lowered, x)
    return dtype, x, dict(zip(FUNCTIONS, outs)), lowered


def ulp_error(got, x, fn):
    """|got - exact| in units of the last place of the exact value in got's dtype, with the
    exact value from long double (64-bit mantissa); non-finite results must match."""
    ref = fn(x.astype(np.longdouble))
    rounded = ref.astype(got.dtype)
    finite = np.isfinite(rounded)
    ulp = np.maximum(np.spacing(np.abs(rounded)), np.finfo(got.dtype).smallest_subnormal)
    err = np.abs(got.astype(np.longdouble) - ref) / ulp.astype(np.longdouble)
    err = np.where(finite, err, 0).astype(np.float64)
    mismatched = ~finite & ~((got == rounded) | (np.isnan(got) & np.isnan(rounded)))
    return err, mismatched


@pytest.mark.skipif(np.finfo(np.longdouble).nmant < 63,
                    reason="needs an extended-precision long double as the reference")
@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_ulp_error_over_the_domain(results, name):
    dtype, x, outs, _ = results
    got = outs[name]
    assert got.dtype == dtype and got.shape == x.shape
    with np.errstate(over="ignore", invalid="ignore"):
        err, mismatched = ulp_error(got, x, FUNCTIONS[name])
    worst = int(np.argmax(err))
    assert err[worst] <= MAX_ULP[(name, dtype)], (
        f"{name}({x[worst]!r}) = {got[worst]!r}: {err[worst]:.3f} ULP")
    assert not mismatched.any(), f"{name} wrong non-finite results at {x[mismatched]}"


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_special_values(results, name):
    dtype, x, outs, _ = results
    special = np.array(SPECIAL[dtype], dtype)
    got = outs[name][-len(special):]
    with np.errstate(over="ignore", invalid="ignore"):
        want = FUNCTIONS[name](special)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    # where the true value is 0, +-1 or +-inf exactly in this dtype
    saturated = {"exp": special < -1e9, "expm1": special <= (-60 if dtype == "float64" else -30),
                 "tanh": np.abs(special) >= (22 if dtype == "float64" else 10)}[name]
    exact = np.isinf(want) | (want == 0) | np.isinf(special) | saturated
    np.testing.assert_array_equal(got[exact], want[exact])
    # signed zeros keep their sign: exp never gives -0, expm1 and tanh of -0.0 are -0.0
    zeros = got[exact] == 0
    np.testing.assert_array_equal(np.signbit(got[exact][zeros]), np.signbit(want[exact][zeros]))


def test_generated_code_calls_the_helpers(results):
    dtype, _, _, lowered = results
    bits = dtype[-2:]
    for name in FUNCTIONS:
        assert defines(lowered, f"_{name}_f{bits}")
        assert f"@llvm.{name}." not in ir_text(lowered) and f"@{name}(" not in ir_text(lowered)


def test_helpers_only_when_used_and_inlined():
    x = np.ones(1024)
    lowered = lower_graph(tracegrad.make_ir(lambda v: np.sin(v) * 2.0)(x).graph)
    assert "_exp_" not in ir_text(lowered) and "_tanh_" not in ir_text(lowered)
    lowered = lower_graph(tracegrad.make_ir(lambda v: np.tanh(v))(x).graph)
    assert defines(lowered, "_tanh_f64") and defines(lowered, "_expm1_f64")
    assert not defines(lowered, "_exp_f64")
    assert "@_tanh_f64(double %x) alwaysinline" in ir_text(lowered)


@pytest.mark.parametrize("x", [0.5, np.ones(8)])
def test_scalar_code_and_short_loops_call_libm(x):
    """Outside loops, and in loops of few iterations, the vectorizable helpers buy
    little: libm is smaller code and far quicker to compile."""
    lowered = lower_graph(tracegrad.make_ir(lambda v: (np.tanh(v), np.sin(v)))(x).graph)
    assert not defines(lowered, "_tanh_f64") and not defines(lowered, "_sin_f64")
    assert "call double @tanh(" in ir_text(lowered)


# ---- sin and cos (codegen/trig.py) ---------------------------------------------------
TRIG = {"sin": np.sin, "cos": np.cos}
TRIG_MAX_ULP = {"float64": 2.0, "float32": 1.0}
TRIG_SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -0.0, 5e-324, -5e-324, 1e-300, 1e-8, -1e-8,
                7.450580596923828e-09, np.pi / 4, -np.pi / 4, np.pi / 2, np.pi, 2 * np.pi,
                3.0, 1e5, -1e5, 999999.9, -1e6, 1e6]


def trig_sweep(dtype):
    """Within the helpers' domain |x| <= 1e6: uniform over it and over [-4, 4], magnitudes
    from subnormal up, the doubles nearest to multiples of pi/2 (where the reduction
    cancels most), then the special values."""
    rng = np.random.default_rng(11)
    n = 10 ** 6 // 4
    lowest_log = -744.0 if dtype == "float64" else -103.0
    magnitudes = np.exp(rng.uniform(lowest_log, 13.8, n)) * rng.choice([-1.0, 1.0], n)
    near = np.arange(-600_000, 600_000, 7) * (np.pi / 2)
    x = np.concatenate([rng.uniform(-1e6, 1e6, n), rng.uniform(-4.0, 4.0, n),
                        magnitudes, near, TRIG_SPECIAL]).astype(dtype)
    return x[~(np.abs(x) > 1e6)]


@pytest.fixture(scope="module", params=["float64", "float32"])
def trig_results(request, loader):
    dtype = request.param
    x = trig_sweep(dtype)
    lowered = lower_graph(tracegrad.make_ir(lambda v: (np.sin(v), np.cos(v)))(x).graph)
    return dtype, x, dict(zip(TRIG, loader.run(lowered, x))), lowered


@pytest.mark.skipif(np.finfo(np.longdouble).nmant < 63,
                    reason="needs an extended-precision long double as the reference")
@pytest.mark.parametrize("name", list(TRIG))
def test_trig_ulp_error_within_the_domain(trig_results, name):
    dtype, x, outs, _ = trig_results
    got = outs[name]
    assert got.dtype == dtype and got.shape == x.shape
    with np.errstate(invalid="ignore"):
        err, mismatched = ulp_error(got, x, TRIG[name])
    worst = int(np.argmax(err))
    assert err[worst] <= TRIG_MAX_ULP[dtype], (
        f"{name}({x[worst]!r}) = {got[worst]!r}: {err[worst]:.3f} ULP")
    assert not mismatched.any(), f"{name} wrong non-finite results at {x[mismatched]}"


@pytest.mark.parametrize("name", list(TRIG))
def test_trig_special_values(trig_results, name):
    dtype, x, outs, lowered = trig_results
    assert defines(lowered, f"_{name}_f{dtype[-2:]}")
    special = x[-len(TRIG_SPECIAL):]
    got = outs[name][-len(TRIG_SPECIAL):]
    with np.errstate(invalid="ignore"):
        want = TRIG[name](special)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    zeros = special == 0          # sin keeps the sign of zero; cos(+-0) is exactly 1
    np.testing.assert_array_equal(got[zeros], want[zeros])
    np.testing.assert_array_equal(np.signbit(got[zeros]), np.signbit(want[zeros]))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_trig_beyond_the_domain_reruns_with_libm(loader, dtype):
    """One argument above 1e6 sends the whole loop to libm: every element then equals
    NumPy's sin/cos up to libm's own rounding, the small ones included."""
    x = np.array([0.5, -2.0, 1e6 * 1.5, -3e7, 1e300 if dtype == "float64" else 3e38,
                  np.inf, np.nan, 1e-3] * 128, dtype)     # long enough for the helpers
    lowered = lower_graph(tracegrad.make_ir(lambda v: (np.sin(v), np.cos(v)))(x).graph)
    got_sin, got_cos = loader.run(lowered, x)
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(got_sin, np.sin(x), rtol=2e-16 if dtype == "float64" else 1e-7)
        np.testing.assert_allclose(got_cos, np.cos(x), rtol=2e-16 if dtype == "float64" else 1e-7)
    assert "beyond_domain" in ir_text(lowered) and "@llvm.sin." in ir_text(lowered)


# ---- log and log1p (fdlibm's algorithms, branch-free) -----------------------------------
LOGS = {"log": np.log, "log1p": np.log1p}
LOG_SPECIAL = {
    "log": [np.nan, np.inf, -np.inf, 0.0, -0.0, 5e-324, 2.2250738585072014e-308,
            2.225073858507201e-308, 1.7976931348623157e308, -1.0, -5e-324, 1.0, 2.0, 0.5,
            np.nextafter(1.0, 2.0), np.nextafter(1.0, 0.0)],
    "log1p": [np.nan, np.inf, -np.inf, 0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-17,
              -1e-17, -1.0, -1.0000000000000002, -0.9999999999999999, 1.0, 1e300,
              1.7976931348623157e308, -2.0],
}


def log_sweep(name, dtype):
    """Magnitudes over the whole positive range (log), or above -1 (log1p), dense near 1
    (log) and 0 (log1p), then the special values."""
    rng = np.random.default_rng(13)
    n = 10 ** 6 // 4
    lowest, highest = (-744.0, 709.0) if dtype == "float64" else (-103.0, 88.0)
    magnitudes = np.exp(rng.uniform(lowest, highest, n))
    if name == "log":
        parts = [magnitudes, rng.uniform(0.0, 3.0, n), 1.0 + rng.uniform(-1e-6, 1e-6, n)]
    else:
        parts = [magnitudes - 1.0, rng.uniform(-1.0, 1.0, n),
                 np.exp(rng.uniform(lowest, 0.0, n)) * rng.choice([-1.0, 1.0], n)]
    special = special_logs(name, dtype)
    return np.concatenate(parts + [np.array(special)]).astype(dtype)


def special_logs(name, dtype):
    """The special values that exist in dtype (float32 drops the tiny and huge ones)."""
    return [v for v in LOG_SPECIAL[name] if dtype == "float64" or not np.isfinite(v)
            or v == 0 or 1e-30 < abs(v) < 3e38]


@pytest.fixture(scope="module", params=[(n, d) for n in LOGS for d in ("float64", "float32")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def log_results(request, loader):
    name, dtype = request.param
    x = log_sweep(name, dtype)
    lowered = lower_graph(tracegrad.make_ir(LOGS[name])(x).graph)
    (got,) = loader.run(lowered, x)
    return name, dtype, x, got, lowered


@pytest.mark.skipif(np.finfo(np.longdouble).nmant < 63,
                    reason="needs an extended-precision long double as the reference")
def test_log_ulp_error_over_the_domain(log_results):
    name, dtype, x, got, lowered = log_results
    assert defines(lowered, f"_{name}_f{dtype[-2:]}")
    assert got.dtype == dtype and got.shape == x.shape
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        err, mismatched = ulp_error(got, x, LOGS[name])
    worst = int(np.argmax(err))
    assert err[worst] <= 1.0, f"{name}({x[worst]!r}) = {got[worst]!r}: {err[worst]:.3f} ULP"
    assert not mismatched.any(), f"{name} wrong non-finite results at {x[mismatched]}"


def test_log_special_values(log_results):
    name, dtype, x, got, _ = log_results
    special = x[-len(special_logs(name, dtype)):]
    got = got[-len(special):]
    with np.errstate(divide="ignore", invalid="ignore"):
        want = LOGS[name](special)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    exact = np.isinf(want) | (want == 0)
    np.testing.assert_array_equal(got[exact], want[exact])
    np.testing.assert_array_equal(np.signbit(got[exact]), np.signbit(want[exact]))
