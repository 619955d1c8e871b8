"""Readable names for generated code: graph values get the letters the IR printer shows
(a, b, ..., z, aa, ...), so the driver's parameters and the kernels' comments read
alongside `print(graph)`."""
from __future__ import annotations

import builtins
import keyword

from ..ir import Graph, Value
from ..ir.printer import letter_names as _letters

RESERVED = {"np", "math", "numba", "nt", "body", "native_function"}   # driver globals


class Names:
    def __init__(self, graph: Graph | None = None):
        self.base: dict = {}
        self.counter = 0
        if graph is not None:
            fresh = _letters()
            values = list(graph.inputs) + [v for v, _ in graph.consts] + \
                [v for node in graph.nodes for v in node.outputs]
            for v in values:
                name = next(fresh)
                if keyword.iskeyword(name) or hasattr(builtins, name) or name in RESERVED:
                    name += "_"
                self.base[v] = name

    def of(self, value: Value) -> str:
        """The letter name of a graph value (an argument or a buffer)."""
        if value not in self.base:
            self.base[value] = f"v{len(self.base)}"
        return self.base[value]
