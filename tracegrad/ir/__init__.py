"""tracegrad's intermediate representation: avals, graphs, primitives, interpreter,
printer, verifier and passes. Depends on NumPy only."""
from . import (callback, calls, control, dynamic_slicing, elementwise, kinds, linalg, reductions, sorting,  # noqa: F401  (register primitives)
               special, structural)
from . import threefry  # noqa: F401  (registers the primitive random bits are made of)
from .aval import Aval, broadcast_shapes, dtype_string, is_float, is_integer, type_string
from .graph import Graph, Literal, Node, Value
from .interpreter import Interpreter, evaluate, walk
from .passes import PASSES, run_passes
from .primitive import PRIMITIVES, Primitive
from .printer import format_graph
from . import complex  # noqa: F401  (registers real, imag, conj, complex)
from . import fft  # noqa: F401  (registers the fft primitive)
from .verifier import GraphInvariantError, verify

__all__ = ["Aval", "Graph", "Literal", "Node", "Value", "Primitive", "PRIMITIVES",
           "evaluate", "walk", "Interpreter", "format_graph", "verify", "GraphInvariantError",
           "run_passes", "PASSES", "broadcast_shapes", "dtype_string", "type_string",
           "is_float", "is_integer"]
