"""Code generation: fuse an ir.Graph into kernels, plan memory, and emit one Numba module
with one entry function (see lowered.py for the contract with the runtime)."""
from .lower import lower_graph
from .lowered import Kernel, Lowered

__all__ = ["lower_graph", "Lowered", "Kernel"]
