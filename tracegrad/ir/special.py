"""Special functions with NumPy-only reference implementations: `lgamma` (log|Gamma(x)|)
and `polygamma` (the n-th derivative of digamma; order 0 is digamma itself), computed in
float64 and cast back like erf/erfc in elementwise.py; and `erf_inv`, computed in the
operand's precision as JAX does."""
from __future__ import annotations

import math

import numpy as np

from ..errors import DTypeError
from .aval import Aval, dtype_string
from .kinds import ELEMENTWISE
from .primitive import Primitive


def _real_rule(name):
    def rule(x, **params):
        if x.dtype.kind != "f":
            raise DTypeError(f"{name} is not defined for dtype {dtype_string(x.dtype)}")
        return [Aval(x.shape, x.dtype, x.weak)]
    return rule


def _lgamma_scalar(v):
    try:
        return math.lgamma(v)
    except ValueError:          # poles at 0, -1, -2, ...: log|Gamma| is +inf there
        return math.inf


_vec_lgamma = np.vectorize(_lgamma_scalar, otypes=[np.float64])


def _lgamma_impl(x):
    x = np.asarray(x)
    x64 = x.astype(np.float64)
    # log|Gamma(-inf)| follows scipy.special.gammaln (-inf), math.lgamma says +inf.
    out = np.where(x64 == -np.inf, -np.inf, _vec_lgamma(x64))
    return [np.asarray(out).astype(x.dtype)]


Primitive("lgamma", _real_rule("lgamma"), _lgamma_impl, ELEMENTWISE)

# Bernoulli numbers B_2, B_4, ..., B_18 for the asymptotic series.
_BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510,
              43867 / 798]
# Below this the recurrence shifts x upward; above it the series is accurate to ~1e-16.
_SHIFT_TO = 12.0


def _asymptotic(x, n):
    """psi^(n)(x) for x >= _SHIFT_TO from its Stirling-type series."""
    if n == 0:
        total = np.log(x) - 0.5 / x
        for k, b in enumerate(_BERNOULLI, start=1):
            total = total - b / (2 * k * x ** (2 * k))
        return total
    total = math.factorial(n - 1) / x ** n + math.factorial(n) / (2 * x ** (n + 1))
    for k, b in enumerate(_BERNOULLI, start=1):
        total = total + b * math.factorial(2 * k + n - 1) / (
            math.factorial(2 * k) * x ** (2 * k + n))
    return (-1) ** (n + 1) * total


def _polygamma_float64(x, n):
    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    pole = (x <= 0) & (x == np.floor(x))
    # digamma of negative non-integers by reflection (the recurrence would lose digits);
    # higher orders use the upward recurrence, which is exact in sign.
    reflect = (x < 0.5) & ~pole if n == 0 else np.zeros(x.shape, bool)
    y = np.where(reflect, 1 - x, x)
    y = np.where(pole | np.isnan(y), _SHIFT_TO, y)
    acc = np.zeros(x.shape)
    sign_n = (-1) ** n * math.factorial(n)
    while True:
        small = y < _SHIFT_TO
        if not small.any():
            break
        # psi^(n)(y) = psi^(n)(y + 1) - (-1)^n n! / y^(n+1)
        acc = np.where(small, acc - sign_n / y ** (n + 1), acc)
        y = np.where(small, y + 1, y)
    value = acc + _asymptotic(y, n)
    if n == 0:
        value = np.where(reflect, value - np.pi / np.tan(np.pi * x), value)
        value = np.where(x == np.inf, np.inf, value)
    else:
        value = np.where(x == np.inf, 0.0, value)
    out = np.where(pole | np.isnan(x) | (x == -np.inf), out, value)
    # Pole values follow scipy.special: odd orders +inf, even orders -inf, digamma -inf
    # at 0 only (no limit at the negative integers: NaN).
    if n % 2 == 1:
        out = np.where(pole, np.inf, out)
    elif n > 0:
        out = np.where(pole, -np.inf, out)
    else:
        out = np.where(x == 0, -np.copysign(np.inf, x), out)
    return out


def _polygamma_impl(x, *, order):
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        return [np.asarray(_polygamma_float64(x, order)).astype(x.dtype)]


Primitive("polygamma", _real_rule("polygamma"), _polygamma_impl, ELEMENTWISE)


# erf_inv (the inverse of erf on (-1, 1)): Giles, "Approximating the erfinv function"
# (GPU Computing Gems, 2011), as XLA computes jax.lax.erf_inv, in the operand's own
# precision. One change: w = -log((1 - x)(1 + x)) instead of -log1p(-x * x), which keeps
# full precision near +-1 (float64: within 1e-15 of scipy.special.erfinv everywhere).
# Branches (w below, sqrt(w) or w, shift, coefficients highest degree first), in order.
ERF_INV_BRANCHES = {
    np.dtype(np.float32): (
        (5.0, False, 2.5, (2.81022636e-08, 3.43273939e-07, -3.5233877e-06,
                           -4.39150654e-06, 0.00021858087, -0.00125372503,
                           -0.00417768164, 0.246640727, 1.50140941)),
        (math.inf, True, 3.0, (-0.000200214257, 0.000100950558, 0.00134934322,
                               -0.00367342844, 0.00573950773, -0.0076224613,
                               0.00943887047, 1.00167406, 2.83297682))),
    np.dtype(np.float64): (
        (6.25, False, 3.125, (
            -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18,
            1.115787767802518096e-17, -1.333171662854620906e-16, 2.0972767875968561637e-17,
            6.6376381343583238325e-15, -4.0545662729752068639e-14, -8.1519341976054721522e-14,
            2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11,
            1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08,
            4.2347877827932403518e-07, -1.3654692000834678645e-06, -1.3882523362786468719e-05,
            0.0001867342080340571352, -0.00074070253416626697512, -0.0060336708714301490533,
            0.24015818242558961693, 1.6536545626831027356)),
        (16.0, True, 3.25, (
            2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07,
            1.8239629214389227755e-08, 1.5027403968909827627e-06, -4.013867526981545969e-06,
            2.9234449089955446044e-06, 1.2475304481671778723e-05, -4.7318229009055733981e-05,
            6.8284851459573175448e-05, 2.4031110387097893999e-05, -0.0003550375203628474796,
            0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066,
            -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334,
            3.0838856104922207635)),
        (math.inf, True, 5.0, (
            -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
            -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08,
            2.9147953450901080826e-08, -6.7711997758452339498e-08, 2.2900482228026654717e-07,
            -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05,
            7.5995277030017761139e-05, -0.00021503011930044477347,
            -0.00013871931833623122026, 1.0103004648645343977, 4.8499064014085844221))),
}


def _erf_inv(x):
    """In x's precision (float32 or float64), every branch computed, then selected."""
    one = x.dtype.type(1)
    w = -np.log((one - x) * (one + x))
    root = np.sqrt(w)
    result = None
    for below, use_root, shift, coeffs in reversed(ERF_INV_BRANCHES[x.dtype]):
        t = (root if use_root else w) - x.dtype.type(shift)
        p = np.full_like(x, coeffs[0])
        for c in coeffs[1:]:
            p = x.dtype.type(c) + p * t
        result = p if result is None else np.where(w < below, p, result)
    # erf_inv(+-1) = +-inf (the polynomial is indeterminate there).
    return np.where(np.abs(x) == one, x * x.dtype.type(np.inf), result * x)


def _erf_inv_impl(x):
    x = np.asarray(x)
    work = x if x.dtype in ERF_INV_BRANCHES else x.astype(np.float32)   # float16
    with np.errstate(all="ignore"):
        return [np.asarray(_erf_inv(work)).astype(x.dtype)]


Primitive("erf_inv", _real_rule("erf_inv"), _erf_inv_impl, ELEMENTWISE)
