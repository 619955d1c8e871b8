"""The SSA graph: Values, Literals, immutable Nodes and Graphs."""
from __future__ import annotations

import itertools
from typing import Any, Mapping, Sequence

import numpy as np

from .aval import Aval

_ids = itertools.count()
_new_object = object.__new__


class Value:
    """One SSA variable. Compared by identity."""

    __slots__ = ("aval", "id", "hint")

    def __init__(self, aval: Aval, hint: str | None = None):
        self.aval = aval
        self.id = next(_ids)
        self.hint = hint  # a name the printer and codegen may use (e.g. a user's argument)

    def __repr__(self):
        return f"Value({self.id}:{self.aval})"


class Literal:
    """A scalar constant written into the graph (only 0-d values)."""

    __slots__ = ("value", "aval", "_key")

    def __init__(self, value, aval: Aval):
        if aval.shape != ():
            raise ValueError("a Literal must be a scalar")
        self.value = np.asarray(value, dtype=aval.dtype)[()]
        self.aval = aval
        self._key = None

    def key(self):
        if self._key is None:
            # Distinguish 0.0 from -0.0 and treat NaN as equal to itself for CSE.
            self._key = ("lit", self.aval, np.asarray(self.value).tobytes())
        return self._key

    def __repr__(self):
        return f"Literal({self.value!r}:{self.aval})"


Operand = Value | Literal


class Node:
    """One primitive application: immutable once built."""

    __slots__ = ("prim", "inputs", "params", "outputs", "loc")

    def __init__(self, prim, inputs: Sequence[Operand], params: Mapping[str, Any],
                 outputs: Sequence[Value], loc: str | None = None):
        self.prim = prim
        self.inputs = tuple(inputs)
        self.params = dict(params)
        self.outputs = tuple(outputs)
        self.loc = loc

    @classmethod
    def of_tuples(cls, prim, inputs: tuple, params: dict, outputs: tuple, loc=None):
        """A Node from tuples and a params dict that nothing else will change (no
        copies): for the eager recorders, which build one per operation."""
        node = _new_object(cls)
        node.prim = prim
        node.inputs = inputs
        node.params = params
        node.outputs = outputs
        node.loc = loc
        return node

    @property
    def out(self) -> Value:
        (value,) = self.outputs
        return value

    def __repr__(self):
        return f"Node({self.prim.name}, {len(self.inputs)} in, {len(self.outputs)} out)"


class Graph:
    """inputs, nodes in topological order, outputs, and captured constant arrays.

    `consts` are (Value, ndarray) pairs: arrays captured from the user's closure. They are
    graph inputs bound to fixed arrays, not literals, so that generated code stays small.
    """

    __slots__ = ("inputs", "nodes", "outputs", "consts", "__weakref__")

    def __init__(self, inputs, nodes, outputs, consts=()):
        self.inputs = list(inputs)
        self.nodes = list(nodes)
        self.outputs = list(outputs)
        self.consts = list(consts)

    def replace(self, **changes) -> "Graph":
        fields = dict(inputs=self.inputs, nodes=self.nodes, outputs=self.outputs,
                      consts=self.consts)
        fields.update(changes)
        return Graph(**fields)

    @property
    def in_avals(self):
        return [v.aval for v in self.inputs]

    @property
    def out_avals(self):
        return [v.aval for v in self.outputs]

    def __str__(self):
        from .printer import format_graph
        return format_graph(self)

    def __repr__(self):
        return f"<Graph: {len(self.inputs)} inputs, {len(self.nodes)} nodes, " \
               f"{len(self.outputs)} outputs>"
