"""exp, expm1, tanh, log and log1p for float32/float64 as LLVM IR helper functions that
vectorize.

Why: PyPI's llvmlite has no SVML, so `llvm.exp`/libm `tanh` inside a loop stay per-element
libm calls and the loop does not vectorize. These versions are branch-free arithmetic
(range reduction, a polynomial, a power of two assembled from integer bits) that LLVM
vectorizes once they are inlined (`alwaysinline`); conditions become vector selects.

Method: x = k*ln2 + r with k = round(x/ln2) and |r| <= ln2/2 (Cody-Waite: ln2 split in a
high part with trailing zero bits, so k*LN2_HI is exact, and a low part). Then
expm1(r) = r + r^2/2 + r^3 q3(r), q3 a near-minimax polynomial (Chebyshev fit in 50-digit
arithmetic, rounded to doubles). The leading terms are kept apart from the polynomial and
added with error-free sums (TwoSum), so the result is rounded about once.

log and log1p follow fdlibm (Sun's freely distributable libm, < 1 ULP): x = 2^k (1 + f)
with 1 + f in [sqrt(2)/2, sqrt(2)), s = f/(2 + f), log(1 + f) = f - s (f - R(s^2)) with a
degree-7 polynomial R, and k ln2 in two parts; log1p runs the same on u = 1 + x and adds
the rounding error of that sum, (1 + x - u)/u. fdlibm's branches become selects.

float32 functions widen to float64, use a shorter polynomial and round once: the float64
error (~1e-9 relative) is far below half a float32 ULP, so the result is within 1 ULP."""
from __future__ import annotations

from .irtext import Emitter, Function, double_hex

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
PURE = "alwaysinline nounwind willreturn memory(none)"


class D:
    """float64 arithmetic on an Emitter, written like the formulas it implements."""

    def __init__(self, e: Emitter):
        self.e = e

    @staticmethod
    def c(value: float) -> str:
        return double_hex(value)

    def add(self, a, b):
        return self.e.fop("fadd", "double", a, b)

    def sub(self, a, b):
        return self.e.fop("fsub", "double", a, b)

    def mul(self, a, b):
        return self.e.fop("fmul", "double", a, b)

    def div(self, a, b):
        return self.e.fop("fdiv", "double", a, b)

    def neg(self, a):
        return self.e.fneg("double", a)

    def lt(self, a, b):
        return self.e.fcmp("olt", "double", a, b)

    def gt(self, a, b):
        return self.e.fcmp("ogt", "double", a, b)

    def select(self, cond, a, b):
        return self.e.select(cond, "double", a, b)

    def fabs(self, a):
        return self.e.intrinsic("fabs", "double", a)

    def bits(self, a):
        return self.e.cast("bitcast", "double", a, "i64")

    def from_bits(self, i):
        return self.e.cast("bitcast", "i64", i, "double")

    def horner(self, var, coeffs):
        acc = self.c(coeffs[0])
        for c in coeffs[1:]:
            acc = self.add(self.mul(acc, var), self.c(c))
        return acc

    def two_sum(self, a, b):
        """(s, e): s = fl(a + b) and its exact rounding error (Knuth's TwoSum)."""
        s = self.add(a, b)
        bb = self.sub(s, a)
        err = self.add(self.sub(a, self.sub(s, bb)), self.sub(b, bb))
        return s, err

    def is_number(self, x):
        return self.e.fcmp("oeq", "double", x, x)


def _reduce(d: D, x, poly, low, high):
    """(k as i64, r, c, w): clamp x to [low, high] (NaN becomes `high`; the caller puts
    it back), then expm1(r) as the unrounded sum r + c + w: r is the reduced argument
    rounded once, c its rounding error, w = r^2/2 + r^3 q3(r) with r^2/2 apart from the
    rest, so the few-ULP error of the Horner sum is scaled by r^3/6, not r^2/2."""
    e = d.e
    xc = d.select(d.lt(x, d.c(high)), x, d.c(high))
    xc = d.select(d.gt(xc, d.c(low)), xc, d.c(low))
    t = d.add(d.mul(xc, d.c(INV_LN2)), d.c(SHIFT))
    kf = d.sub(t, d.c(SHIFT))
    k = e.iop("sub", "i64", d.bits(t), str(SHIFT_BITS))
    r_hi = d.sub(xc, d.mul(kf, d.c(LN2_HI)))
    r = d.sub(r_hi, d.mul(kf, d.c(LN2_LO)))
    c = d.sub(d.sub(r_hi, r), d.mul(kf, d.c(LN2_LO)))
    rr = d.mul(r, r)
    w = d.add(d.mul(rr, d.c(0.5)), d.mul(rr, d.mul(r, d.horner(r, poly))))
    return k, r, c, w


def _power_of_two(d: D, k, bias: int):
    """2^(k + bias - 1023) assembled from its exponent bits."""
    e = d.e
    return d.from_bits(e.iop("shl", "i64", e.iop("add", "i64", k, str(bias)), "52"))


def _exp_body(d: D, x, poly, low):
    # e^r = (1 + r) + w with 1 + r kept exact; 2^k as two normal factors so the only
    # rounding after the polynomial is the last product, correct down through subnormals.
    e = d.e
    k, r, c, w = _reduce(d, x, poly, low, 710.0)
    s = d.add(d.c(1.0), r)
    err = d.add(d.sub(d.c(1.0), s), r)          # Fast2Sum: exact error of 1 + r, |r| < 1
    p = d.add(s, d.add(d.add(err, c), w))
    half = e.iop("ashr", "i64", k, "1")
    s1 = _power_of_two(d, half, 1023)
    s2 = _power_of_two(d, e.iop("sub", "i64", k, half), 1023)
    y = d.mul(d.mul(p, s1), s2)
    return d.select(d.is_number(x), y, x)


def _expm1_body(d: D, x, poly, low):
    # 2^k (r + c + w) + 2^k - 1 = 2 (h + h r - 0.5 + h (c + w)) with h = 2^(k-1): h r is
    # exact, h + h r and then - 0.5 are kept exact (Fast2Sum, TwoSum), so there is one
    # rounding at the end for every k; h stays representable for k = 1024.
    e = d.e
    k, r, c, w = _reduce(d, x, poly, low, 710.0)
    h = _power_of_two(d, k, 1022)
    hr = d.mul(h, r)
    hi = d.add(h, hr)
    lo = d.add(d.sub(h, hi), hr)
    s, err = d.two_sum(hi, d.c(-0.5))
    y = d.mul(d.c(2.0), d.add(s, d.add(d.add(d.add(err, lo), d.mul(h, c)), d.mul(h, w))))
    keep = e.iop("and", "i1", d.is_number(x), e.fcmp("une", "double", x, d.c(0.0)))
    return d.select(keep, y, x)


def _tanh_body(d: D, x, poly, expm1_name):
    # Below 0.55 an odd polynomial (full relative accuracy, no division). Above,
    # 1 - 2/(t + 2) with t = expm1(2|x|) >= 2: no cancellation, and it saturates to 1 when
    # t overflows. Both are computed and one is selected, so the loop stays branch-free.
    e = d.e
    a = d.fabs(x)
    s = d.mul(a, a)
    near = d.add(a, d.mul(d.mul(a, s), d.horner(s, poly)))
    t = e.helper(expm1_name, "double", [("double", d.mul(d.c(2.0), a))])
    far = d.sub(d.c(1.0), d.div(d.c(2.0), d.add(t, d.c(2.0))))
    z = d.select(d.lt(a, d.c(0.55)), near, far)
    z = d.select(d.lt(x, d.c(0.0)), d.neg(z), z)
    return d.select(d.lt(a, d.c(TINY)), x, z)


# fdlibm's e_log.c: log(1+f) = f - s (f - R), R = z (LG1 + z (LG2 + ...)) split in even
# and odd parts; |error of R| < 2^-58.45.
LG = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
      2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
      1.479819860511658591e-01)
TWO54 = 1.80143985094819840000e+16
SMALLEST_NORMAL = 2.2250738585072014e-308


def _log_core(d: D, u, k_adjust, c):
    """log(u) + c for finite u > 0 (c: a tiny correction added with the low-order part).
    k_adjust: an i64 added to the exponent (-54 after scaling a subnormal up)."""
    e = d.e
    bits = d.bits(u)
    hx = e.iop("lshr", "i64", bits, "32")
    k = e.iop("add", "i64", e.iop("sub", "i64", e.iop("lshr", "i64", hx, "20"), "1023"),
              k_adjust)
    hx = e.iop("and", "i64", hx, str(0x000fffff))
    i = e.iop("and", "i64", e.iop("add", "i64", hx, str(0x95f64)), str(0x100000))
    # Mantissa into [sqrt(2)/2, sqrt(2)): exponent 0, or -1 when the mantissa is large.
    high = e.iop("or", "i64", hx, e.iop("xor", "i64", i, str(0x3ff00000)))
    low = e.iop("and", "i64", bits, str(0xffffffff))
    m = d.from_bits(e.iop("or", "i64", e.iop("shl", "i64", high, "32"), low))
    k = e.iop("add", "i64", k, e.iop("lshr", "i64", i, "20"))
    dk = e.cast("sitofp", "i64", k, "double")
    f = d.sub(m, d.c(1.0))
    s = d.div(f, d.add(d.c(2.0), f))
    z = d.mul(s, s)
    w = d.mul(z, z)
    t1 = d.mul(w, d.horner(w, (LG[5], LG[3], LG[1])))
    t2 = d.mul(z, d.horner(w, (LG[6], LG[4], LG[2], LG[0])))
    r = d.add(t2, t1)
    hfsq = d.mul(d.mul(d.c(0.5), f), f)
    low_part = d.add(d.mul(dk, d.c(LN2_LO)), c)
    # fdlibm: (hx - 0x6147a) | (0x6b851 - hx) > 0, i.e. f far enough from 0 that keeping
    # f^2/2 apart pays.
    far = e.icmp("sgt", "i64", e.iop("or", "i64", e.iop("sub", "i64", hx, str(0x6147a)),
                                     e.iop("sub", "i64", str(0x6b851), hx)), "0")
    with_hfsq = d.sub(d.mul(dk, d.c(LN2_HI)),
                      d.sub(d.sub(hfsq, d.add(d.mul(s, d.add(hfsq, r)), low_part)), f))
    plain = d.sub(d.mul(dk, d.c(LN2_HI)),
                  d.sub(d.sub(d.mul(s, d.sub(f, r)), low_part), f))
    return d.select(far, with_hfsq, plain)


def _log_body(d: D, x):
    e = d.e
    subnormal = d.lt(x, d.c(SMALLEST_NORMAL))
    u = d.select(subnormal, d.mul(x, d.c(TWO54)), x)
    y = _log_core(d, u, e.select(subnormal, "i64", "-54", "0"), d.c(0.0))
    y = d.select(e.fcmp("oeq", "double", x, d.c(float("inf"))), x, y)
    y = d.select(e.fcmp("oeq", "double", x, d.c(0.0)), d.c(float("-inf")), y)
    return d.select(e.fcmp("oge", "double", x, d.c(0.0)), y, d.c(float("nan")))


def _log1p_body(d: D, x):
    e = d.e
    u = d.add(d.c(1.0), x)
    # (1 + x - u)/u, the rounding error of u relative to it (fdlibm's c).
    c = d.div(d.select(d.gt(u, d.c(2.0)), d.sub(d.c(1.0), d.sub(u, x)),
                       d.sub(x, d.sub(u, d.c(1.0)))), u)
    y = _log_core(d, u, "0", c)
    y = d.select(e.fcmp("oeq", "double", x, d.c(float("inf"))), x, y)
    y = d.select(e.fcmp("oeq", "double", x, d.c(-1.0)), d.c(float("-inf")), y)
    y = d.select(e.fcmp("oeq", "double", x, d.c(0.0)), x, y)          # keeps -0.0
    return d.select(e.fcmp("oge", "double", x, d.c(-1.0)), y, d.c(float("nan")))


def float64_function(name: str, body) -> Function:
    """A pure, always-inlined double -> double helper whose result `body(D, x)` gives."""
    f = Function(name, "double", [("double", "x")], PURE)
    e = f.emitter()
    result = body(D(e), "%x")
    e.do(f"ret double {result}")
    return f


def widened(name: str, core: str) -> Function:
    """float32 through a float64 core, rounded once."""
    f = Function(name, "float", [("float", "x")], PURE)
    e = f.emitter()
    wide = e.cast("fpext", "float", "%x", "double")
    y = e.helper(core, "double", [("double", wide)])
    e.do(f"ret float {e.cast('fptrunc', 'double', y, 'float')}")
    return f


MATH_HELPERS = {
    "_exp_f64": lambda: float64_function("_exp_f64", lambda d, x: _exp_body(d, x, Q3_F64, -750.0)),
    "_expm1_f64": lambda: float64_function(
        "_expm1_f64", lambda d, x: _expm1_body(d, x, Q3_F64, -60.0)),
    "_tanh_f64": lambda: float64_function(
        "_tanh_f64", lambda d, x: _tanh_body(d, x, P_TANH_F64, "_expm1_f64")),
    # float64 cores with short polynomials; float32 overflow and underflow happen in the
    # final rounding, so smaller clamps suffice.
    "_exp_core32": lambda: float64_function(
        "_exp_core32", lambda d, x: _exp_body(d, x, Q3_F32, -120.0)),
    "_expm1_core32": lambda: float64_function(
        "_expm1_core32", lambda d, x: _expm1_body(d, x, Q3_F32, -30.0)),
    "_tanh_core32": lambda: float64_function(
        "_tanh_core32", lambda d, x: _tanh_body(d, x, P_TANH_F32, "_expm1_core32")),
    "_log_f64": lambda: float64_function("_log_f64", _log_body),
    "_log1p_f64": lambda: float64_function("_log1p_f64", _log1p_body),
    "_log_f32": lambda: widened("_log_f32", "_log_f64"),
    "_log1p_f32": lambda: widened("_log1p_f32", "_log1p_f64"),
    "_exp_f32": lambda: widened("_exp_f32", "_exp_core32"),
    "_expm1_f32": lambda: widened("_expm1_f32", "_expm1_core32"),
    "_tanh_f32": lambda: widened("_tanh_f32", "_tanh_core32"),
}

# primitive -> helper prefix; the emit table appends _f32/_f64 for float operands.
FLOAT_FUNCTIONS = {"exp": "_exp", "expm1": "_expm1", "tanh": "_tanh", "log": "_log",
                   "log1p": "_log1p"}
