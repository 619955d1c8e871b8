"""What custom_vjp and custom_jvp share: arguments split at `nondiff_argnums`, and the
function recorded, on traced arguments, as one call node that carries its traced graph
(what the interpreter and the compiler run; the passes inline it) and the custom
function itself (what the node's differentiation rules call)."""
from __future__ import annotations

import functools

from .. import lax
from ..errors import ArgumentError
from ..tracer import Tracer, trace_function, tree_flatten, tree_unflatten


class CustomFunction:
    primitive = ""              # the call primitive: custom_vjp_call, custom_jvp_call
    define = ""                 # how to give it its rule, for the error without one

    def __init__(self, fun, nondiff_argnums=()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)

    def has_rule(self) -> bool:
        raise NotImplementedError

    def _split(self, args):
        nondiff = tuple(args[i] for i in self.nondiff_argnums)
        diff = tuple(a for i, a in enumerate(args) if i not in self.nondiff_argnums)
        return nondiff, diff

    def _merge(self, nondiff, diff):
        it_n, it_d = iter(nondiff), iter(diff)
        return [next(it_n) if i in self.nondiff_argnums else next(it_d)
                for i in range(len(nondiff) + len(diff))]

    def __call__(self, *args):
        if not self.has_rule():
            kind = type(self).__name__
            raise ArgumentError(f"{kind} function {self.__name__} has no rule: call "
                                f"{self.__name__}.{self.define} first")
        nondiff, diff = self._split(args)
        flat, in_tree = tree_flatten(diff)
        if not any(isinstance(x, Tracer) for x in flat):
            return self.fun(*args)
        graph, captured, out_tree, _ = trace_function(
            lambda tracers: self.fun(*self._merge(nondiff, tree_unflatten(in_tree, tracers))),
            flat)
        outs = lax.apply(self.primitive, *flat, *captured, graph=graph, rule=self,
                         nondiff=nondiff, in_tree=in_tree, out_tree=out_tree,
                         num_captured=len(captured))
        return tree_unflatten(out_tree, outs)
