"""custom_jvp, as in JAX: a function with a user-defined forward-mode derivative.

    @custom_jvp
    def f(x, y): ...
    @f.defjvp
    def f_jvp(primals, tangents):
        x, y = primals
        dx, dy = tangents
        return f(x, y), <tangent of the output, linear in dx, dy>

Forward mode (jvp, jacfwd) calls the rule with the tangents. Reverse mode (grad, vjp)
transposes it (transpose.py): the rule is traced on symbolic tangents and walked
backward, so its tangent must be linear in the input tangents, as JAX requires.
Arguments at `nondiff_argnums` are passed to the rule first: f_jvp(*nondiff, primals,
tangents). Values the function closes over get no derivative through it."""
from __future__ import annotations

from .. import numpy as tnp
from ..errors import ArgumentError, ShapeError
from ..tracer import aval_of, leaf_paths, tree_flatten, tree_unflatten
from .custom_call import CustomFunction
from .jvp_rules import defjvp
from .rules import defvjp
from .transpose import transpose


class custom_jvp(CustomFunction):
    primitive = "custom_jvp_call"
    define = "defjvp(jvp)"

    def __init__(self, fun, nondiff_argnums=()):
        super().__init__(fun, nondiff_argnums)
        self.jvp = None

    def defjvp(self, jvp):
        """Set the rule; returns it, so `@f.defjvp` works as a decorator."""
        self.jvp = jvp
        return jvp

    def has_rule(self) -> bool:
        return self.jvp is not None

    def tangent_leaves(self, nondiff, primals, tangents, outs, out_tree) -> list:
        """The rule's output tangent as leaves, checked against the outputs."""
        result = self.jvp(*nondiff, primals, tangents)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise ArgumentError(f"the JVP rule of custom_jvp function {self.__name__} must "
                                f"return a pair (primal output, tangent output), got "
                                f"{type(result).__name__}")
        leaves, tree = tree_flatten(result[1])
        if len(leaves) != out_tree.num_leaves:
            raise ArgumentError(f"the JVP rule of custom_jvp function {self.__name__} "
                                f"returned a tangent of structure {tree}; the function's "
                                f"output has structure {out_tree}")
        for path, t, o in zip(leaf_paths(out_tree), leaves, outs):
            if aval_of(t).shape != aval_of(o).shape:
                raise ShapeError(f"the JVP rule of custom_jvp function {self.__name__} "
                                 f"returned a tangent of shape {aval_of(t).shape} for "
                                 f"output {path} of shape {aval_of(o).shape}")
        return leaves


def _parts(inputs, num_captured):
    n = len(inputs) - num_captured
    return list(inputs[:n]), n


@defjvp("custom_jvp_call")
def _custom_jvp_call_jvp(tangents, outs, *inputs, graph, rule, nondiff, in_tree, out_tree,
                         num_captured):
    leaves, n = _parts(inputs, num_captured)
    filled = [t if t is not None else tnp.zeros_like(x) for t, x in zip(tangents[:n], leaves)]
    return rule.tangent_leaves(nondiff, tree_unflatten(in_tree, leaves),
                               tree_unflatten(in_tree, filled), outs, out_tree)


@defvjp("custom_jvp_call")
def _custom_jvp_call_vjp(cts, outs, *inputs, graph, rule, nondiff, in_tree, out_tree,
                         num_captured):
    leaves, n = _parts(inputs, num_captured)
    primals = tree_unflatten(in_tree, leaves)

    def tangent_map(*tangent_leaves):
        return rule.tangent_leaves(nondiff, primals, tree_unflatten(in_tree, tangent_leaves),
                                   outs, out_tree)
    filled = [ct if ct is not None else tnp.zeros_like(o) for ct, o in zip(cts, outs)]
    in_cts = transpose(tangent_map, leaves, filled,
                       f"reverse-mode differentiation of custom_jvp function {rule.__name__}")
    # Closed-over traced values get no cotangent through a custom rule (as custom_vjp).
    return tuple(in_cts) + (None,) * num_captured
