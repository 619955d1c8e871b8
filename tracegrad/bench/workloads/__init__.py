"""The benchmark workloads, in the order the suite runs them."""
from . import (dispatch, elementwise, gmm, layernorm_gelu, logreg, mlp, rnn, scalar_graph,
               softmax_xent)
from .base import Workload

WORKLOADS: dict[str, Workload] = {m.WORKLOAD.name: m.WORKLOAD for m in (
    elementwise, dispatch, logreg, softmax_xent, mlp, layernorm_gelu, gmm, rnn,
    scalar_graph)}

__all__ = ["WORKLOADS", "Workload"]
