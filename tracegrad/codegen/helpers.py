"""Scalar helper functions written into the generated module when its code calls them.

They live in the same module text because Numba's on-disk cache only notices changes to the
file that holds the cached function. Each helper carries the same flags as the entry:
helpers keep their own error model and fastmath settings."""
from __future__ import annotations

import re

from .mathlib import MATH_HELPERS
from .trig import TRIG_HELPERS

HELPER_DECORATOR = "@numba.njit(error_model='numpy', fastmath={'contract'}, nogil=True)"

HELPERS = {
    "_lgamma": '''
def _lgamma(x):
    # log|Gamma(x)|: +inf at the poles; -inf at -inf, as scipy.special.gammaln.
    if x == -np.inf:
        return -np.inf
    return math.lgamma(x)
''',
    "_polygamma": '''
def _polygamma(x0, n):
    # psi^(n)(x): recurrence up to x >= 12, then the asymptotic series (Bernoulli B_2k);
    # digamma of x < 0.5 by reflection. Poles as scipy.special.polygamma.
    x = np.float64(x0)
    if x != x or x == -np.inf:
        return np.nan
    if x <= 0 and x == np.floor(x):
        if n == 0:
            return -math.copysign(np.inf, x) if x == 0 else np.nan
        return np.inf if n % 2 == 1 else -np.inf
    if x == np.inf:
        return np.inf if n == 0 else 0.0
    reflect = n == 0 and x < 0.5
    y = 1.0 - x if reflect else x
    fact_n = math.gamma(n + 1.0)
    sign_n = fact_n if n % 2 == 0 else -fact_n
    acc = 0.0
    while y < 12.0:
        acc -= sign_n / y ** (n + 1)
        y += 1.0
    bern = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510,
            43867 / 798)
    if n == 0:
        total = math.log(y) - 0.5 / y
        for k in range(1, 10):
            total -= bern[k - 1] / (2 * k * y ** (2 * k))
    else:
        total = math.gamma(n * 1.0) / y ** n + fact_n / (2 * y ** (n + 1))
        for k in range(1, 10):
            total += bern[k - 1] * math.gamma(2.0 * k + n) / (
                math.gamma(2.0 * k + 1) * y ** (2 * k + n))
        if n % 2 == 0:
            total = -total
    value = acc + total
    if reflect:
        value -= np.pi / math.tan(np.pi * x)
    return value
''',
    "_logistic": '''
def _logistic(x):
    # Stable in both tails: exp of a non-positive number only.
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)
''',
    "_floordiv_float": '''
def _floordiv_float(a, b):
    # NumPy's npy_floor_divide: floor of the exact quotient, a / b when b == 0.
    if b == 0:
        return a / b
    mod = np.fmod(a, b)
    div = (a - mod) / b
    if mod != 0:
        if (b < 0) != (mod < 0):
            div -= 1.0
    if div != 0:
        floordiv = np.floor(div)
        if div - floordiv > 0.5:
            floordiv += 1.0
        return floordiv
    return math.copysign(0.0, a / b)
''',
    "_remainder_float": '''
def _remainder_float(a, b):
    # NumPy's npy_remainder: the result takes the sign of b.
    mod = np.fmod(a, b)
    if b == 0:
        return mod
    if mod != 0:
        if (b < 0) != (mod < 0):
            mod += b
    else:
        mod = math.copysign(0.0, b)
    return mod
''',
    "_fmod_int": '''
def _fmod_int(a, b):
    # C remainder (sign of a); 0 when b == 0, as NumPy.
    if b == 0:
        return a - a
    r = abs(a) % abs(b)
    return r if a >= 0 else -r
''',
    "_power_int": '''
def _power_int(a, b):
    # Square-and-multiply with wrapping integer arithmetic, as NumPy's integer power.
    if b < 0:
        return a - a + (1 if a == 1 else 0)
    result = a - a + 1
    base = a
    while b > 0:
        if b & 1:
            result = result * base
        base = base * base
        b >>= 1
    return result
''',
}

HELPERS.update(MATH_HELPERS)     # exp, expm1, tanh that vectorize (see mathlib.py)
HELPERS.update(TRIG_HELPERS)     # sin, cos that vectorize (see trig.py)
INLINED = set(MATH_HELPERS) | set(TRIG_HELPERS)

# Numba-level inlining: without it LLVM keeps tanh's call to expm1 and the loop stays scalar.
INLINE_DECORATOR = HELPER_DECORATOR[:-1] + ", inline='always')"


def helper_decorator(name: str) -> str:
    return INLINE_DECORATOR if name in INLINED else HELPER_DECORATOR


def helpers_used(body: str, library: dict) -> list[str]:
    """Names of helpers in `library` that `body` calls, with their own dependencies, in
    an order where each helper comes after the helpers it calls."""
    found: list[str] = []
    seen: set = set()

    def visit(text):
        for name in re.findall(r"(?<!def )\b(_[a-z][a-z0-9_]*)\(", text):
            if name in library and name not in seen:
                seen.add(name)
                visit(library[name])
                found.append(name)
    visit(body)
    return found
