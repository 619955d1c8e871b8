"""`tensor.grad_fn`: a read-only view of the recorded node that produced a tensor — the
primitive and the user's file:line — in PyTorch's shape (name(), next_functions)."""
from __future__ import annotations


def backward_name(prim_name: str) -> str:
    """'reduce_sum' -> 'ReduceSumBackward' (PyTorch names nodes 'MulBackward0')."""
    return "".join(part.capitalize() for part in prim_name.split("_")) + "Backward"


def _function_class(node):
    """The autograd.Function subclass a custom_vjp_call node applies, or None."""
    nondiff = node.params.get("nondiff") or ()
    return getattr(nondiff[0], "fn_class", None) if nondiff else None


class GradFn:
    __slots__ = ("_node",)

    def __init__(self, node):
        self._node = node

    @property
    def primitive(self) -> str:
        return self._node.prim.name

    @property
    def location(self) -> str | None:
        """The user's file:line that recorded the operation."""
        return self._node.loc

    def name(self) -> str:
        function = _function_class(self._node)
        if function is not None:
            return f"{function.__name__}Backward"       # an autograd.Function, as PyTorch
        return backward_name(self.primitive)

    @property
    def next_functions(self):
        """(grad_fn of each input, 0); None for leaves and constants (PyTorch names an
        AccumulateGrad node for leaves; here the leaf is simply not a node)."""
        return tuple((GradFn(x.node) if getattr(x, "node", None) is not None else None, 0)
                     for x in self._node.inputs)

    def __eq__(self, other):
        return isinstance(other, GradFn) and other._node is self._node

    def __hash__(self):
        return id(self._node)

    def __repr__(self):
        return f"<{self.name()} of {self.primitive} at {self.location}>"
