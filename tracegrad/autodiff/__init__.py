"""Reverse-mode differentiation: VJP rule tables, the backward builder, and the public
transformations built on them."""
from . import control_rules, elementwise_rules, linear, vjp_extra, vjp_reductions  # noqa: F401  (rules)
from .api import grad, hessian, jacfwd, jacrev, jvp, stop_gradient, value_and_grad, vjp
from .check_grads import check_grads
from .custom_vjp import custom_vjp
from .rules import NON_DIFFERENTIABLE, VJP_RULES, defvjp, nondifferentiable
