"""Batching rules of the elementwise, structural, reduction, product, sorting and linear
algebra primitives. Each keeps the batch axis first (see batching.py)."""
from __future__ import annotations

import numpy as np

from .. import lax
from ..ir import PRIMITIVES, kinds
from ..tracer import aval_of, bind
from .batching import (all_batched, broadcast_batch, defbatch, moveaxis, ndim, permute,
                       shape)


def _bind(node, args, **params):
    """The node's primitive on args with some params changed; always a list."""
    outs = bind(node.prim, args, {**node.params, **params}, node.loc)
    return outs if node.prim.multiple_results else [outs]


# ---- elementwise: one rule ---------------------------------------------------------------------
# Operands broadcast NumPy-style (aligned at the right), so an unbatched operand already
# lines up with the example axes of a batched one; a batched operand of lower rank than
# the result gets unit axes after its batch axis so its batch axis lines up with the
# result's.

def _elementwise(args, batched, size, node):
    rank = len(node.outputs[0].aval.shape)
    lined_up = []
    for x, b in zip(args, batched):
        if b and ndim(x) - 1 < rank:
            example = shape(x)[1:]
            x = lax.reshape(x, (size,) + (1,) * (rank - len(example)) + example)
        lined_up.append(x)
    return _bind(node, lined_up)


defbatch(*[name for name, p in PRIMITIVES.items() if p.kind == kinds.ELEMENTWISE])(_elementwise)


# ---- axes shift by one ---------------------------------------------------------------------------

@defbatch("reduce_sum", "reduce_prod", "reduce_max", "reduce_min")
def _reduce(args, batched, size, node):
    return _bind(node, args, axes=tuple(a + 1 for a in node.params["axes"]))


@defbatch("argmax", "argmin", "cumsum", "cumprod", "sort")
def _along_axis(args, batched, size, node):
    return _bind(node, args, axis=node.params["axis"] + 1)


@defbatch("broadcast_in_dim")
def _broadcast_in_dim(args, batched, size, node):
    p = node.params
    return _bind(node, args, shape=(size,) + tuple(p["shape"]),
                 dims=(0,) + tuple(d + 1 for d in p["dims"]))


@defbatch("reshape")
def _reshape(args, batched, size, node):
    return _bind(node, args, shape=(size,) + tuple(node.params["shape"]))


@defbatch("transpose")
def _transpose(args, batched, size, node):
    return _bind(node, args, perm=(0,) + tuple(p + 1 for p in node.params["perm"]))


@defbatch("slice")
def _slice(args, batched, size, node):
    return _bind(node, args, dims=((0, 1, size),) + tuple(node.params["dims"]))


@defbatch("concatenate")
def _concatenate(args, batched, size, node):
    return _bind(node, all_batched(args, batched, size), axis=node.params["axis"] + 1)


@defbatch("iota")
def _iota(args, batched, size, node):        # no operands: never batched
    return [broadcast_batch(o, size) for o in _bind(node, args)]


@defbatch("pad")
def _pad(args, batched, size, node):
    x, value = args
    if batched[1]:                            # a padding value per example
        return loop_over_batch(args, batched, size, node)
    if not batched[0]:
        x = broadcast_batch(x, size)
    return _bind(node, [x, value], widths=((0, 0),) + tuple(node.params["widths"]))


# ---- products ------------------------------------------------------------------------------------

@defbatch("dot_general")
def _dot_general(args, batched, size, node):
    a, b = args
    (lc, rc), (lb, rb) = node.params["dims"]
    up = lambda axes: tuple(i + 1 for i in axes)
    if batched[0] and batched[1]:             # the batch axis becomes a dot batch axis
        dims = ((up(lc), up(rc)), ((0,) + up(lb), (0,) + up(rb)))
        return _bind(node, [a, b], dims=dims)
    if batched[0]:                            # a free axis of a: first of a's free axes
        (out,) = _bind(node, [a, b], dims=((up(lc), rc), (up(lb), rb)))
        return [moveaxis(out, len(lb), 0)]
    # A free axis of b. The result has it after a's free axes; with the operands swapped
    # it comes first among the free axes, and b's other free axes come before a's. Take
    # the swapped form when only it puts the batch axis first without a real transpose.
    a_shape, b_shape = shape(a), shape(b)
    batch = [a_shape[i] for i in lb]
    a_free = [a_shape[i] for i in range(len(a_shape)) if i not in lc + lb]
    b_rest = [b_shape[i] for i in range(1, len(b_shape)) if i not in up(rc) + up(rb)]
    nb, na, nr = len(batch), len(a_free), len(b_rest)
    direct_perm = [nb + na] + [i for i in range(nb + na + 1 + nr) if i != nb + na]
    direct_shape = batch + a_free + [size] + b_rest
    swapped_perm = ([nb] + list(range(nb)) + list(range(nb + 1 + nr, nb + 1 + nr + na)) +
                    list(range(nb + 1, nb + 1 + nr)))
    swapped_shape = batch + [size] + b_rest + a_free
    if not _only_unit_axes_move(direct_shape, direct_perm) and \
            _only_unit_axes_move(swapped_shape, swapped_perm):
        (out,) = _bind(node, [b, a], dims=((up(rc), lc), (up(rb), lb)))
        return [permute(out, swapped_perm)]
    (out,) = _bind(node, [a, b], dims=((lc, up(rc)), (lb, up(rb))))
    return [permute(out, direct_perm)]


def _only_unit_axes_move(shape_, perm) -> bool:
    moving = [i for i in perm if shape_[i] != 1]
    return moving == sorted(moving)


# ---- linear algebra: the primitives work on stacks of matrices --------------------------------

@defbatch(*[name for name, p in PRIMITIVES.items() if p.kind == kinds.LINALG])
def _stacked(args, batched, size, node):
    return _bind(node, all_batched(args, batched, size))


# ---- indexing ------------------------------------------------------------------------------------

def _with_batch_index(idx, size):
    """Indices (B, ..., k) -> (B, ..., k + 1) whose first component is the example."""
    idx_shape = shape(idx)
    dtype = aval_of(idx).dtype
    example = lax.iota(dtype, idx_shape[:-1] + (1,), 0)
    return lax.concatenate([example, idx], len(idx_shape) - 1)


@defbatch("gather")
def _gather(args, batched, size, node):
    x, idx = args
    k = shape(idx)[-1] - (1 if batched[1] else 0)
    if not batched[1]:                        # batch axis of x after the indexed axes
        x = moveaxis(x, 0, k)
        (out,) = _bind(node, [x, idx])
        return [moveaxis(out, ndim(idx) - 1, 0)]
    if not batched[0]:                        # results already batch-first
        return _bind(node, [x, idx])
    return _bind(node, [x, _with_batch_index(idx, size)])


@defbatch("scatter_add")
def _scatter_add(args, batched, size, node):
    x, idx, updates = args
    x, updates = [a if b else broadcast_batch(a, size)
                  for a, b in ((x, batched[0]), (updates, batched[2]))]
    if not batched[1]:                        # as gather: batch axis after the indexed axes
        k = shape(idx)[-1]
        (out,) = _bind(node, [moveaxis(x, 0, k), idx, moveaxis(updates, 0, ndim(idx) - 1)])
        return [moveaxis(out, k, 0)]
    return _bind(node, [x, _with_batch_index(idx, size), updates])


@defbatch("dynamic_slice")
def _dynamic_slice(args, batched, size, node):
    x, starts = args[0], args[1:]
    sizes = tuple(node.params["slice_sizes"])
    if not any(batched[1:]):
        zero = np.zeros((), aval_of(starts[0]).dtype) if starts else np.zeros((), np.intp)
        return _bind(node, [x, zero, *starts], slice_sizes=(size,) + sizes)
    # Starts per example: a gather of each block, its indices start + 0..size-1 per axis.
    example_shape = shape(x)[1:] if batched[0] else shape(x)
    index_dtype = np.dtype(np.int64)
    block = (size,) + sizes
    columns = []
    for axis, (start, b, n, k) in enumerate(zip(starts, batched[1:], example_shape, sizes)):
        start = lax.convert(start, index_dtype)
        start = start if b else broadcast_batch(start, size)
        start = lax.apply("max", lax.apply("min", start, np.asarray(n - k, index_dtype)),
                          np.asarray(0, index_dtype))     # clamped, as the primitive does
        start = lax.broadcast_in_dim(start, block, (0,))
        columns.append(lax.apply("add", start, lax.iota(index_dtype, block, axis + 1)))
    if batched[0]:
        columns.insert(0, lax.iota(index_dtype, block, 0))
    idx = lax.concatenate([lax.reshape(c, block + (1,)) for c in columns], len(block))
    return [lax.gather(x, idx)]


@defbatch("dynamic_update_slice")
def _dynamic_update_slice(args, batched, size, node):
    if any(batched[2:]):                      # update positions per example
        return loop_over_batch(args, batched, size, node)
    x, update = all_batched(args[:2], batched[:2], size)
    starts = args[2:]
    zero = np.zeros((), aval_of(starts[0]).dtype) if starts else np.zeros((), np.intp)
    return _bind(node, [x, update, zero, *starts])


# ---- the fallback: a loop over the batch, as one scan -------------------------------------------

def loop_over_batch(args, batched, size, node):
    """The primitive once per example, as a `scan` over the batch axis: one loop in one
    program, for the few cases without a vectorized rule (documented in docs/autodiff.md)."""
    def body(carry, slices):
        it = iter(slices)
        operands = [next(it) if b else a for a, b in zip(args, batched)]
        return carry, _bind(node, operands)
    _, ys = lax.scan(body, (), [a for a, b in zip(args, batched) if b], length=size)
    return list(ys)
