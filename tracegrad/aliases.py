"""Names other autodiff libraries use for what tracegrad spells differently (or leaves
out). `tg.jit` or `tg.elementwise_grad` then fail with tracegrad's spelling instead of a
bare AttributeError. Every name in these texts exists (a test checks them all)."""
from __future__ import annotations

from .errors import SpellingError


# name -> (where it comes from, what to write with tracegrad)
ATTRIBUTES = {
    "jit": ("JAX's jax.jit",
            "tg.compile(f), with static_argnums= and static_argnames= as in JAX"),
    "jacobian": ("HIPS autograd's and JAX's jacobian",
                 "tg.jacrev(f) (reverse mode), or tg.jacfwd(f) (forward mode)"),
    "elementwise_grad": (
        "HIPS autograd's elementwise_grad",
        "for an elementwise f it is the gradient of the sum of its outputs: "
        "tg.grad(lambda x: f(x).sum()); in general the VJP with a cotangent of ones: "
        "y, f_vjp = tg.vjp(f, x); f_vjp(tg.numpy.ones_like(y))[0]"),
    "make_vjp": ("HIPS autograd's make_vjp(f)(x), which returns (vjp_fn, value)",
                 "tg.vjp(f, x), which returns (value, vjp_fn) as JAX's jax.vjp"),
    "make_jvp": ("HIPS autograd's make_jvp(f)(x)(v)",
                 "tg.jvp(f, (x,), (v,)), which returns (value, tangent) as jax.jvp"),
    "hessian_vector_product": (
        "HIPS autograd's hessian_vector_product(f)(x, v)",
        "forward over reverse: tg.jvp(tg.grad(f), (x,), (v,))[1]"),
    "grad_and_aux": ("HIPS autograd's grad_and_aux",
                     "tg.grad(f, has_aux=True), which returns (gradient, aux)"),
    "detach": ("PyTorch's torch.detach",
               "tg.stop_gradient(x) in functional code, or t.detach() on a tg.tensor"),
}


def missing_attribute(name: str) -> AttributeError:
    """The error for `tracegrad.<name>` when tracegrad has no such attribute."""
    if name in ATTRIBUTES:
        origin, instead = ATTRIBUTES[name]
        return SpellingError(f"module 'tracegrad' has no attribute {name!r} ({origin}); "
                             f"with tracegrad: {instead}.")
    return AttributeError(f"module 'tracegrad' has no attribute {name!r}")
