"""Solves and log-determinants from a matrix's LU factors, recorded as call nodes that
also carry the matrix (ir/calls.py): their derivatives are solves with the same factors
(autodiff/linalg_rules.py), so solve, inv and slogdet differentiate at the cost of a few
triangular solves instead of the LU factorization's own derivative."""
from __future__ import annotations

from .. import lax
from ..lax import linalg as lax_linalg
from ..lax.control import Closed
from ..tracer import Tracer, aval_of, tree_flatten
from ._core import broadcast_to_shape, shape
from .diagonals import diagonal
from .indexing import take_along_axis
from .reductions import sum as _sum
from .shape import expand_dims
from .sorting import argsort
from .ufuncs import absolute, log


def _rows(x, order):
    """x[..., order, :] for a stack of row orders."""
    return take_along_axis(x, broadcast_to_shape(expand_dims(order, -1), shape(x)), axis=-2)


def lu_solve(lu, permutation, b, transpose=False):
    """a^-1 b (a^-T b with transpose) from a[permutation] = L U, for stacks of matrices b
    whose batch axes equal lu's."""
    if not transpose:
        y = lax_linalg.triangular_solve(lu, _rows(b, permutation), left_side=True,
                                        lower=True, unit_diagonal=True)
        return lax_linalg.triangular_solve(lu, y, left_side=True, lower=False)
    # a^T = U^T L^T P: solve with U^T, then L^T, then undo the row order.
    y = lax_linalg.triangular_solve(lu, b, left_side=True, lower=False, transpose_a=True)
    y = lax_linalg.triangular_solve(lu, y, left_side=True, lower=True, transpose_a=True,
                                    unit_diagonal=True)
    return _rows(y, argsort(permutation, axis=-1))


def _record(primitive, fn, operands, **params):
    if not any(isinstance(x, Tracer) for x in operands):
        return fn(*operands)            # plain arrays: nothing to differentiate
    avals = [aval_of(x) for x in operands]
    closed = Closed(fn, avals, tree_flatten(tuple(range(len(avals))))[1])
    (out,) = lax.apply(primitive, *closed.consts, *operands, graph=closed.graph, **params)
    return out


def solve_with_factors(a, lu, permutation, b, transpose=False):
    """a^-1 b (or a^-T b) computed from a's factors; differentiable in a and b."""
    return _record("lu_solve_call",
                   lambda a_, lu_, p_, b_: lu_solve(lu_, p_, b_, transpose),
                   (a, lu, permutation, b), transpose=bool(transpose))


def logdet_with_factors(a, lu, permutation):
    """log|det a| from a's factors; differentiable in a."""
    return _record("lu_logdet_call",
                   lambda a_, lu_, p_: _sum(log(absolute(diagonal(lu_, axis1=-2, axis2=-1))),
                                            axis=-1),
                   (a, lu, permutation))
