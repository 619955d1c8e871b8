"""gradcheck / gradgradcheck with PyTorch's signatures, on tracegrad's check_grads: the
function of tensors is differentiated (through the same engine and rules as the tape) in
reverse mode, and in forward mode with check_forward_ad=True, along random directions
against central finite differences in float64."""
from __future__ import annotations

from ..autodiff import check_grads, vjp
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
    return _check_function(f, args, order, eps, atol, rtol, raise_exception, forward)


def _check_function(f, args, order, eps, atol, rtol, raise_exception, forward):
    try:
        check_grads(f, args, order=order, modes=("rev", "fwd") if forward else ("rev",),
                    atol=atol, rtol=rtol, eps=eps)
    except AssertionError as err:
        if raise_exception:
            raise GradcheckError(str(err)) from None
        return False
    return True


def _no_batched(check_batched_grad, check_batched_forward_grad=False):
    if check_batched_grad or check_batched_forward_grad:
        raise ValueError("check_batched_grad needs vmap, which tracegrad does not have: "
                         "leave it False")


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """True when func's first derivatives (with respect to the inputs that require
    grad) match finite differences; else raises GradcheckError (or returns False).
    Random directions are always used (PyTorch's fast_mode); nondet_tol,
    check_undefined_grad, check_grad_dtypes and masked do not apply (the engine is
    deterministic, undefined gradients are zeros, gradients keep their input's dtype)."""
    _no_batched(check_batched_grad, check_batched_forward_grad)
    if not check_backward_ad and not check_forward_ad:
        return True
    return _check(func, inputs, 1, eps, atol, rtol, raise_exception, check_forward_ad)


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False,
                  check_batched_grad=False, check_fwd_over_rev=False,
                  check_rev_over_rev=True, fast_mode=False, masked=False):
    """gradcheck of func's first derivative: the vector-Jacobian product with
    grad_outputs (random ones when not given), against finite differences."""
    _no_batched(check_batched_grad)
    if grad_outputs is None:
        return _check(func, inputs, 2, eps, atol, rtol, raise_exception, check_fwd_over_rev)
    f, args = _as_function(func, inputs)
    cotangent = unwrap(grad_outputs if isinstance(grad_outputs, Tensor) else
                       tuple(grad_outputs))
    if isinstance(cotangent, tuple) and len(cotangent) == 1 and \
            not isinstance(f(*args), tuple):
        cotangent = cotangent[0]

    def first_derivative(*arrays):
        return vjp(f, *arrays)[1](cotangent)

    return _check_function(first_derivative, args, 1, eps, atol, rtol, raise_exception,
                           check_fwd_over_rev)
