"""Complex arithmetic in real primitives, written the way NumPy's own loops compute it
(numpy/_core/src/umath: loops for * and /, npy_math_complex for the functions, C99's
csqrt, ctanh, cexp), so compiled results match NumPy's to rounding. A complex value is a
pair (re, im) of real operands; each function takes a Builder and pairs.

Known differences from NumPy (rounding-level, or at extreme magnitudes):
  log     log(hypot(re, im)): C's clog is more accurate where |z| is close to 1
  sqrt    no rescaling when re + |z| overflows (|z| above ~1e308)
  pow     exp(b log a), except exponents 0, 1, 2, 3 and a == 0 (NumPy also multiplies
          out the other small integer powers, which rounds differently)
  sin, cos, sinh, cosh, exp: the textbook formulas; C's special cases for infinite
          and NaN parts are not all reproduced (exp keeps an exact 0 imaginary part)."""
from __future__ import annotations

import numpy as np

_LOG2E, _LOG10E, _LN2 = float(np.log2(np.e)), float(np.log10(np.e)), float(np.log(2.0))


def hypot(b, x, y):
    """sqrt(x^2 + y^2) without overflow or underflow (as tracegrad.numpy.hypot)."""
    ax, ay = b.fabs(x), b.fabs(y)
    x_bigger = b.ge(ax, ay)
    big, small = b.select(x_bigger, ax, ay), b.select(x_bigger, ay, ax)
    ratio = b.div(small, b.select(b.eq(big, 0.0), 1.0, big))
    scaled = b.mul(big, b.unary("sqrt", b.add(1.0, b.mul(ratio, ratio))))
    either_inf = b.or_(b.unary("isinf", ax), b.unary("isinf", ay))
    return b.select(either_inf, float("inf"), scaled)


def mul(b, p, q):
    (ar, ai), (br, bi) = p, q
    return b.sub(b.mul(ar, br), b.mul(ai, bi)), b.add(b.mul(ar, bi), b.mul(ai, br))


def div(b, p, q):
    """Smith's algorithm, NumPy's complex division loop branch for branch."""
    (ar, ai), (br, bi) = p, q
    abs_r, abs_i = b.fabs(br), b.fabs(bi)
    real_bigger = b.ge(abs_r, abs_i)
    # |br| >= |bi|, not both 0
    rat = b.div(bi, br)
    scl = b.div(1.0, b.add(br, b.mul(bi, rat)))
    r1 = b.mul(b.add(ar, b.mul(ai, rat)), scl)
    i1 = b.mul(b.sub(ai, b.mul(ar, rat)), scl)
    # both 0: a complex inf or NaN
    r0, i0 = b.div(ar, abs_r), b.div(ai, abs_r)
    # |br| < |bi| (or NaN)
    rat2 = b.div(br, bi)
    scl2 = b.div(1.0, b.add(bi, b.mul(br, rat2)))
    r2 = b.mul(b.add(b.mul(ar, rat2), ai), scl2)
    i2 = b.mul(b.sub(b.mul(ai, rat2), ar), scl2)
    zero = b.and_(b.eq(abs_r, 0.0), b.eq(abs_i, 0.0))
    re = b.select(real_bigger, b.select(zero, r0, r1), r2)
    im = b.select(real_bigger, b.select(zero, i0, i1), i2)
    return re, im


def exp(b, p):
    x, y = p
    e = b.unary("exp", x)
    # exp(x + 0j) is exp(x) + 0j even when exp(x) is inf (not inf * 0 = NaN).
    return b.mul(e, b.unary("cos", y)), b.select(b.eq(y, 0.0), y, b.mul(e, b.unary("sin", y)))


def log(b, p):
    x, y = p
    return b.unary("log", hypot(b, x, y)), b.atan2(y, x)


def _scaled(b, pair, factor):
    return b.mul(pair[0], factor), b.mul(pair[1], factor)


def log2(b, p):
    return _scaled(b, log(b, p), _LOG2E)


def log10(b, p):
    return _scaled(b, log(b, p), _LOG10E)


def exp2(b, p):
    return exp(b, _scaled(b, p, _LN2))


def expm1(b, p):
    x, y = p
    half = b.unary("sin", b.mul(y, 0.5))
    re = b.sub(b.mul(b.unary("expm1", x), b.unary("cos", y)), b.mul(b.mul(half, half), 2.0))
    return re, b.mul(b.unary("exp", x), b.unary("sin", y))


def log1p(b, p):
    x, y = p
    x1 = b.add(x, 1.0)
    return b.unary("log", hypot(b, x1, y)), b.atan2(y, x1)


def sqrt(b, p):
    """C99 csqrt: the root with re >= 0, sqrt(+-0 + 0j) = 0 with the sign of im kept."""
    x, y = p
    t = b.unary("sqrt", b.mul(b.add(b.fabs(x), hypot(b, x, y)), 0.5))
    twice = b.mul(t, 2.0)
    nonneg = b.ge(x, 0.0)
    re = b.select(nonneg, t, b.div(b.fabs(y), twice))
    im = b.select(nonneg, b.div(y, twice), b.copysign(t, y))
    zero = b.and_(b.eq(x, 0.0), b.eq(y, 0.0))
    y_inf = b.unary("isinf", y)
    re = b.select(y_inf, float("inf"), b.select(zero, 0.0, re))
    im = b.select(y_inf, y, b.select(zero, y, im))
    return re, im


def sin(b, p):
    x, y = p
    return (b.mul(b.unary("sin", x), b.unary("cosh", y)),
            b.mul(b.unary("cos", x), b.unary("sinh", y)))


def cos(b, p):
    x, y = p
    return (b.mul(b.unary("cos", x), b.unary("cosh", y)),
            b.neg(b.mul(b.unary("sin", x), b.unary("sinh", y))))


def sinh(b, p):
    x, y = p
    return (b.mul(b.unary("sinh", x), b.unary("cos", y)),
            b.mul(b.unary("cosh", x), b.unary("sin", y)))


def cosh(b, p):
    x, y = p
    return (b.mul(b.unary("cosh", x), b.unary("cos", y)),
            b.mul(b.unary("sinh", x), b.unary("sin", y)))


def tanh(b, p):
    """Kahan's algorithm (C99 ctanh): no overflow for large |re|."""
    x, y = p
    t = b.unary("tan", y)
    beta = b.add(1.0, b.mul(t, t))
    s = b.unary("sinh", x)
    rho = b.unary("sqrt", b.add(1.0, b.mul(s, s)))
    denom = b.add(1.0, b.mul(b.mul(beta, s), s))
    re = b.div(b.mul(b.mul(beta, rho), s), denom)
    im = b.div(t, denom)
    # |re| >= 22: tanh is +-1 to the last bit; the imaginary part decays as exp(-2|re|).
    big = b.ge(b.fabs(x), 22.0)
    tiny = b.mul(b.mul(b.mul(b.unary("sin", y), b.unary("cos", y)), 4.0),
                 b.unary("exp", b.mul(b.fabs(x), -2.0)))
    return b.select(big, b.copysign(1.0, x), re), b.select(big, tiny, im)


def tan(b, p):
    """tan(z) = -i tanh(iz)."""
    x, y = p
    re, im = tanh(b, (b.neg(y), x))
    return im, b.neg(re)


def pow(b, p, q):
    (ar, ai), (br, bi) = p, q
    general = exp(b, mul(b, q, log(b, p)))
    square = mul(b, p, p)
    cube = mul(b, square, p)
    real_exponent = b.eq(bi, 0.0)
    a_zero = b.and_(b.eq(ar, 0.0), b.eq(ai, 0.0))
    b_zero = b.and_(b.eq(br, 0.0), real_exponent)
    # 0 ** b: 0 for real b > 0, else undefined (NumPy gives NaN).
    nan = b.lit(float("nan"), ar.aval.dtype)
    zero_base = (b.select(b.and_(b.gt(br, 0.0), real_exponent), 0.0, nan),) * 2
    picks = [(b_zero, (1.0, 0.0)), (a_zero, zero_base),
             (b.and_(real_exponent, b.eq(br, 1.0)), p),
             (b.and_(real_exponent, b.eq(br, 2.0)), square),
             (b.and_(real_exponent, b.eq(br, 3.0)), cube)]
    re, im = general
    for cond, (r, i) in reversed(picks):
        re, im = b.select(cond, r, re), b.select(cond, i, im)
    return re, im


def sign(b, p):
    """NumPy 2: z / |z|, and 0 at 0."""
    x, y = p
    m = hypot(b, x, y)
    zero = b.eq(m, 0.0)
    safe = b.select(zero, 1.0, m)
    return b.select(zero, 0.0, b.div(x, safe)), b.select(zero, 0.0, b.div(y, safe))


# -- comparisons: NumPy orders complex numbers lexicographically ---------------------------

def _no_nan(b, *xs):
    ok = None
    for x in xs:
        fine = b.not_(b.unary("isnan", x))
        ok = fine if ok is None else b.and_(ok, fine)
    return ok


def less(b, p, q, strict=True):
    """NumPy's CLT/CLE: (xr < yr and no NaN imaginary part) or (xr == yr and xi < yi)."""
    (xr, xi), (yr, yi) = p, q
    first = b.and_(b.lt(xr, yr), _no_nan(b, xi, yi))
    second = b.and_(b.eq(xr, yr), b.lt(xi, yi) if strict else b.le(xi, yi))
    return b.or_(first, second)


def equal(b, p, q):
    return b.and_(b.eq(p[0], q[0]), b.eq(p[1], q[1]))


def extremum(b, p, q, greater):
    """NumPy's complex maximum/minimum: the first operand when it is NaN or wins."""
    wins = less(b, q, p, strict=False) if greater else less(b, p, q, strict=False)
    keep = b.or_(b.or_(b.unary("isnan", p[0]), b.unary("isnan", p[1])), wins)
    return b.select(keep, p[0], q[0]), b.select(keep, p[1], q[1])
