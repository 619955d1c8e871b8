"""Data-parallel gradients and training on Dask (`pip install 'tracegrad[distributed]'`).

The compiled `value_and_grad` runs on each worker over the chunks it holds, the chunks'
contributions are combined by a tree reduction in the Dask graph, and the client gets
NumPy. Dask schedules, moves and retries everything: there is no scheduler, transport or
all-reduce of ours. See docs/distributed.md."""
from ..optim import adam, sgd       # the optimizers fit takes, re-exported for short code
from .gradient import value_and_grad
from .training import fit

__all__ = ["value_and_grad", "fit", "sgd", "adam"]
