"""In-place operations (`t += x`, `t[i] = v`, `t.zero_()`, ...), PyTorch's rules:

- a leaf that requires grad may be modified only under no_grad (optimizer steps); its
  buffer is updated in place and graphs that recorded it become stale (backward raises);
- a tensor that requires grad (or would, from the operands) is otherwise rebound to the
  recorded out-of-place result, so the graph stays exact;
- a tensor outside the graph is updated in its buffer, which tensors sharing it (detach,
  .data) see, as in PyTorch."""
from __future__ import annotations

import operator

import numpy as np

from .. import numpy as tnp
from .grad_mode import is_grad_enabled
from .tensor import Tensor, unwrap, wrap

LEAF = ("a leaf Variable that requires grad is being used in an in-place operation: "
        "update it under tg.no_grad() (as optimizers do), or compute a new tensor "
        "out of place (y = x + 1).")


def _update(self, compute):
    """Apply `compute()` (the out-of-place result, a Tensor) to self in place."""
    if self.requires_grad and self.is_leaf and is_grad_enabled():
        raise RuntimeError(LEAF)
    result = compute()
    if result.requires_grad:
        self._data, self._tracer = result._data, result._tracer
    else:
        self._assign(np.asarray(result._data, dtype=self.dtype)
                     if result.shape == self.shape else result._data)
    return self


def _binary(op):
    def method(self, other):
        return _update(self, lambda: wrap(op(unwrap(self), unwrap(other))))
    return method


def _setitem(self, index, value):
    def compute():
        target, index_, value_ = unwrap(self), unwrap(index), unwrap(value)
        if isinstance(target, np.ndarray) and not hasattr(value_, "_trace"):
            updated = target.copy()
            updated[index_] = value_
            return wrap(updated)
        return wrap(tnp.at(target)[index_].set(value_)) if isinstance(target, np.ndarray) \
            else wrap(target.at[index_].set(value_))
    _update(self, compute)


def _fill(self, value):
    return _update(self, lambda: wrap(tnp.full_like(unwrap(self), unwrap(value))))


def install():
    for name, op in (("add", operator.add), ("sub", operator.sub), ("mul", operator.mul),
                     ("truediv", operator.truediv), ("pow", operator.pow)):
        setattr(Tensor, f"__i{name}__", _binary(op))
    Tensor.__setitem__ = _setitem
    Tensor.add_ = lambda self, other, alpha=1: _update(
        self, lambda: wrap(unwrap(self) + alpha * unwrap(other)))
    Tensor.sub_ = lambda self, other, alpha=1: _update(
        self, lambda: wrap(unwrap(self) - alpha * unwrap(other)))
    Tensor.mul_ = _binary(operator.mul)
    Tensor.div_ = _binary(operator.truediv)
    Tensor.zero_ = lambda self: _fill(self, 0)
    Tensor.fill_ = _fill
    Tensor.copy_ = lambda self, src: _update(
        self, lambda: wrap(tnp.broadcast_to(tnp.astype(unwrap(src), self.dtype), self.shape)
                           if hasattr(unwrap(src), "_trace") else
                           np.broadcast_to(np.asarray(unwrap(src), self.dtype), self.shape)))
    Tensor.clamp_ = lambda self, min=None, max=None: _update(       # noqa: A002
        self, lambda: self.clamp(min, max))
