"""autograd.Function: PyTorch's custom operations, `forward(ctx, *args)` and
`backward(ctx, *grads)`, implemented on tracegrad's custom_vjp. So a Function works on
tensors (the tape), and on the plain arrays and tracers of the functional API: inside
tg.grad, tg.vjp and tg.compile its backward is the user's, compiled with the rest.

The custom_vjp rule calls the forward again when the backward pass needs it (to fill
ctx), so forward runs once more per backward pass than in PyTorch: keep it free of side
effects."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from ..autodiff import custom_vjp
from ..ir import is_float
from ..tracer import Tracer
from .grad_mode import is_grad_enabled, set_grad_enabled
from .tensor import Tensor, unwrap, wrap


class FunctionCtx:
    """The `ctx` of forward and backward."""

    def __init__(self, needs_input_grad):
        self.needs_input_grad = needs_input_grad
        self.materialize_grads = True
        self._saved = ()
        self._non_differentiable = []

    def save_for_backward(self, *tensors):
        self._saved = tensors

    @property
    def saved_tensors(self):
        return tuple(self._saved)

    def mark_non_differentiable(self, *tensors):
        """Outputs that get no gradient: they come back with requires_grad=False."""
        self._non_differentiable.extend(tensors)

    def set_materialize_grads(self, value: bool):
        """Kept for PyTorch's code: gradients of unused outputs are always zeros here
        (custom_vjp's rule), never None."""
        self.materialize_grads = bool(value)


class _Call:
    """One apply: which arguments are arrays, the others (passed through as they are),
    and what forward marked non-differentiable. Hashed by identity (a node param)."""

    def __init__(self, fn_class, args):
        self.fn_class = fn_class
        self.array_positions = [i for i, a in enumerate(args) if _is_array(a)]
        self.args = list(args)
        self.needs_input_grad = tuple(
            _is_array(a) and isinstance(unwrap(a), Tracer) and is_float(np.dtype(a.dtype))
            for a in args)
        self.non_differentiable = ()

    def forward(self, arrays, record):
        full = list(self.args)
        for i, a in zip(self.array_positions, arrays):
            full[i] = wrap(a)
        ctx = FunctionCtx(self.needs_input_grad)
        ctx._inputs = arrays
        # As in PyTorch the forward records nothing on the tape, except when the backward
        # rule runs it on tape tracers (create_graph=True): then the saved tensors must
        # carry their graph, for the backward of the backward.
        with set_grad_enabled(record):
            outs = self.fn_class.forward(ctx, *full)
        single = not isinstance(outs, tuple)
        outs_t = (outs,) if single else outs
        marked = {id(t) for t in ctx._non_differentiable}
        self.non_differentiable = tuple(i for i, t in enumerate(outs_t) if id(t) in marked)
        raw = tuple(unwrap(t) if isinstance(t, Tensor) else t for t in outs_t)
        return (raw[0] if single else raw), ctx

    def backward(self, ctx, cts):
        grads = self.fn_class.backward(ctx, *map(wrap, cts if isinstance(cts, tuple) else (cts,)))
        if not isinstance(grads, tuple):
            grads = (grads,)
        name = self.fn_class.__name__
        if len(grads) != len(self.args):
            raise RuntimeError(f"function {name}Backward returned an incorrect number of "
                               f"gradients (expected {len(self.args)}, got {len(grads)}): "
                               f"backward returns one per forward input, None for those "
                               f"without a gradient")
        result = []
        for i, g in enumerate(grads):
            if i not in self.array_positions:
                if g is not None:
                    raise RuntimeError(f"function {name}Backward returned a gradient "
                                       f"different than None at position {i}, but the "
                                       f"corresponding forward input was not a Tensor")
                continue
            x = ctx._inputs[self.array_positions.index(i)]
            if g is None:
                result.append(tnp.zeros_like(x))
                continue
            g = unwrap(g)
            if not _sums_to(np.shape(g), np.shape(x)):
                raise RuntimeError(f"Function {name}Backward returned an invalid gradient "
                                   f"at index {i} - got {list(np.shape(g))} but expected "
                                   f"shape compatible with {list(np.shape(x))}")
            result.append(g)
        return tuple(result)


def _sums_to(shape, target) -> bool:
    """Whether a gradient of `shape` sums down to `target` (target broadcasts to it)."""
    try:
        return np.broadcast_shapes(shape, target) == tuple(shape)
    except ValueError:
        return False


def _is_array(a):
    return isinstance(a, (Tensor, np.ndarray, Tracer))


def _fun(call, *arrays):
    return call.forward(arrays, record=False)[0]


def _fwd(call, *arrays):
    return call.forward(arrays, record=is_grad_enabled())


def _bwd(call, ctx, cts):
    return call.backward(ctx, cts)


_custom = custom_vjp(_fun, nondiff_argnums=(0,))
_custom.defvjp(_fwd, _bwd)


class Function:
    """Subclass with static forward(ctx, *args) and backward(ctx, *grad_outputs), and
    call `YourFunction.apply(*args)`."""

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("a Function subclass defines forward(ctx, *args)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("a Function subclass defines backward(ctx, *grads) to "
                                  "be differentiated")

    @classmethod
    def apply(cls, *args):
        call = _Call(cls, args)
        arrays = [unwrap(args[i]) for i in call.array_positions]
        outs = _custom(call, *arrays)
        if not any(isinstance(a, Tensor) for a in args):
            return outs                       # the functional API: arrays and tracers
        if not isinstance(outs, tuple):
            return _output(outs, 0 in call.non_differentiable)
        return tuple(_output(o, i in call.non_differentiable) for i, o in enumerate(outs))


def _output(raw, non_differentiable):
    result = wrap(raw)
    if non_differentiable and isinstance(result, Tensor):
        return result.detach()
    return result
