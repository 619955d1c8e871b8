"""`value_and_grad` over Dask arrays: one task per row chunk runs the compiled
value_and_grad where the chunk lives, a tree of `combine` tasks sums the contributions,
and only the sum travels to the client."""
from __future__ import annotations

import uuid

from ..errors import ArgumentError
from .chunks import row_chunks
from .worker import chunk_contribution, combine

REDUCTIONS = ("mean", "sum")
FAN_IN = 8


def value_and_grad(loss, reduce: str = "mean", argnums=0, has_aux: bool = False):
    """A function of `(params, *data)` -> `(value, grads)` (`((value, aux), grads)` with
    has_aux, aux a list with one entry per chunk), computed chunk by chunk on the Dask
    workers holding the data.

    The arguments up to the last of `argnums` are parameters (any pytree of NumPy arrays,
    sent to each worker once per call); the rest are data: Dask arrays chunked along
    axis 0 with the same row chunks. `loss(params, *data)` is the loss of a batch of rows:
    with reduce="mean" it should be the mean over the rows, and the result is the loss and
    gradient of the mean over all rows (chunks weighted by their rows, a ragged last chunk
    included); with "sum", the sum."""
    if reduce not in REDUCTIONS:
        raise ArgumentError(f"reduce={reduce!r}; use one of {REDUCTIONS}")
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums or min(nums) < 0:
        raise ArgumentError(f"argnums={argnums}: give non-negative positions of the "
                            f"parameter arguments (the data follow them)")
    n_params = max(nums) + 1
    token = uuid.uuid4().hex        # names this loss's compiled function on the workers

    def run(*args):
        if len(args) <= n_params:
            raise ArgumentError(f"{len(args)} arguments with argnums={argnums}: pass the "
                                f"data (Dask arrays) after the {n_params} parameter "
                                f"argument(s)")
        data_positions = tuple(range(n_params, len(args)))
        data = args[n_params:]
        rows = row_chunks(data, first_position=n_params)
        total = sum(rows)
        weights = [r / total if reduce == "mean" else 1.0 for r in rows]
        return _compute((token, loss, argnums, has_aux, data_positions),
                        list(args[:n_params]), data, rows, weights, has_aux)

    run.__name__ = f"distributed_value_and_grad_{getattr(loss, '__name__', 'loss')}"
    return run


def _compute(spec, others, data, rows, weights, has_aux):
    import dask

    client = _client()
    if client is not None:
        # Once per call to every worker, not once per chunk (a dict's keys name the
        # futures: a fresh one per call).
        key = f"tracegrad-params-{uuid.uuid4().hex}"
        others = client.scatter({key: others}, broadcast=True, hash=False)[key]
    spec = dask.delayed(spec, pure=True)
    blocks = [x.to_delayed().ravel() for x in data]
    starts = [sum(rows[:i]) for i in range(len(rows))]
    parts = [dask.delayed(chunk_contribution, pure=True)(
        spec, i, (starts[i], starts[i] + rows[i]), weights[i], others,
        *[b[i] for b in blocks]) for i in range(len(rows))]
    # A tree of sums, FAN_IN contributions per task: few levels (each level costs a
    # scheduler round trip), while no task gathers more than FAN_IN gradients.
    while len(parts) > 1:
        parts = [dask.delayed(combine, pure=True)(*parts[i:i + FAN_IN])
                 if len(parts[i:i + FAN_IN]) > 1 else parts[i]
                 for i in range(0, len(parts), FAN_IN)]
    value, grads, auxes = parts[0].compute()
    return ((value, auxes) if has_aux else value), grads


def _client():
    """The active dask.distributed client, or None (Dask's local scheduler then)."""
    try:
        from distributed import default_client
        return default_client()
    except (ImportError, ValueError):
        return None
