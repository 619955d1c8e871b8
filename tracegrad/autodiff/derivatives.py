"""Local derivatives of the unary elementwise primitives: one table read by both the VJP
and the JVP rules, so forward and reverse mode cannot disagree.

Each entry is (local(x, y) -> dy/dx, safe): `safe` means the derivative can be inf or
NaN for finite inputs, so rules multiply with the zero-safe `scale` (rules.py)."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from ..ir import PRIMITIVES
from ..tracer import bind

_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))
_TWO_OVER_SQRT_PI = float(2.0 / np.sqrt(np.pi))


def _digamma(x):
    return bind(PRIMITIVES["polygamma"], [x], dict(order=0))


UNARY_DERIVATIVES = {
    "exp": (lambda x, y: y, True),
    "exp2": (lambda x, y: y * _LN2, True),
    "expm1": (lambda x, y: y + 1.0, True),
    "log": (lambda x, y: tnp.reciprocal(x), True),
    "log2": (lambda x, y: tnp.reciprocal(x * _LN2), True),
    "log10": (lambda x, y: tnp.reciprocal(x * _LN10), True),
    "log1p": (lambda x, y: tnp.reciprocal(x + 1.0), True),
    "sqrt": (lambda x, y: tnp.reciprocal(y * 2.0), True),           # inf at 0, as in JAX
    "cbrt": (lambda x, y: tnp.reciprocal(tnp.square(y) * 3.0), True),
    "sin": (lambda x, y: tnp.cos(x), False),
    "cos": (lambda x, y: -tnp.sin(x), False),
    "tan": (lambda x, y: 1.0 + tnp.square(y), True),
    "asin": (lambda x, y: tnp.reciprocal(tnp.sqrt(1.0 - tnp.square(x))), True),
    "acos": (lambda x, y: -tnp.reciprocal(tnp.sqrt(1.0 - tnp.square(x))), True),
    "atan": (lambda x, y: tnp.reciprocal(1.0 + tnp.square(x)), True),
    "sinh": (lambda x, y: tnp.cosh(x), True),
    "cosh": (lambda x, y: tnp.sinh(x), True),
    "tanh": (lambda x, y: 1.0 - tnp.square(y), False),
    "asinh": (lambda x, y: tnp.reciprocal(tnp.sqrt(tnp.square(x) + 1.0)), True),
    "acosh": (lambda x, y: tnp.reciprocal(tnp.sqrt(tnp.square(x) - 1.0)), True),
    "atanh": (lambda x, y: tnp.reciprocal(1.0 - tnp.square(x)), True),
    "logistic": (lambda x, y: y * (1.0 - y), False),
    "erf": (lambda x, y: tnp.exp(-tnp.square(x)) * _TWO_OVER_SQRT_PI, False),
    "erfc": (lambda x, y: tnp.exp(-tnp.square(x)) * -_TWO_OVER_SQRT_PI, False),
    # d/dx log|Gamma(x)| = digamma(x), infinite at the poles.
    "lgamma": (lambda x, y: _digamma(x), True),
}
