"""Local derivatives of the elementwise primitives: one table per arity, read by both the
VJP and the JVP rules (elementwise_rules.py), so forward and reverse mode cannot disagree.

Unary entries are (local(x, y, **params) -> dy/dx, safe); binary entries are
(partials(a, b, y, need) -> (dy/da, dy/db), safe), where `need` says which partials are
wanted (the others may be None) and a partial is None where there is no derivative or
ONE where it is exactly 1 (the tangent or cotangent passes through). `safe` means a
derivative can be inf or NaN for finite inputs, so rules multiply with the zero-safe
`scale` (rules.py).

Entries use Python's operators (`1.0 / x`, `y * y`) where tracegrad.numpy's function is
the same primitive (reciprocal is div(1, x), square is mul(x, x)): on the NumPy scalars
of an eager backward pass that is NumPy's scalar math, with no dispatch in front."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from .. import lax

_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))
_TWO_OVER_SQRT_PI = float(2.0 / np.sqrt(np.pi))
_SQRT_PI_OVER_TWO = float(np.sqrt(np.pi) / 2.0)


def _digamma(x):
    return lax.polygamma(x, 0)


ONE = "one"      # a partial derivative that is exactly 1


UNARY_DERIVATIVES = {
    "exp": (lambda x, y: y, True),
    "exp2": (lambda x, y: y * _LN2, True),
    "expm1": (lambda x, y: y + 1.0, True),
    "log": (lambda x, y: 1.0 / x, True),
    "log2": (lambda x, y: 1.0 / (x * _LN2), True),
    "log10": (lambda x, y: 1.0 / (x * _LN10), True),
    "log1p": (lambda x, y: 1.0 / (x + 1.0), True),
    "sqrt": (lambda x, y: 1.0 / (y * 2.0), True),           # inf at 0, as in JAX
    "cbrt": (lambda x, y: 1.0 / (y * y * 3.0), True),
    "sin": (lambda x, y: tnp.cos(x), False),
    "cos": (lambda x, y: -tnp.sin(x), False),
    "tan": (lambda x, y: 1.0 + y * y, True),
    "asin": (lambda x, y: 1.0 / tnp.sqrt(1.0 - x * x), True),
    "acos": (lambda x, y: -(1.0 / tnp.sqrt(1.0 - x * x)), True),
    "atan": (lambda x, y: 1.0 / (1.0 + x * x), True),
    "sinh": (lambda x, y: tnp.cosh(x), True),
    "cosh": (lambda x, y: tnp.sinh(x), True),
    "tanh": (lambda x, y: 1.0 - y * y, False),
    "asinh": (lambda x, y: 1.0 / tnp.sqrt(x * x + 1.0), True),
    "acosh": (lambda x, y: 1.0 / tnp.sqrt(x * x - 1.0), True),
    "atanh": (lambda x, y: 1.0 / (1.0 - x * x), True),
    "logistic": (lambda x, y: y * (1.0 - y), False),
    "erf": (lambda x, y: tnp.exp(-(x * x)) * _TWO_OVER_SQRT_PI, False),
    "erfc": (lambda x, y: tnp.exp(-(x * x)) * -_TWO_OVER_SQRT_PI, False),
    # The inverse function's derivative, 1 / erf'(y); inf at +-1.
    "erf_inv": (lambda x, y: tnp.exp(y * y) * _SQRT_PI_OVER_TWO, True),
    # d/dx log|Gamma(x)| = digamma(x), infinite at the poles.
    "lgamma": (lambda x, y: _digamma(x), True),
    "polygamma": (lambda x, y, *, order: lax.polygamma(x, order + 1), True),
}
# abs, whose complex derivative is not a product with a local derivative, is in
# complex_rules.py with real, imag, conj and complex.


def _pow(x, p, y, need):
    # As JAX: d/dx is 0 where p == 0 (even at x == 0); d/dp uses log(1) where x == 0.
    dx = tnp.where(p == 0, 0.0, p * tnp.power(x, tnp.where(p == 0, 1.0, p - 1.0))) \
        if need[0] else None
    dp = tnp.log(tnp.where(x == 0, 1.0, x)) * y if need[1] else None
    return dx, dp


def _extremum(greater):
    def partials(a, b, y, need):
        # JAX splits the cotangent evenly at ties: 1 where a wins, 0.5 at ties, 0 else.
        wins = tnp.greater(a, b) if greater else tnp.less(a, b)
        share = tnp.where(wins, 1.0, tnp.where(tnp.equal(a, b), 0.5, 0.0)).astype(y.dtype)
        return share, 1.0 - share
    return partials


def _atan2(a, b, y, need):
    denom = tnp.reciprocal(tnp.square(a) + tnp.square(b))
    return b * denom, tnp.negative(a) * denom


BINARY_PARTIALS = {
    "mul": (lambda a, b, y, need: (b, a), True),
    "div": (lambda a, b, y, need: (1.0 / b if need[0] else None,
                                   -(y / b) if need[1] else None), True),
    "pow": (_pow, True),
    "max": (_extremum(True), False),
    "min": (_extremum(False), False),
    "atan2": (_atan2, True),
    # Piecewise constant in b: a's sign flipped where it changes.
    "copysign": (lambda a, b, y, need: (tnp.copysign(1.0, a) * tnp.copysign(1.0, b), None),
                 False),
    # NumPy remainder a - floor(a / b) * b; C fmod a - trunc(a / b) * b.
    "rem": (lambda a, b, y, need: (ONE, tnp.negative(tnp.floor(a / b))), True),
    "fmod": (lambda a, b, y, need: (ONE, tnp.negative(tnp.trunc(a / b))), True),
}
