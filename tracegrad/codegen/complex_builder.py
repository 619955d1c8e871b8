"""Emitting real primitives while complex values are split (complex_split.py): a small
builder whose methods append one node each and return its result, so the formulas of
complex_math.py read like the arithmetic they are."""
from __future__ import annotations

import numpy as np

from ..ir import Aval, Literal, Node, PRIMITIVES, Value


class Builder:
    """Appends nodes (attributed to `loc`, the user's line of the complex operation)."""

    def __init__(self):
        self.nodes: list = []
        self.loc = None

    def op(self, name, *inputs, **params):
        prim = PRIMITIVES[name]
        avals = prim.out_avals([x.aval for x in inputs], params)
        outs = [Value(a) for a in avals]
        self.nodes.append(Node(prim, inputs, params, outs, self.loc))
        return outs if prim.multiple_results else outs[0]

    @staticmethod
    def lit(value, dtype):
        return Literal(value, Aval((), np.dtype(dtype), weak=False))

    def _binary(name):
        def method(self, a, b):
            a, b = self._literal_like(a, b), self._literal_like(b, a)
            return self.op(name, a, b)
        method.__name__ = name
        return method

    def _literal_like(self, x, other):
        """A Python number as a literal of the other operand's dtype."""
        if isinstance(x, (int, float)):
            return self.lit(x, other.aval.dtype)
        return x

    add, sub, mul, div = _binary("add"), _binary("sub"), _binary("mul"), _binary("div")
    eq, ne, lt, le, gt, ge = (_binary("eq"), _binary("ne"), _binary("lt"), _binary("le"),
                              _binary("gt"), _binary("ge"))
    and_, or_ = _binary("and"), _binary("or")
    atan2, copysign = _binary("atan2"), _binary("copysign")

    def neg(self, x):
        return self.op("neg", x)

    def fabs(self, x):
        return self.op("abs", x)

    def unary(self, name, x):
        return self.op(name, x)

    def not_(self, x):
        return self.op("not", x)

    def select(self, pred, on_true, on_false):
        on_true = self._literal_like(on_true, on_false)
        on_false = self._literal_like(on_false, on_true)
        return self.op("select", pred, on_true, on_false)

    def convert(self, x, dtype):
        return self.op("convert", x, dtype=np.dtype(dtype), weak=False)

    def broadcast(self, x, shape):
        """x broadcast NumPy-style to `shape` (x itself when it has that shape)."""
        shape = tuple(shape)
        if x.aval.shape == shape:
            return x
        lead = len(shape) - len(x.aval.shape)
        return self.op("broadcast_in_dim", x, shape=shape,
                       dims=tuple(range(lead, len(shape))))
