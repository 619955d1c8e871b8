"""sin and cos for float32/float64 as helper source text that LLVM vectorizes (see
mathlib.py for why libm calls keep a loop scalar).

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

from .mathlib import SHIFT, _horner, _two_sum

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


def _reduce() -> str:
    """Body lines: quadrant q (int64, k mod 4 in its low bits) and r = rh + rl."""
    return f"""
    t = x * {TWO_OVER_PI!r} + {SHIFT!r}
    kf = t - {SHIFT!r}
    q = np.float64(t).view(np.int64)
    y = x - kf * {PIO2_1!r}{_two_sum("y", f"-(kf * {PIO2_2!r})")}
    r1 = s
    e1 = e{_two_sum("r1", f"-(kf * {PIO2_3!r})")}
    r2 = s
    tail = (e1 + e) - kf * {PIO2_3T!r}{_two_sum("r2", "tail")}
    rh = s
    rl = e
    z = rh * rh"""


def _kernels() -> str:
    """Lines setting sn = sin(rh + rl) and cs = cos(rh + rl) (fdlibm, musl's form)."""
    s1, s2, s3, s4, s5, s6 = S
    return f"""
    w = z * z
    v = z * rh
    ps = {s2!r} + z * ({s3!r} + z * {s4!r}) + z * w * ({s5!r} + z * {s6!r})
    sn = rh - ((z * (0.5 * rl - v * ps) - rl) - v * {s1!r})
    pc = z * {_horner("z", C[2::-1])} + w * w * {_horner("z", C[:2:-1])}
    hz = 0.5 * z
    one_hz = 1.0 - hz
    cs = one_hz + (((1.0 - one_hz) - hz) + (z * pc - rh * rl))"""


def _trig(name: str, quadrant_offset: int, small: str) -> str:
    # Quadrant n = k mod 4 (+1 for cos, as cos x = sin(x + pi/2)): sin, cos, -sin, -cos.
    return f'''
def {name}(x):
    # {name[1:4]}(x) on float64 for |x| <= {TRIG_BOUND:g}; NaN for larger finite x.{
    _reduce()}{_kernels()}
    n = q + {quadrant_offset}
    u = cs if (n & 1) == 1 else sn
    u = -u if (n & 2) == 2 else u
    a = abs(x)
    u = np.nan if ((a > {TRIG_BOUND!r}) & (a < np.inf)) else u
    return {small} if a < {TINY!r} else u
'''


def _widened(name: str, core: str) -> str:
    return f'''
def {name}(x):
    # float32 through float64: the float64 result rounds to within 1 ULP.
    return np.float32({core}(np.float64(x)))
'''


TRIG_HELPERS = {
    "_sin_f64": _trig("_sin_f64", 0, "x"),
    "_cos_f64": _trig("_cos_f64", 1, "1.0"),
    "_sin_f32": _widened("_sin_f32", "_sin_f64"),
    "_cos_f32": _widened("_cos_f32", "_cos_f64"),
}

TRIG_FUNCTIONS = {"sin": "_sin", "cos": "_cos"}


def outside_domain(arg: str) -> str:
    """Source of a condition: `arg` is finite and beyond the helpers' domain."""
    return f"((abs({arg}) > {TRIG_BOUND!r}) & (abs({arg}) < np.inf))"
