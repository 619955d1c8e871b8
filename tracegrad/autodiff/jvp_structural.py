"""JVP rules of the data-movement primitives and dot_general. Each data-movement
primitive is linear in its array operands, so its tangent is the primitive itself applied
to the tangents (with zeros standing in for symbolic-zero tangents); dot_general is
bilinear."""
from __future__ import annotations

from .. import numpy as tnp
from .jvp_rules import add_tangents, apply_primitive, defjvp


def _apply_to_tangent(name):
    def rule(tangents, y, x, **params):
        return apply_primitive(name, [tangents[0]], params)
    return rule


for _name in ("broadcast_in_dim", "reshape", "transpose", "slice"):
    defjvp(_name)(_apply_to_tangent(_name))


def _or_zeros(t, primal):
    """The tangent, or zeros shaped like its primal where it is a symbolic zero."""
    return tnp.zeros_like(primal) if t is None else t


@defjvp("pad")
def _pad(tangents, y, x, value, *, widths):
    # Linear in both the padded array and the padding value.
    tx, tv = tangents
    return apply_primitive("pad", [_or_zeros(tx, x), _or_zeros(tv, value)],
                           dict(widths=widths))


@defjvp("concatenate")
def _concatenate(tangents, y, *xs, axis):
    return apply_primitive("concatenate", [_or_zeros(t, x) for t, x in zip(tangents, xs)],
                           dict(axis=axis))


@defjvp("gather")
def _gather(tangents, y, x, idx):
    return apply_primitive("gather", [tangents[0], idx], {})


@defjvp("scatter_add")
def _scatter_add(tangents, y, x, idx, updates):
    tx, _, tu = tangents
    if tu is None:
        return tx
    return apply_primitive("scatter_add", [_or_zeros(tx, x), idx, tu], {})


@defjvp("dot_general")
def _dot_general(tangents, y, a, b, *, dims):
    # Bilinear: d(a . b) = da . b + a . db, with the same contraction.
    ta, tb = tangents
    params = dict(dims=dims)
    return add_tangents(None if ta is None else apply_primitive("dot_general", [ta, b], params),
                        None if tb is None else apply_primitive("dot_general", [a, tb], params))
