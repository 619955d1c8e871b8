"""Derivatives of the primitives that are not holomorphic on complex values, in JAX's
convention: a VJP is the transpose of the JVP for the bilinear pairing <a, b> = Re(a b)
(no conjugation). So the VJP of a holomorphic function is multiplication by f'(z), like
the real case (derivatives.py serves both), and for a real-valued f of z = x + iy,
grad(f)(z) = df/dx - i df/dy. The primitives here need their own rules:

  real(z)        t -> real(t)             ct -> complex(ct, 0)
  imag(z)        t -> imag(t)             ct -> complex(0, -ct)        (-i ct)
  conj(z)        t -> conj(t)             ct -> conj(ct)
  complex(x, y)  (s, t) -> complex(s, t)  ct -> (real(ct), -imag(ct))
  |z|            t -> Re(conj(z) t) / |z|  ct -> ct conj(z) / |z|      (0 at z = 0)
"""
from __future__ import annotations

import numpy as np

from .. import lax
from .. import numpy as tnp
from .jvp_rules import defjvp
from .linear import deflinear
from .rules import defvjp


def _zeros_of(ct):
    return lax.broadcast_in_dim(np.zeros((), ct.dtype), tnp.shape(ct), (), like=ct)


@deflinear("real")
def _real(ct, y, z):
    return (lax.complex(ct, _zeros_of(ct)),)


@deflinear("imag")
def _imag(ct, y, z):
    return (lax.complex(_zeros_of(ct), tnp.negative(ct)),)


@deflinear("conj")
def _conj(ct, y, z):
    return (lax.conj(ct),)


@deflinear("complex")
def _complex(ct, y, re, im):
    return lax.real(ct), tnp.negative(lax.imag(ct))


def _abs_direction(x, y):
    """d|x|/dx as the factor that multiplies a cotangent: the sign for real x (1 at 0,
    JAX's side of the kink), conj(z)/|z| for complex z (0 at 0, as JAX)."""
    if np.dtype(x.dtype).kind != "c":
        return tnp.where(x >= 0, 1.0, -1.0).astype(y.dtype)
    return tnp.conj(x) / tnp.where(y == 0, 1.0, y).astype(x.dtype)


@defvjp("abs")
def _abs_vjp(ct, y, x):
    return (tnp.multiply(ct, _abs_direction(x, y)),)


@defjvp("abs")
def _abs_jvp(tangents, y, x):
    product = tnp.multiply(tangents[0], _abs_direction(x, y))
    return tnp.real(product) if np.dtype(x.dtype).kind == "c" else product
