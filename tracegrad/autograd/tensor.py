"""Tensor: a NumPy-like array that records the operations applied to it while it
requires a gradient (PyTorch's autograd model), on tracegrad's eager engine.

A Tensor holds its concrete array and, while it takes part in differentiation, a tracer:
one of the tape (requires_grad=True), or one of a functional transformation (inside
`tg.grad`, `tg.compile` or a custom Function's forward). An operation unwraps the
tensors into those tracers (or plain arrays), runs the tracegrad.numpy function on them
(through NumPy's protocols), and wraps the results again; with no tracer among the
operands it is plain NumPy."""
from __future__ import annotations

import operator
import weakref

import numpy as np

from .. import lax
from ..ir import is_float
from ..tracer import Tracer
from .grad_fn import GradFn
from .grad_mode import is_grad_enabled
from .tape import TAPE, TapeValue, is_taped


class Size(int):
    """`t.size` is NumPy's element count and, called, PyTorch's t.size() / t.size(dim)."""

    def __new__(cls, count, shape):
        self = super().__new__(cls, count)
        self._shape = shape
        return self

    def __call__(self, dim=None):
        return self._shape if dim is None else self._shape[dim]


class Tensor:
    __slots__ = ("_data", "_tracer", "grad", "__weakref__")
    __array_priority__ = 2000            # above tracers: mixed operations come here

    def __init__(self, data, dtype=None):
        """Tensor(data): a tensor that does not require gradients (as tg.tensor)."""
        self._data = np.array(data, dtype=dtype)
        self._tracer = None
        self.grad = None

    @classmethod
    def _make(cls, data, tracer=None):
        self = object.__new__(cls)
        self._data = data
        self._tracer = tracer
        self.grad = None
        return self

    # -- the array ---------------------------------------------------------------------
    @property
    def _like(self):
        return self._data if self._data is not None else self._tracer

    shape = property(lambda self: self._like.shape)
    dtype = property(lambda self: np.dtype(self._like.dtype))
    ndim = property(lambda self: self._like.ndim)
    size = property(lambda self: Size(int(np.prod(self.shape, dtype=np.int64)), self.shape))

    def numel(self):
        return int(self.size)

    def dim(self):
        return self.ndim

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def _concrete(self, what):
        if self._data is None:
            return self._tracer._require_concrete(what)     # the engine's error
        return self._data

    def numpy(self, force=False):
        """The array (shared, not copied). As in PyTorch, a tensor that requires grad
        must be detached first (or numpy(force=True))."""
        if self.requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use "
                "tensor.detach().numpy() instead (or tensor.numpy(force=True)).")
        return self._concrete(".numpy()")

    def __tracegrad_operand__(self):
        """What a trace records for this tensor where it is used as a value (a result of
        a function under tg.grad, an operand): its tracer while one records it."""
        return unwrap(self)

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype, copy=False)

    def item(self):
        return self._concrete(".item()").item()

    def tolist(self):
        return self._concrete(".tolist()").tolist()

    def __float__(self):
        return float(self._concrete("float()"))

    def __int__(self):
        return int(self._concrete("int()"))

    def __index__(self):
        return operator.index(self._concrete("an index")[()])

    def __bool__(self):
        return bool(self._concrete("bool()"))

    def __hash__(self):
        return id(self)

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.shape[0]))

    def __repr__(self):
        extra = []
        if self.dtype != np.float64:
            extra.append(f"dtype={self.dtype}")
        if self.grad_fn is not None:
            extra.append(f"grad_fn={self.grad_fn!r}")
        elif self.requires_grad:
            extra.append("requires_grad=True")
        if self._data is None:
            body = f"<traced {self._tracer.aval}>"
        else:
            body = np.array2string(self._data, separator=", ", prefix="tensor(")
        return "tensor(" + ", ".join([body] + extra) + ")"

    # -- autograd state ----------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return is_taped(self._tracer)

    @requires_grad.setter
    def requires_grad(self, flag):
        if not self.is_leaf:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to "
                "use a computed variable in a subgraph that doesn't require "
                "differentiation use var_no_grad = var.detach().")
        if flag and not self.requires_grad:
            if not is_float(self.dtype):
                raise RuntimeError(f"only Tensors of floating point dtype can require "
                                   f"gradients, this one is {self.dtype}: cast it first "
                                   f"(t.double() or tg.tensor(data, dtype=float)).")
            self._tracer = TAPE.leaf(self._concrete("requires_grad"))
            self._tracer._value.leaf = weakref.ref(self)
        elif not flag:
            self._tracer = None if self.requires_grad else self._tracer

    def requires_grad_(self, requires_grad=True):
        self.requires_grad = requires_grad
        return self

    @property
    def _tape_value(self) -> TapeValue | None:
        return self._tracer._value if self.requires_grad else None

    @property
    def is_leaf(self) -> bool:
        value = self._tape_value
        return value is None or value.node is None

    @property
    def grad_fn(self):
        value = self._tape_value
        return None if value is None or value.node is None else GradFn(value.node)

    def detach(self):
        """The same data (shared, as in PyTorch) outside the graph."""
        if self._tracer is not None and not self.requires_grad:
            return Tensor._make(self._data, lax.stop_gradient(self._tracer))
        return Tensor._make(self._data)

    def detach_(self):
        if not self.is_leaf:
            self._tracer = None
        return self

    @property
    def data(self):
        """The data outside the graph, shared (PyTorch's .data); `t.data = other`
        replaces it (the classic `w.data -= lr * w.grad` update)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, other):
        self._assign(np.asarray(other._data if isinstance(other, Tensor) else other))

    def retain_grad(self):
        value = self._tape_value
        if value is None:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if value.node is not None:
            value.retain = weakref.ref(self)

    @property
    def retains_grad(self) -> bool:
        value = self._tape_value
        return value is not None and value.retain is not None and value.retain() is self

    def register_hook(self, hook):
        """hook(grad) runs when this tensor's gradient is computed; if it returns a
        tensor, that replaces the gradient (e.g. clipping). Returns a handle whose
        remove() unregisters it."""
        value = self._tape_value
        if value is None:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require "
                               "gradient: call t.requires_grad_() first (on a leaf)")
        if value.hooks is None:
            value.hooks = []
        value.hooks.append(hook)
        return _HookHandle(value.hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        from .engine import run_backward
        run_backward([self], [gradient], retain_graph, create_graph, inputs)

    def _assign(self, array):
        """Replace the data in place (optimizer steps, t.data = ...): a leaf that requires
        grad gets a new version on the tape; graphs that recorded the old one become
        stale (their backward raises, as PyTorch's version counter does)."""
        array = np.asarray(array)
        if array.shape != self.shape:
            array = np.broadcast_to(array, self.shape)
        if self._data.flags.writeable:
            np.copyto(self._data, array, casting="same_kind")
        else:
            self._data = np.array(array, dtype=self.dtype)
        value = self._tape_value
        if value is not None:
            value.stale = True
            if value.node is None:              # a leaf: a fresh version of it
                fresh = TAPE.leaf(self._data)
                fresh._value.leaf = weakref.ref(self)
                fresh._value.hooks = value.hooks
                self._tracer = fresh


class _HookHandle:
    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def unwrap(x):
    """What an operation sees for x: a tensor's tracer while recording, else its array."""
    if type(x) is Tensor:
        tracer = x._tracer
        if tracer is not None and (tracer._trace is not TAPE or is_grad_enabled()):
            return tracer
        return x._data
    if type(x) in (list, tuple):
        return type(x)(unwrap(y) for y in x)
    if type(x) is dict:
        return {k: unwrap(v) for k, v in x.items()}
    return x


def wrap(x):
    """A result as tensors (tracers and arrays; containers of them)."""
    if isinstance(x, Tracer):
        data = x._concrete              # None under compile; a NumPy scalar if 0-d
        return Tensor._make(data if data is None or type(data) is np.ndarray else
                            np.asarray(data), x)
    if isinstance(x, np.ndarray):
        return Tensor._make(x)
    if isinstance(x, np.generic):
        return Tensor._make(np.asarray(x))
    if type(x) in (list, tuple):
        return type(x)(wrap(y) for y in x)
    return x


TAPE.export_result = wrap


def tensor(data, requires_grad=False, dtype=None) -> Tensor:
    """A new tensor holding a copy of data (NumPy's dtype rules: Python floats give
    float64, unlike PyTorch's float32 default)."""
    if isinstance(data, Tensor):
        data = data.detach()._concrete("tg.tensor()")
    result = Tensor(data, dtype=dtype)
    if requires_grad:
        result.requires_grad_(True)
    return result


def as_tensor(data, dtype=None) -> Tensor:
    """data as a tensor without copying when it already is one (or an array) of that
    dtype, as torch.as_tensor."""
    if isinstance(data, Tensor):
        return data if dtype is None or data.dtype == np.dtype(dtype) else data.astype(dtype)
    if isinstance(data, Tracer):
        return wrap(data if dtype is None else data.astype(dtype))
    return Tensor._make(np.asarray(data, dtype=dtype))
