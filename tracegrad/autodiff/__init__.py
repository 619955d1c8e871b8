"""Reverse-mode differentiation: VJP rule tables, the backward builder, and the public
transformations built on them."""
from . import callback_rules, control_rules, elementwise_rules, linalg_rules, linear, vjp_extra, vjp_reductions  # noqa: F401  (rules)
from .api import grad, jvp, stop_gradient, value_and_grad, vjp
from .jacobians import hessian, jacfwd, jacrev
from .keywords import checked_keywords
from . import complex_rules  # noqa: F401  (rules: real, imag, conj, complex, abs)
from . import batching_rules, batching_control  # noqa: F401  (batching rules)
from .vmap import vmap
from . import fft_rules  # noqa: F401  (rules: fft)

# grad(f, argnum=1) says argnums= (HIPS autograd's spelling) instead of a bare TypeError.
grad, value_and_grad, jacfwd, jacrev, hessian = map(
    checked_keywords, (grad, value_and_grad, jacfwd, jacrev, hessian))
from .check_grads import check_grads
from .custom_jvp import custom_jvp
from .custom_vjp import custom_vjp
from .rules import NON_DIFFERENTIABLE, VJP_RULES, defvjp, nondifferentiable
