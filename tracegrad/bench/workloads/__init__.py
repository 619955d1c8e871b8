"""The benchmark workloads, in the order the suite runs them."""
from . import (dispatch, dispatch_pytree, elementwise, gmm, hessian, jacrev, layernorm_gelu,
               logreg, mlp, nested_grad, newton, ode, per_example, rnn, rnn_scan,
               saddle_point, scalar_chain, scalar_graph, softmax_xent, spectral)
from .base import Workload

WORKLOADS: dict[str, Workload] = {w.name: w for w in (
    elementwise.WORKLOAD, dispatch.WORKLOAD, dispatch_pytree.WORKLOAD, logreg.WORKLOAD,
    softmax_xent.WORKLOAD, mlp.WORKLOAD, layernorm_gelu.WORKLOAD, gmm.WORKLOAD, rnn.WORKLOAD,
    scalar_graph.WORKLOAD, rnn_scan.WORKLOAD, rnn_scan.WIDE, ode.WORKLOAD, newton.WORKLOAD,
    scalar_chain.WORKLOAD, nested_grad.WORKLOAD, saddle_point.WORKLOAD, spectral.WORKLOAD,
    per_example.WORKLOAD, jacrev.WORKLOAD, hessian.WORKLOAD, per_example.EAGER)}
# What runs without --workloads; the others run when named.
DEFAULT_WORKLOADS = [name for name, w in WORKLOADS.items() if w.in_default_suite]

__all__ = ["WORKLOADS", "DEFAULT_WORKLOADS", "Workload"]
