"""pure_callback has no derivative of its own, as in JAX: both modes raise, naming the
callback, the user's line, and the fix (a custom rule around the function calling it)."""
from __future__ import annotations

from ..errors import MissingRuleError
from .jvp_rules import defjvp
from .rules import defvjp


def no_derivative(mode: str, callback) -> MissingRuleError:
    return MissingRuleError(
        f"{mode} of pure_callback {callback.name} (called at {callback.where}): a callback "
        f"runs opaque Python code and has no derivative. Give the function that calls it "
        f"one: wrap that function in tg.custom_vjp (define its backward pass) or "
        f"tg.custom_jvp (define its forward-mode derivative); the rule may use tracegrad "
        f"operations or another pure_callback.")


@defvjp("pure_callback")
def _pure_callback_vjp(cts, outs, *args, callback, out_avals):
    raise no_derivative("Reverse-mode differentiation (grad, vjp)", callback)


@defjvp("pure_callback")
def _pure_callback_jvp(tangents, outs, *args, callback, out_avals):
    raise no_derivative("Forward-mode differentiation (jvp, jacfwd)", callback)
