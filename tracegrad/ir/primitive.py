"""Primitives: the closed op set of the IR, each with its shape/dtype rule and NumPy
reference implementation. Other transformations (VJP, codegen) keep their own tables
keyed by the primitive's name."""
from __future__ import annotations

from typing import Callable

from .aval import Aval
from .kinds import KINDS

PRIMITIVES: dict[str, "Primitive"] = {}


class Primitive:
    """A named operation.

    `abstract(*avals, **params) -> list[Aval]` is the shape/dtype rule; it raises
    ShapeError/DTypeError with a message that names the operation and the shapes.
    `impl(*arrays, **params) -> list[ndarray]` is the NumPy reference implementation.
    `kind` is one of kinds.KINDS: what the primitive is to passes and codegen.
    """

    def __init__(self, name: str, abstract: Callable, impl: Callable, kind: str,
                 multiple_results: bool = False):
        if name in PRIMITIVES:
            raise ValueError(f"primitive {name!r} defined twice")
        if kind not in KINDS:
            raise ValueError(f"primitive {name!r}: unknown kind {kind!r}")
        self.name = name
        self.abstract = abstract
        self.impl = impl
        self.kind = kind
        self.multiple_results = multiple_results
        PRIMITIVES[name] = self

    def __repr__(self):
        return self.name

    def out_avals(self, avals: list[Aval], params: dict) -> list[Aval]:
        return list(self.abstract(*avals, **params))
