"""make_ir: trace a function abstractly and return its graph."""
from __future__ import annotations

import functools

from ..errors import ArgumentError
from ..ir import Graph, evaluate, format_graph, run_passes
from .inputs import flatten_arguments
from .pytree import TreeDef, tree_unflatten
from .static_args import StaticArgs
from .trace_function import trace_function


class TracedFunction:
    """A traced graph plus the pytree structures of its arguments and results."""

    def __init__(self, graph: Graph, in_tree: TreeDef, out_tree: TreeDef, static, key):
        self.graph = graph
        self.in_tree = in_tree
        self.out_tree = out_tree
        self._static = static
        self._key = key

    def evaluate(self, *args, **kwargs):
        """Run the graph with the reference interpreter on new arguments of the same
        types; static arguments must equal the traced ones."""
        dyn_args, dyn_kwargs, key, _ = self._static.split(args, kwargs)
        if key != self._key:
            raise ArgumentError(f"static arguments {key} differ from the traced {self._key}")
        flat, in_tree = flatten_arguments((dyn_args, dyn_kwargs))
        if in_tree != self.in_tree:
            raise ArgumentError(f"argument structure {in_tree} differs from the traced "
                                f"{self.in_tree}")
        return tree_unflatten(self.out_tree, evaluate(self.graph, *flat))

    def __str__(self):
        return format_graph(self.graph)

    def __repr__(self):
        return str(self)


def trace_to_graph(fn, args, kwargs, static: StaticArgs):
    """Abstractly trace fn(*args, **kwargs) -> (graph, in_tree, out_tree, static key)."""
    dyn_args, dyn_kwargs, key, rebuild = static.split(args, kwargs)
    flat, in_tree = flatten_arguments((dyn_args, dyn_kwargs))

    def build(tracers):
        full_args, full_kwargs = rebuild(*tree_unflatten(in_tree, tracers))
        return fn(*full_args, **full_kwargs)
    graph, captured, out_tree, _ = trace_function(build, flat, eager=False)
    if captured:
        raise ArgumentError(
            f"{getattr(fn, '__name__', 'the function')} closes over values traced by an "
            f"enclosing transformation; pass them as arguments instead.")
    return graph, in_tree, out_tree, key


def make_ir(fn, static_argnums=(), static_argnames=(), optimize: bool = True):
    """`make_ir(f)(*args)` traces f on arguments of these types and returns the graph
    (printable; `.evaluate(*args)` runs it with the reference interpreter)."""
    static = StaticArgs(fn, static_argnums, static_argnames)

    @functools.wraps(fn)
    def traced(*args, **kwargs):
        graph, in_tree, out_tree, key = trace_to_graph(fn, args, kwargs, static)
        if optimize:
            graph = run_passes(graph)
        return TracedFunction(graph, in_tree, out_tree, static, key)

    return traced
