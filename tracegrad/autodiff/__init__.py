"""Reverse-mode differentiation: VJP rule tables, the backward builder, and the public
transformations built on them."""
from . import vjp_elementwise, vjp_extra, vjp_reductions, vjp_structural  # noqa: F401
from .api import grad, hessian, jacfwd, jacrev, jvp, stop_gradient, value_and_grad, vjp
from .check_grads import check_grads
from .custom_vjp import custom_vjp
from .rules import NON_DIFFERENTIABLE, VJP_RULES, defvjp, nondifferentiable
