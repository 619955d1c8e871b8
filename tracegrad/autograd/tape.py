"""The tape: the dynamic graph that tensors requiring gradients record into.

It is the eager engine's trace with one difference: it keeps no list of its nodes. Each
value points to the node that produced it and each node to its input values, so a
graph lives exactly as long as the tensors that reach it (PyTorch's lifetime) and a
training loop does not grow a trace. `bind` records into it like into any trace (the
tape is the outermost level, so functional transformations nest inside it)."""
from __future__ import annotations

import threading

import numpy as np

from ..errors import TracegradError
from ..ir import Aval, Literal, Node, Value
from ..tracer import Tracer, is_python_scalar
from ..tracer.trace import elementwise_operands, out_avals_of, python_scalar_aval
from ..tracer.source import describe_location, user_location


class TapeValue(Value):
    """A value on the tape. `node` produced it (None for leaves and constants); `data` is
    its concrete array; `leaf` is a weak reference to the leaf Tensor whose .grad it
    feeds; `hooks` are the gradient hooks registered on it; `retain` a weak reference to
    the non-leaf Tensor that keeps its .grad; `stale` marks a leaf value whose tensor was
    modified in place after it was recorded."""

    __slots__ = ("node", "data", "leaf", "hooks", "retain", "stale")

    def __init__(self, aval: Aval, data, node=None):
        _value_init(self, aval)
        self.data = data
        self.node = node
        self.leaf = None
        self.hooks = None
        self.retain = None
        self.stale = False


class TapeNode(Node):
    """A recorded primitive application. `freed` is set by a backward pass without
    retain_graph; `in_backward` marks operations recorded by a backward pass
    (create_graph=True), for anomaly messages."""

    __slots__ = ("freed", "in_backward")


_value_init = Value.__init__
_tape_node = TapeNode.of_tuples
_NO_PARAMS: dict = {}            # every planned elementwise node's (never changed in place)


class _TapeState(threading.local):
    in_backward = False     # a class default: a missing thread-local attribute is slow


class Tape:
    """The recording target of tensors: duck-types tracer.Trace for `bind`."""

    eager = True
    level = 0                   # outside every functional trace (those start at 1)
    finished = False
    # A tape tracer a transformation returns (tg.grad of a function of tensors requiring
    # gradients) reaches the user as the Tensor it stands for: set by tensor.py.
    export_result = None

    def __init__(self):
        self._local = _TapeState()

    @property
    def in_backward(self) -> bool:
        """Whether a backward pass with create_graph=True is recording (this thread)."""
        return self._local.in_backward

    @in_backward.setter
    def in_backward(self, flag: bool):
        self._local.in_backward = flag

    def __repr__(self):
        return "<the imperative tape>"

    def operand(self, x):
        if isinstance(x, Tracer):
            if x._trace is self:
                return x._value
            raise TracegradError("internal: a tracer of another trace reached the tape")
        if isinstance(x, Literal):
            return x
        if is_python_scalar(x):
            return Literal(x, python_scalar_aval(x))
        array = np.asarray(x)
        if array.dtype == object:
            raise TypeError(f"cannot record a value of type {type(x).__name__}")
        if array.ndim == 0:
            return Literal(array[()], Aval((), array.dtype))
        return TapeValue(Aval(array.shape, array.dtype), array)      # a constant

    array_operand = operand          # a plan's array operand: a constant, as any array

    def record(self, prim, args, params: dict, loc: str | None):
        operands = []
        for x in args:
            if type(x) is Tracer and x._trace is self:
                operands.append(x._value)
            else:
                operands.append(self.operand(x))
        try:
            out_avals = out_avals_of(prim, [x.aval for x in operands], params)
        except TracegradError as err:
            loc = loc or user_location()
            raise type(err)(f"{err}\n  at {describe_location(loc)}") from None
        if loc is None:
            loc = user_location()
        values = prim.impl(*[x.value if isinstance(x, Literal) else x.data
                             for x in operands], **params)
        outputs = []
        for a, c in zip(out_avals, values):
            if type(c) is not np.ndarray or c.dtype != a.dtype:
                c = np.asarray(c, dtype=a.dtype)
            outputs.append(TapeValue(a, c))
        node = TapeNode(prim, operands, params, outputs, loc)
        node.freed = False
        node.in_backward = self.in_backward
        for v in outputs:
            v.node = node
        return [Tracer(self, v, v.data) for v in outputs]

    def record_elementwise(self, prim, fast, args, steps):
        """`record` for a planned elementwise operation (as Trace.record_elementwise)."""
        out_aval, raw, (errors, ignore), literals = fast
        operands, concrete = elementwise_operands(self, args, steps, literals)
        loc = user_location(4)      # skip this frame, apply_binary and its (internal) caller
        token = errors.set(ignore)
        try:
            c = raw(*concrete)
        finally:
            errors.reset(token)
        # A 0-d result stays the NumPy scalar NumPy returns, as in Trace (the tensor
        # wrapping it holds an array: `wrap`).
        if (type(c) is not np.ndarray and not isinstance(c, np.generic)) or \
                c.dtype != out_aval.dtype:
            c = np.asarray(c, dtype=out_aval.dtype)
        out = TapeValue(out_aval, c)
        node = _tape_node(prim, operands, _NO_PARAMS, (out,), loc)
        node.freed = False
        node.in_backward = self._local.in_backward
        out.node = node
        return Tracer(self, out, c)

    def record_binary(self, prim, fast, a, b, skip=4):
        """Trace.record_binary's entry (two tracers of the tape)."""
        return self.record_elementwise(prim, fast, (a, b), _TWO_TRACERS)

    def record_unary(self, prim, fast, a):
        """Trace.record_unary's entry (one tracer of the tape)."""
        return self.record_elementwise(prim, fast, (a,), _ONE_TRACER)

    def record_planned(self, prim, a, params, plan, skip):
        """Trace.record_planned's entry (an eager reduction): recorded as any operation."""
        return self.record(prim, (a,), params, None)[0]

    def leaf(self, data: np.ndarray) -> Tracer:
        value = TapeValue(Aval(data.shape, data.dtype), data)
        return Tracer(self, value, data)


# The plan steps of tracer operands (none: taken as they are).
_TWO_TRACERS = (None, None)
_ONE_TRACER = (None,)
TAPE = Tape()


def is_taped(x) -> bool:
    return isinstance(x, Tracer) and x._trace is TAPE
