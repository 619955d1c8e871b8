"""The benchmark workloads, in the order the suite runs them."""
from . import (dispatch, dispatch_pytree, elementwise, gmm, layernorm_gelu, logreg, mlp,
               nested_grad, newton, ode, rnn, rnn_scan, scalar_chain, scalar_graph,
               softmax_xent, spectral)
from .base import Workload

WORKLOADS: dict[str, Workload] = {w.name: w for w in (
    elementwise.WORKLOAD, dispatch.WORKLOAD, dispatch_pytree.WORKLOAD, logreg.WORKLOAD,
    softmax_xent.WORKLOAD, mlp.WORKLOAD, layernorm_gelu.WORKLOAD, gmm.WORKLOAD, rnn.WORKLOAD,
    scalar_graph.WORKLOAD, rnn_scan.WORKLOAD, rnn_scan.WIDE, ode.WORKLOAD, newton.WORKLOAD,
    scalar_chain.WORKLOAD, nested_grad.WORKLOAD, spectral.WORKLOAD)}

__all__ = ["WORKLOADS", "Workload"]
