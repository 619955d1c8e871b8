"""gradcheck / gradgradcheck with PyTorch's signatures, on tracegrad's check_grads: the
function of tensors is differentiated (through the same engine and rules as the tape) in
reverse mode, and in forward mode with check_forward_ad=True, along random directions
against central finite differences in float64."""
from __future__ import annotations

from ..autodiff import check_grads
from .tensor import Tensor, unwrap, wrap


class GradcheckError(RuntimeError):
    """A derivative disagrees with finite differences (PyTorch's class name)."""


def _as_function(func, inputs):
    """func as a function of the arrays of the inputs that require grad (the others
    held fixed), returning arrays."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    positions = [i for i, x in enumerate(inputs)
                 if isinstance(x, Tensor) and x.requires_grad]
    if not positions:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of the them have requires_grad=True.")

    def f(*arrays):
        full = [x.detach() if isinstance(x, Tensor) else x for x in inputs]
        for i, a in zip(positions, arrays):
            full[i] = wrap(a)
        return unwrap(func(*full))

    return f, tuple(inputs[i].detach().numpy() for i in positions)


def _check(func, inputs, order, eps, atol, rtol, raise_exception, forward):
    f, args = _as_function(func, inputs)
    try:
        check_grads(f, args, order=order, modes=("rev", "fwd") if forward else ("rev",),
                    atol=atol, rtol=rtol, eps=eps)
    except AssertionError as err:
        if raise_exception:
            raise GradcheckError(str(err)) from None
        return False
    return True


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              check_forward_ad=False, check_backward_ad=True, **_ignored):
    """True when func's first derivatives (with respect to the inputs that require
    grad) match finite differences; else raises GradcheckError (or returns False)."""
    if not check_backward_ad and not check_forward_ad:
        return True
    return _check(func, inputs, 1, eps, atol, rtol, raise_exception, check_forward_ad)


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, check_fwd_over_rev=False, **_ignored):
    """gradcheck of func's first derivative (a vector-Jacobian product with random
    cotangents): its second derivatives against finite differences."""
    return _check(func, inputs, 2, eps, atol, rtol, raise_exception, check_fwd_over_rev)
