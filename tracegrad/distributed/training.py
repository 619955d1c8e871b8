"""`fit`: a training loop over Dask data. Each step takes one distributed gradient (of
all rows, or of a random subset of chunks) and applies one optimizer update on the
client; the optimizer is any optax-style pair `init(params) -> state`,
`update(grads, state, params) -> (updates, state)`, whose updates are added to params —
tracegrad.optim's (`sgd`, `adam`, `adamw`, `rmsprop`, with schedules) or optax's."""
from __future__ import annotations

import sys
import time

import numpy as np

import tracegrad as tg

from .. import optim
from ..errors import ArgumentError
from .chunks import row_chunks
from .gradient import value_and_grad


def fit(loss, params, data, optimizer, steps: int, batch_rows=None, callback=None,
        seed: int = 0, progress=None):
    """Train `params` for `steps` steps; -> (params, losses).

    data: one Dask array or a tuple of them (chunked along rows alike). optimizer: an
    optax-style optimizer (a float means plain SGD with that learning rate). batch_rows:
    None for full-batch steps, else each step uses a random subset of whole chunks with
    at least that many rows. callback(step, params, loss) runs after each step; returning
    True stops early. progress: a progress bar with the loss on stderr (default: when
    stderr is a terminal)."""
    data = data if isinstance(data, tuple) else (data,)
    rows = row_chunks(data)
    if isinstance(optimizer, (int, float)):
        optimizer = optim.sgd(float(optimizer))
    if batch_rows is not None and not 0 < batch_rows:
        raise ArgumentError(f"batch_rows={batch_rows}; use a positive number or None")
    step_fn = value_and_grad(loss, reduce="mean")
    state = optimizer.init(params)
    rng = np.random.default_rng(seed)
    show = sys.stderr.isatty() if progress is None else progress
    losses, start = [], time.perf_counter()
    for step in range(steps):
        batch = data if batch_rows is None else _chunk_subset(data, rows, batch_rows, rng)
        value, grads = step_fn(params, *batch)
        updates, state = optimizer.update(grads, state, params)
        params = tg.tree_map(lambda p, u: np.asarray(p + u, np.asarray(p).dtype),
                             params, updates)
        losses.append(float(value))
        if show:
            _draw(step + 1, steps, float(value), time.perf_counter() - start)
        if callback is not None and callback(step, params, float(value)):
            break
    if show:
        sys.stderr.write("\n")
    return params, losses


def _chunk_subset(data, rows, batch_rows, rng):
    """Whole chunks in random order until they hold batch_rows rows (no data moves)."""
    import dask.array as da

    chosen, total = [], 0
    for i in rng.permutation(len(rows)):
        chosen.append(int(i))
        total += rows[i]
        if total >= batch_rows:
            break
    chosen.sort()
    return tuple(da.concatenate([x.blocks[i] for i in chosen], axis=0) for x in data)


def _draw(step, steps, loss, seconds, width=30):
    done = int(width * step / steps)
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {step}/{steps} "
                     f"loss {loss:.6g}  {seconds:.1f} s")
    sys.stderr.flush()
