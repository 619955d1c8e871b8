"""The array interface of Tensor: operators, indexing, NumPy's protocols, NumPy's
methods and PyTorch's common ones. Each unwraps its tensors, runs the tracegrad.numpy
operation (NumPy itself when nothing records) and wraps the result, so there is one
implementation of every operation and one derivative rule per primitive."""
from __future__ import annotations

import operator

import numpy as np

from .. import nn
from .. import numpy as tnp
from ..numpy._core import HANDLED_FUNCTIONS
from .tensor import Tensor, unwrap, wrap


def _call(fn, *args, **kwargs):
    return wrap(fn(*unwrap(args), **unwrap(kwargs)))


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    traced = HANDLED_FUNCTIONS.get(ufunc) if method == "__call__" else None
    if traced is not None:
        # tracegrad.numpy's function directly: the unwrapped operands would only take
        # NumPy's protocol back to it.
        return wrap(traced(*[unwrap(x) for x in inputs], **unwrap(kwargs)))
    return _call(getattr(ufunc, method), *inputs, **kwargs)


def _array_function(self, func, types, args, kwargs):
    traced = HANDLED_FUNCTIONS.get(func)
    if traced is not None:
        return wrap(traced(*[unwrap(x) for x in args], **unwrap(kwargs)))
    return _call(func, *args, **kwargs)


def _torch_keywords(kwargs):
    """PyTorch's dim=/keepdim= are NumPy's axis=/keepdims=."""
    if "dim" in kwargs:
        kwargs["axis"] = kwargs.pop("dim")
    if "keepdim" in kwargs:
        kwargs["keepdims"] = kwargs.pop("keepdim")
    return kwargs


def _method(name):
    def method(self, *args, **kwargs):
        target = unwrap(self)
        return _call(getattr(target, name), *args, **_torch_keywords(kwargs))
    method.__name__ = name
    return method


def _function(fn):
    def method(self, *args, **kwargs):
        return _call(fn, self, *args, **_torch_keywords(kwargs))
    method.__name__ = getattr(fn, "__name__", "method")
    return method


# NumPy's ndarray methods (ndarray.sort sorts in place: here, as tnp.sort, it returns).
NUMPY_METHODS = ("sum", "mean", "max", "min", "prod", "var", "std", "argmax", "argmin",
                 "cumsum", "cumprod", "all", "any", "ravel", "flatten", "squeeze",
                 "swapaxes", "clip", "dot", "take", "reshape", "transpose", "astype",
                 "round", "argsort", "trace", "diagonal", "repeat")

# PyTorch's method names for functions NumPy spells differently or has no method for.
TORCH_METHODS = {
    "exp": tnp.exp, "log": tnp.log, "log1p": tnp.log1p, "expm1": tnp.expm1,
    "sqrt": tnp.sqrt, "sin": tnp.sin, "cos": tnp.cos, "tan": tnp.tan, "tanh": tnp.tanh,
    "abs": tnp.abs, "neg": tnp.negative, "square": tnp.square, "pow": tnp.power,
    "add": tnp.add, "sub": tnp.subtract, "mul": tnp.multiply, "div": tnp.true_divide,
    "matmul": tnp.matmul, "mm": tnp.matmul, "sign": tnp.sign, "sort": tnp.sort,
    "sigmoid": nn.sigmoid, "relu": nn.relu, "softmax": nn.softmax,
    "log_softmax": nn.log_softmax, "norm": tnp.linalg.norm,
    "maximum": tnp.maximum, "minimum": tnp.minimum, "unsqueeze": tnp.expand_dims,
    "flip": tnp.flip,
}


def _clamp(self, min=None, max=None):                   # noqa: A002  (PyTorch's names)
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    return _call(tnp.clip, self, min, max)


def _view(self, *shape):
    return _call(tnp.reshape, self, shape[0] if len(shape) == 1 else shape)


def _cast(dtype):
    return lambda self: _call(tnp.astype, self, dtype)


def _getitem(self, index):
    return wrap(unwrap(self)[unwrap(index)])


def install():
    for name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
                 "and", "or", "xor", "lshift", "rshift"):
        op = getattr(operator, name + "_" if name in ("and", "or") else name)
        setattr(Tensor, f"__{name}__",
                lambda self, other, op=op: wrap(op(unwrap(self), unwrap(other))))
        setattr(Tensor, f"__r{name}__",
                lambda self, other, op=op: wrap(op(unwrap(other), unwrap(self))))
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        op = getattr(operator, name)
        setattr(Tensor, f"__{name}__",
                lambda self, other, op=op: wrap(op(unwrap(self), unwrap(other))))
    Tensor.__hash__ = lambda self: id(self)
    Tensor.__neg__ = lambda self: wrap(-unwrap(self))
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = lambda self: wrap(abs(unwrap(self)))
    Tensor.__invert__ = lambda self: wrap(~unwrap(self))
    Tensor.__getitem__ = _getitem
    Tensor.__array_ufunc__ = _array_ufunc
    Tensor.__array_function__ = _array_function
    Tensor.T = property(lambda self: wrap(unwrap(self).T))
    Tensor.mT = property(lambda self: _call(tnp.swapaxes, self, -1, -2))
    for name in NUMPY_METHODS:
        setattr(Tensor, name, _method(name))
    for name, fn in TORCH_METHODS.items():
        setattr(Tensor, name, _function(fn))
    Tensor.clamp = _clamp
    Tensor.view = _view
    Tensor.t = lambda self: _call(tnp.transpose, self)
    Tensor.float = _cast(np.float32)
    Tensor.double = _cast(np.float64)
    Tensor.clone = lambda self: _call(tnp.multiply, self, 1)
