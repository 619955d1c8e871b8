"""JAX: jax.jit(jax.value_and_grad(loss)) on the same NumPy-style source, jax.numpy as
the namespace, 64-bit enabled so float64 workloads stay float64; for the vmap kinds
jax.jit of jax.vmap(jax.grad(loss)), jax.jacrev or jax.hessian."""
from __future__ import annotations

from ..trees import tree_map
from .base import System, sgd_update


class JaxPeer(System):
    name = "jax"
    label = "jax (jit)"
    compiles = True
    module = "jax"
    distributions = ("jax", "jaxlib")

    def setup(self, threads):
        import jax
        jax.config.update("jax_enable_x64", True)
        jax.config.update("jax_platforms", "cpu")

    def prepare(self, workload, size, args):
        import jax
        import jax.numpy as jnp
        loss = workload.make_loss(jnp, size)
        value_and_grad = jax.value_and_grad(loss)
        if workload.kind == "per_example_grad":
            step = jax.vmap(jax.grad(loss), in_axes=workload.in_axes)
        elif workload.kind == "jacobian":
            step = jax.jacrev(loss)
        elif workload.kind == "hessian":
            step = jax.hessian(loss)
        elif workload.kind == "train_step":
            def step(params, *data):
                value, grads = value_and_grad(params, *data)
                return value, sgd_update(tree_map, params, grads, workload.learning_rate)
        else:
            step = value_and_grad
        jitted = jax.jit(step)
        # Inputs live on the device already, as in a JAX program; not part of the timing.
        device_args = jax.block_until_ready(tree_map(jnp.asarray, args))
        return lambda: jax.block_until_ready(jitted(*device_args))
