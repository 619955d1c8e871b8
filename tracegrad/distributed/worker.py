"""What runs on a worker: one compiled value_and_grad per (loss, argnums, has_aux) per
worker process, reused across steps (it compiles once per chunk signature; with a shared
TRACEGRAD_CACHE_DIR, workers load each other's machine code)."""
from __future__ import annotations

import threading

import numpy as np

import tracegrad as tg

_compiled: dict = {}
_lock = threading.Lock()


def compiled_value_and_grad(token: str, loss, argnums, has_aux: bool):
    # The loss arrives unpickled as a new object with every task: key by its token.
    with _lock:
        fn = _compiled.get(token)
        if fn is None:
            fn = _compiled[token] = tg.compile(tg.value_and_grad(loss, argnums=argnums,
                                                                 has_aux=has_aux))
        return fn


def chunk_contribution(spec, index, rows, weight, args, *blocks):
    """(weighted value, weighted gradients, aux) of one chunk: the loss on the chunk's
    rows, times `weight` (rows / total rows for a mean, 1 for a sum)."""
    token, loss, argnums, has_aux, data_positions = spec
    full = list(args)
    for position, block in zip(data_positions, blocks):
        full.insert(position, np.asarray(block))
    out, grads = compiled_value_and_grad(token, loss, argnums, has_aux)(*full)
    value, aux = out if has_aux else (out, None)
    leaves = [np.asarray(value)] + [np.asarray(g) for g in tg.tree_leaves(grads)]
    if not all(np.all(np.isfinite(leaf)) for leaf in leaves):
        what = "loss" if not np.all(np.isfinite(value)) else "gradient"
        raise FloatingPointError(
            f"chunk {index} (rows {rows[0]}..{rows[1] - 1}) gave a non-finite {what}; "
            f"check those rows of the data for NaN or inf")
    scaled = tg.tree_map(lambda g: np.asarray(g) * weight, grads)
    return np.asarray(value) * weight, scaled, [aux]


def combine(*parts):
    """Sum contributions (a tree reduction's step); aux lists concatenate in order."""
    value, grads, aux = parts[0]
    for v, g, a in parts[1:]:
        value, grads, aux = value + v, tg.tree_map(lambda x, y: x + y, grads, g), aux + a
    return value, grads, aux
