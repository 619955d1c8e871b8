"""VJP and JVP rules of the nonlinear elementwise primitives, both made from the local
derivatives of derivatives.py: the reverse rule multiplies the cotangent by them, the
forward rule the tangents. A derivative that can be inf or NaN for finite inputs goes
through the zero-safe `scale` (rules.py) in both modes, so an exactly-zero cotangent or
tangent stays zero (NaN-free `where`, Jacobian columns without 0 * inf)."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from ..tracer import Tracer
from .derivatives import BINARY_PARTIALS, ONE, UNARY_DERIVATIVES
from .jvp_rules import add_tangents, defjvp
from .rules import defvjp, needs_aware, nondifferentiable, scale

nondifferentiable("sign", "floor", "ceil", "round", "trunc", "isnan", "isinf", "isfinite",
                  "not", "and", "or", "xor", "eq", "ne", "lt", "le", "gt", "ge",
                  "floordiv", "nextafter", "stop_gradient", "shift_left", "shift_right",
                  "threefry2x32")


# The NumPy scalar types a cotangent or tangent of exactly one may come as.
UNIT_TYPES = frozenset({np.float16, np.float32, np.float64, np.longdouble, np.complex64,
                        np.complex128, np.clongdouble})


def _times(t, d, safe):
    """t * d for a tangent or cotangent t (None: a symbolic zero) and a local
    derivative d (None: no derivative; ONE: exactly 1)."""
    if t is None or d is None:
        return None
    if d is ONE:
        return t
    if type(t) in UNIT_TYPES:
        if t == 1 and (type(d) is Tracer or type(d) is np.ndarray or type(d) in UNIT_TYPES):
            return d                    # the seed (1 * d is d exactly, inf and NaN too)
        if not safe and type(d) in UNIT_TYPES:
            return t * d                # NumPy's scalar math (what tnp.multiply calls)
    if safe:
        return scale(t, d)
    # A traced factor's operator is tnp.multiply, without its dispatch.
    return t * d if type(t) is Tracer else tnp.multiply(t, d)


def _unary(name, local, safe):
    def vjp(ct, y, x, **params):
        return (_times(ct, local(x, y, **params), safe),)

    def jvp(tangents, y, x, **params):
        return _times(tangents[0], local(x, y, **params), safe)
    defvjp(name)(vjp)
    defjvp(name)(jvp)


def _binary(name, partials, safe):
    @needs_aware
    def vjp(ct, y, a, b, needs=(True, True)):
        da, db = partials(a, b, y, needs)
        return (_times(ct, da, safe) if needs[0] else None,
                _times(ct, db, safe) if needs[1] else None)

    def jvp(tangents, y, a, b):
        ta, tb = tangents
        da, db = partials(a, b, y, (ta is not None, tb is not None))
        return add_tangents(_times(ta, da, safe), _times(tb, db, safe))
    defvjp(name)(vjp)
    defjvp(name)(jvp)


for _name, (_local, _safe) in UNARY_DERIVATIVES.items():
    _unary(_name, _local, _safe)
for _name, (_partials, _safe) in BINARY_PARTIALS.items():
    _binary(_name, _partials, _safe)
