"""sin and cos for float32/float64 as LLVM IR helpers that vectorize (see mathlib.py for
why libm calls keep a loop scalar).

Method: x = k*pi/2 + r with k = round(x*2/pi) and |r| <~ pi/4. pi/2 is split in three
33-bit parts and a tail (as fdlibm): for |k| < 2^20 each k*P_i is exact, x - k*P1 is exact
(Sterbenz), and the two following subtractions are error-free (TwoSum), so r is known as
an unevaluated double-double rh + rl to ~2^-120 absolute, enough even where x is very close
to a multiple of pi/2. sin and cos of rh + rl are fdlibm's kernels (< 1 ULP on
[-pi/4, pi/4]); the quadrant k mod 4 picks one of them and its sign, read from the integer
bits of the rounding shift. Everything is computed and selected: no branch.

Domain: |x| <= TRIG_BOUND (1e6, so |k| < 2^20). Above it (finite) the helpers return NaN;
the loop that calls them counts such arguments and, if there were any, runs again with
libm (see `guarded` in emit_table.py). NaN and +-inf give NaN; sin(+-0) = +-0.
float32 goes through the float64 helper and rounds once: within 1 ULP."""
from __future__ import annotations

from .irtext import Emitter, double_hex
from .mathlib import SHIFT, D, float64_function, widened

TRIG_BOUND = 1e6
TWO_OVER_PI = 0.6366197723675814
PIO2_1 = 1.5707963267341256         # pi/2 to 33 bits
PIO2_2 = 6.077100506303966e-11      # the next 33 bits
PIO2_3 = 2.0222662487111665e-21     # the next 33 bits
PIO2_3T = 8.4784276603689e-32       # the rest, rounded
TINY = 7.450580596923828e-09        # 2^-27: below it sin(x) rounds to x

# fdlibm __kernel_sin / __kernel_cos coefficients, lowest degree first.
S = (-1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04,
     2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10)
C = (4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05,
     -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11)


def _reduce(d: D, x):
    """(quadrant bits q as i64, rh, rl, z = rh^2)."""
    t = d.add(d.mul(x, d.c(TWO_OVER_PI)), d.c(SHIFT))
    kf = d.sub(t, d.c(SHIFT))
    q = d.bits(t)
    y = d.sub(x, d.mul(kf, d.c(PIO2_1)))
    r1, e1 = d.two_sum(y, d.neg(d.mul(kf, d.c(PIO2_2))))
    r2, e = d.two_sum(r1, d.neg(d.mul(kf, d.c(PIO2_3))))
    tail = d.sub(d.add(e1, e), d.mul(kf, d.c(PIO2_3T)))
    rh, rl = d.two_sum(r2, tail)
    return q, rh, rl, d.mul(rh, rh)


def _kernels(d: D, rh, rl, z):
    """(sin(rh + rl), cos(rh + rl)) by fdlibm's kernels (musl's form)."""
    s1, s2, s3, s4, s5, s6 = (d.c(v) for v in S)
    w = d.mul(z, z)
    v = d.mul(z, rh)
    ps = d.add(d.add(s2, d.mul(z, d.add(s3, d.mul(z, s4)))),
               d.mul(d.mul(z, w), d.add(s5, d.mul(z, s6))))
    sn = d.sub(rh, d.sub(d.sub(d.mul(z, d.sub(d.mul(d.c(0.5), rl), d.mul(v, ps))), rl),
                         d.mul(v, s1)))
    pc = d.add(d.mul(z, d.horner(z, C[2::-1])), d.mul(d.mul(w, w), d.horner(z, C[:2:-1])))
    hz = d.mul(d.c(0.5), z)
    one_hz = d.sub(d.c(1.0), hz)
    cs = d.add(one_hz, d.add(d.sub(d.sub(d.c(1.0), one_hz), hz),
                             d.sub(d.mul(z, pc), d.mul(rh, rl))))
    return sn, cs


def _trig_body(d: D, x, quadrant_offset: int, cos: bool):
    # Quadrant n = k mod 4 (+1 for cos, as cos x = sin(x + pi/2)): sin, cos, -sin, -cos.
    e = d.e
    q, rh, rl, z = _reduce(d, x)
    sn, cs = _kernels(d, rh, rl, z)
    n = e.iop("add", "i64", q, str(quadrant_offset))
    odd = e.icmp("ne", "i64", e.iop("and", "i64", n, "1"), "0")
    u = d.select(odd, cs, sn)
    flip = e.icmp("ne", "i64", e.iop("and", "i64", n, "2"), "0")
    u = d.select(flip, d.neg(u), u)
    out = outside_domain(e, "double", x)
    u = d.select(out, d.c(float("nan")), u)
    small = d.c(1.0) if cos else x
    return d.select(d.lt(d.fabs(x), d.c(TINY)), small, u)


def outside_domain(e: Emitter, ty: str, x: str) -> str:
    """i1: x is finite and beyond the helpers' domain."""
    a = e.intrinsic("fabs", ty, x)
    big = e.fcmp("ogt", ty, a, double_hex(TRIG_BOUND))
    finite = e.fcmp("olt", ty, a, double_hex(float("inf")))
    return e.iop("and", "i1", big, finite)


TRIG_HELPERS = {
    "_sin_f64": lambda: float64_function("_sin_f64", lambda d, x: _trig_body(d, x, 0, False)),
    "_cos_f64": lambda: float64_function("_cos_f64", lambda d, x: _trig_body(d, x, 1, True)),
    "_sin_f32": lambda: widened("_sin_f32", "_sin_f64"),
    "_cos_f32": lambda: widened("_cos_f32", "_cos_f64"),
}

TRIG_FUNCTIONS = {"sin": "_sin", "cos": "_cos"}
