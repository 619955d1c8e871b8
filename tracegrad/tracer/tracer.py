"""Tracer: a stand-in for an array that records the operations applied to it.

Array methods and operators are installed by `tracegrad.numpy` (which knows NumPy's
semantics); this module keeps only what every tracer needs: its value, its trace, its
concrete value in eager mode, and the errors for using an abstract value concretely."""
from __future__ import annotations

import numpy as np

from ..errors import ConcretizationError
from ..ir import Aval, Value
from .advice import conversion_message, traced_slice_message
from .pytree import LEAF_TYPES
from .source import describe_location, user_location


def _concretization_error(tracer, what: str, hint: str = "") -> ConcretizationError:
    loc = describe_location(user_location())
    return ConcretizationError(
        f"{what} needs a concrete value, but a traced array of type {tracer.aval} has "
        f"none here (at {loc}). Under `compile`, `make_ir` and `vmap` values are abstract.\n"
        f"Fixes: {hint}for a branch, tg.cond(pred, true_fun, false_fun, *operands) (or "
        f"tg.switch, or tracegrad.numpy.where for elementwise choices); for a loop whose "
        f"end depends on values, tg.while_loop(cond_fun, body_fun, init) (tg.fori_loop "
        f"and tg.scan for counted loops); or mark the argument static (static_argnums=... "
        f"/ static_argnames=...).")


class Tracer:
    """An array under tracing. `_concrete` holds its value in eager mode, else None."""

    __slots__ = ("_trace", "_value", "_concrete", "__weakref__")
    __array_priority__ = 1000

    def __init__(self, trace, value: Value, concrete=None):
        self._trace = trace
        self._value = value
        self._concrete = concrete

    # -- type ---------------------------------------------------------------------
    @property
    def aval(self) -> Aval:
        return self._value.aval

    @property
    def shape(self):
        return self._value.aval.shape

    @property
    def dtype(self):
        return self._value.aval.dtype

    @property
    def ndim(self):
        return len(self._value.aval.shape)

    @property
    def size(self):
        return self._value.aval.size

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object (a 0-d traced array)")
        return self.shape[0]

    # -- concretization -------------------------------------------------------------
    def _require_concrete(self, what, hint=""):
        if self._concrete is None:
            raise _concretization_error(self, what, hint)
        return self._concrete

    def __bool__(self):
        return bool(self._require_concrete("Using a traced value in `if`, `while`, "
                                           "`and`/`or` or bool()"))

    def __float__(self):
        return float(self._require_concrete("float()"))

    def __int__(self):
        return int(self._require_concrete("int()"))

    def __complex__(self):
        return complex(self._require_concrete("complex()"))

    def __index__(self):
        if self._concrete is None:
            advice = traced_slice_message(self.aval)      # x[a:a + n]: dynamic_slice
            if advice is not None:
                raise ConcretizationError(advice)
        value = self._require_concrete(
            "Using a traced value as an index or size",
            "for a slice at a traced position (x[a:a + n]), tg.lax.dynamic_slice(x, "
            "start_indices, slice_sizes) or tg.lax.dynamic_slice_in_dim(x, a, n, axis), "
            "and tg.lax.dynamic_update_slice to write one (x.at[a:a + n].set(v)); ")
        return int(value.__index__())

    def item(self):
        return self._require_concrete(".item()").item()

    def tolist(self):
        return self._require_concrete(".tolist()").tolist()

    def __array__(self, dtype=None, copy=None):
        if self._concrete is not None and dtype is not None and \
                np.dtype(dtype).kind in "biu":
            # np.int64(x) on an eager value: NumPy's answer on the concrete value (an
            # integer has no derivative, so nothing is cut out of the trace).
            return np.asarray(self._concrete).astype(dtype)
        raise ConcretizationError(conversion_message(self.aval))

    def __repr__(self):
        if self._concrete is not None:
            return f"Tracer({np.array2string(self._concrete)}, dtype={self.dtype})"
        return f"Tracer<{self.aval}>"

    __hash__ = object.__hash__


LEAF_TYPES.add(Tracer)


def concrete_value(x):
    """The concrete value of a tracer in eager mode (None in abstract mode), or x itself."""
    if isinstance(x, Tracer):
        return x._concrete
    return x
