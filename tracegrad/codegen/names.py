"""Readable, collision-free names for generated code.

Graph values get the letters the IR printer shows (a, b, ..., z, aa, ...), so the source
reads alongside `print(graph)`; locals add a counter (`e_3`)."""
from __future__ import annotations

import builtins
import keyword

from ..ir import Graph, Value
from ..ir.printer import letter_names as _letters

RESERVED = {"np", "math", "numba", "nt"}


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

    def local(self, value_or_hint) -> str:
        base = value_or_hint if isinstance(value_or_hint, str) else self.of(value_or_hint)
        return self.fresh(base + "_")

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"
