"""exp, expm1 and tanh for float32/float64 as helper source text for the generated module.

Why: PyPI's llvmlite has no SVML, so `math.exp`/`math.tanh` inside a loop stay per-element
libm calls and the loop does not vectorize. These versions are branch-free arithmetic
(range reduction, a polynomial, a power of two assembled from integer bits) that LLVM
vectorizes; `a if c else b` on cheap operands becomes a vector select.

Method: x = k*ln2 + r with k = round(x/ln2) and |r| <= ln2/2 (Cody-Waite: ln2 split in a
high part with trailing zero bits, so k*LN2_HI is exact, and a low part). Then
expm1(r) = r + r^2/2 + r^3 q3(r), q3 a near-minimax polynomial (Chebyshev fit in 50-digit
arithmetic, rounded to doubles). The leading terms are kept apart from the polynomial and
added with error-free sums (TwoSum), so the result is rounded about once.

float32 functions widen to float64, use a shorter polynomial and round once: the float64
error (~1e-9 relative) is far below half a float32 ULP, so the result is within 1 ULP."""
from __future__ import annotations

# e^r - 1 = r + r^2/2 + r^3 q3(r); q3 coefficients, highest degree first, near-minimax
# (Chebyshev fit) on [-ln2/2, ln2/2]. float64: degree 9 (e^r to degree 12), 9e-19 relative.
Q3_F64 = (2.0914686968086876e-09, 2.5105217004720745e-08, 2.75572736431103e-07,
          2.7557255400206422e-06, 2.4801587325547743e-05, 0.00019841269874820627,
          0.0013888888888883748, 0.008333333333326136, 0.04166666666666667,
          0.1666666666666667)
# Degree 4 (e^r to degree 7): 1e-9 relative, for float32 results.
Q3_F32 = (0.00019882698337221478, 0.0013926183587713494, 0.008333320887169642,
          0.041666554617204574, 0.16666666666666666)

# tanh(x) = x + x^3 P(x^2) for |x| < 0.55: P highest degree first, 6e-18 / 1e-10 relative.
P_TANH_F64 = (-2.060149214083168e-05, 8.511130450065171e-05, -0.0002346336232753106,
              0.0005889356755666889, -0.001455661753739356, 0.003592110369136933,
              -0.00886323439708993, 0.021869488493635535, -0.05396825396743333,
              0.13333333333332714, -0.3333333333333333)
P_TANH_F32 = (0.002526305548093377, -0.008526274905020897, 0.021818435390737485,
              -0.05396469913966078, 0.13333324195746213, -0.3333333329500421)

INV_LN2 = 1.4426950408889634
LN2_HI = 0.6931471803691238        # 32 significant bits: k * LN2_HI is exact for |k| < 2^21
LN2_LO = 1.9082149292705877e-10
SHIFT = 6755399441055744.0         # 1.5 * 2^52: adding it rounds to an integer ...
SHIFT_BITS = 4843621399236968448   # ... which then sits in the low bits of SHIFT's pattern
TINY = 7.450580596923828e-09       # 2^-27: below it tanh(x) and expm1(x) round to x


def _horner(var: str, coeffs) -> str:
    text = repr(coeffs[0])
    for c in coeffs[1:]:
        text = f"({text} * {var} + {c!r})"
    return text


def _reduce(poly, low: float, high: float) -> str:
    """Body lines: clamp x to [low, high] (NaN becomes `high`; the caller puts it back),
    then k (int64) and expm1(r) as the unrounded sum r + c + w: r is the reduced argument
    rounded once, c its rounding error, w = r^2/2 + r^3 q3(r) with r^2/2 apart from the
    rest, so the few-ULP error of the Horner sum is scaled by r^3/6, not r^2/2."""
    return f"""
    xc = x if x < {high!r} else {high!r}
    xc = xc if xc > {low!r} else {low!r}
    t = xc * {INV_LN2!r} + {SHIFT!r}
    kf = t - {SHIFT!r}
    k = np.float64(t).view(np.int64) - np.int64({SHIFT_BITS})
    r_hi = xc - kf * {LN2_HI!r}
    r = r_hi - kf * {LN2_LO!r}
    c = (r_hi - r) - kf * {LN2_LO!r}
    rr = r * r
    w = rr * 0.5 + rr * (r * {_horner("r", poly)})"""


def _two_sum(a: str, b: str) -> str:
    """Lines setting s = fl(a + b) and e = the exact rounding error (Knuth's TwoSum)."""
    return f"""
    s = {a} + {b}
    bb = s - {a}
    e = ({a} - (s - bb)) + ({b} - bb)"""


def _exp(name: str, poly, low: float) -> str:
    # e^r = (1 + r) + w with 1 + r kept exact; 2^k as two normal factors so the only
    # rounding after the polynomial is the last product, correct down through subnormals.
    return f'''
def {name}(x):
    # exp(x) = 2^k e^r on float64, NaN-preserving; overflows to inf above ~709.78.{
    _reduce(poly, low, 710.0)}
    s = 1.0 + r
    e = (1.0 - s) + r                 # Fast2Sum: exact error of 1 + r, as |r| < 1
    p = s + ((e + c) + w)
    half = k >> 1
    s1 = np.int64((half + 1023) << 52).view(np.float64)
    s2 = np.int64((k - half + 1023) << 52).view(np.float64)
    y = (p * s1) * s2
    return y if x == x else x
'''


def _expm1(name: str, poly, low: float) -> str:
    # 2^k (r + c + w) + 2^k - 1 = 2 (h + h r - 0.5 + h (c + w)) with h = 2^(k-1): h r is exact,
    # h + h r and then - 0.5 are kept exact (Fast2Sum, TwoSum), so there is one rounding
    # at the end for every k; h stays representable for k = 1024 at the overflow edge.
    return f'''
def {name}(x):
    # expm1(x) on float64; below {low} it is -1 to double precision.{
    _reduce(poly, low, 710.0)}
    h = np.int64((k + 1022) << 52).view(np.float64)
    hr = h * r
    hi = h + hr
    lo = (h - hi) + hr{_two_sum("hi", "-0.5")}
    y = 2.0 * (s + (((e + lo) + h * c) + h * w))
    return y if (x == x and x != 0.0) else x
'''


def _tanh(name: str, poly, expm1: str) -> str:
    # Below 0.55 an odd polynomial (full relative accuracy, no division). Above,
    # 1 - 2/(t + 2) with t = expm1(2|x|) >= 2: no cancellation, and it saturates to 1 when
    # t overflows. Both are computed and one is selected, so the loop stays branch-free.
    return f'''
def {name}(x):
    # tanh(x) on float64; tiny |x| (and -0.0) return x itself.
    a = abs(x)
    s = a * a
    near_zero = a + (a * s) * {_horner("s", poly)}
    far = 1.0 - 2.0 / ({expm1}(2.0 * a) + 2.0)
    z = near_zero if a < 0.55 else far
    z = -z if x < 0.0 else z
    return x if a < {TINY!r} else z
'''


def _widened(name: str, core: str) -> str:
    return f'''
def {name}(x):
    # float32 through float64: the float64 core is far more accurate than float32 needs.
    return np.float32({core}(np.float64(x)))
'''


MATH_HELPERS = {
    "_exp_f64": _exp("_exp_f64", Q3_F64, -750.0),
    "_expm1_f64": _expm1("_expm1_f64", Q3_F64, -60.0),
    "_tanh_f64": _tanh("_tanh_f64", P_TANH_F64, "_expm1_f64"),
    # float64 cores with short polynomials; float32 overflow and underflow happen in the
    # final rounding, so smaller clamps suffice.
    "_exp_core32": _exp("_exp_core32", Q3_F32, -120.0),
    "_expm1_core32": _expm1("_expm1_core32", Q3_F32, -30.0),
    "_tanh_core32": _tanh("_tanh_core32", P_TANH_F32, "_expm1_core32"),
    "_exp_f32": _widened("_exp_f32", "_exp_core32"),
    "_expm1_f32": _widened("_expm1_f32", "_expm1_core32"),
    "_tanh_f32": _widened("_tanh_f32", "_tanh_core32"),
}

# primitive -> helper prefix; the emit table appends _f32/_f64 for float operands.
FLOAT_FUNCTIONS = {"exp": "_exp", "expm1": "_expm1", "tanh": "_tanh"}
