"""Op-table rows for slices at traced positions (tracegrad.lax.dynamic_slice and its
family). NumPy has no such function: the oracle is the NumPy slice each call stands for,
with JAX's start rule (a negative start counts from the end once, then every start is
clamped so the block stays in bounds). Starts are arguments of the rows, so they are
traced wherever the tests trace (interpreter, compiled); several cases are out of range
on purpose (the compiled test runs the first two cases and the last)."""
import numpy as np

import tracegrad as tg
from tracegrad import lax

from .generators import uniform
from .op_table import Row


def _start(s, n, k, wrap=True):
    s = int(s)
    if wrap and s < 0:
        s += n
    return min(max(s, 0), n - k)


def _block(shape, starts, sizes, wrap=True):
    return tuple(slice(b, b + k) for b, k in
                 ((_start(s, n, k, wrap), k) for s, n, k in zip(starts, shape, sizes)))


def np_dynamic_slice(x, starts, sizes, wrap=True):
    return x[_block(x.shape, starts, sizes, wrap)]


def np_dynamic_update_slice(x, update, starts):
    out = x.copy()
    out[_block(x.shape, starts, update.shape)] = update
    return out


def either(reference, function):
    """The row's function: the NumPy reference when xp is NumPy and no argument is
    traced, tracegrad.lax's function otherwise (traced, or through tracegrad.numpy)."""
    def fn(xp, *args):
        if xp is np and not any(isinstance(a, tg.Tracer) for a in args):
            return reference(*args)
        return function(*args)
    return fn


def blocks(shape, starts_list, update_shape=None, start_dtype=np.int64, packed=False):
    """One case per tuple of starts: (x[, update], *starts), or (x[, update], starts)
    with the starts packed in one 1-D array."""
    def cases(rng, dtype):
        out = []
        for starts in starts_list:
            args = [uniform()(rng, dtype, shape)]
            if update_shape is not None:
                args.append(uniform()(rng, dtype, update_shape))
            if packed:
                args.append(np.asarray(starts, start_dtype))
            else:
                args.extend(np.asarray(s, start_dtype) for s in starts)
            out.append(tuple(args))
        return out
    return cases


def _slice_row(name, shape, sizes, starts_list, wrap=True, **kwargs):
    return Row(name, either(lambda x, *s: np_dynamic_slice(x, s, sizes, wrap),
                            lambda x, *s: lax.dynamic_slice(
                                x, s, sizes, allow_negative_indices=wrap)),
               blocks(shape, starts_list, **kwargs))


def _update_row(name, shape, update_shape, starts_list):
    return Row(name, either(lambda x, u, *s: np_dynamic_update_slice(x, u, s),
                            lambda x, u, *s: lax.dynamic_update_slice(x, u, s)),
               blocks(shape, starts_list, update_shape), grad_argnums=(0, 1))


def _axis_slice(x, s, size, axis):
    starts = [0] * x.ndim
    starts[axis] = s
    sizes = list(x.shape)
    sizes[axis] = size
    return np_dynamic_slice(x, starts, sizes)


def _axis_update(x, u, s, axis):
    starts = [0] * x.ndim
    starts[axis] = s
    return np_dynamic_update_slice(x, u, starts)


ROWS = [
    # In range, past the end (clamped back), negative (from the end), far below 0.
    _slice_row("dynamic_slice_1d", (10,), (4,), [(3,), (8,), (-3,), (-30,)]),
    _slice_row("dynamic_slice_2d", (4, 6), (2, 3), [(1, 2), (3, -1), (0, 0), (-10, 100)],
               start_dtype=np.int32),
    _slice_row("dynamic_slice_2d_uint", (4, 6), (2, 3), [(1, 2), (7, 0)],
               start_dtype=np.uint8),
    Row("dynamic_slice_packed_starts",
        either(lambda x, s: np_dynamic_slice(x, s, (3, 2)),
               lambda x, s: lax.dynamic_slice(x, s, (3, 2))),
        blocks((4, 6), [(2, 5), (-1, -1), (0, 9)], packed=True)),
    _slice_row("dynamic_slice_no_negative", (4, 6), (2, 3), [(-2, 1), (1, -5), (2, 2)],
               wrap=False),
    _slice_row("dynamic_slice_whole", (4, 6), (4, 6), [(2, -3), (0, 0)]),
    _slice_row("dynamic_slice_empty", (4, 6), (0, 3), [(2, 1), (9, -9)]),
    _slice_row("dynamic_slice_0d", (), (), [()]),
    Row("dynamic_slice_int",
        either(lambda x, a, b: np_dynamic_slice(x, (a, b), (2, 2)),
               lambda x, a, b: lax.dynamic_slice(x, (a, b), (2, 2))),
        blocks((3, 5), [(1, 4), (-1, 0)]), dtypes=(np.int32, np.int64), grad_order=0),
    _update_row("dynamic_update_slice_1d", (10,), (4,), [(3,), (8,), (-3,), (-30,)]),
    _update_row("dynamic_update_slice_2d", (4, 6), (2, 3), [(1, 2), (3, -1), (-10, 100)]),
    _update_row("dynamic_update_slice_whole_axis", (4, 6), (4, 2), [(3, 1), (0, 5)]),
    _update_row("dynamic_update_slice_empty", (4, 6), (0, 2), [(1, 1)]),
    Row("dynamic_slice_in_dim",
        either(lambda x, s: _axis_slice(x, s, 3, 2),
               lambda x, s: lax.dynamic_slice_in_dim(x, s, 3, axis=-1)),
        blocks((2, 3, 5), [(1,), (4,), (-2,)])),
    Row("dynamic_index_in_dim",
        either(lambda x, i: _axis_slice(x, i, 1, 1)[:, 0],
               lambda x, i: lax.dynamic_index_in_dim(x, i, axis=1, keepdims=False)),
        blocks((3, 6), [(2,), (-1,), (7,)])),
    Row("dynamic_index_in_dim_keepdims",
        either(lambda x, i: _axis_slice(x, i, 1, 0),
               lambda x, i: lax.dynamic_index_in_dim(x, i)),
        blocks((4, 3), [(0,), (-4,), (-5,)])),
    Row("dynamic_update_slice_in_dim",
        either(lambda x, u, s: _axis_update(x, u, s, 1),
               lambda x, u, s: lax.dynamic_update_slice_in_dim(x, u, s, axis=1)),
        blocks((3, 6), [(1,), (5,), (-2,)], update_shape=(3, 2)), grad_argnums=(0, 1)),
    Row("dynamic_update_index_in_dim",
        either(lambda x, u, i: _axis_update(x, u[:, None], i, 1),
               lambda x, u, i: lax.dynamic_update_index_in_dim(x, u, i, 1)),
        blocks((3, 6), [(4,), (-1,), (6,)], update_shape=(3,)), grad_argnums=(0, 1)),
]

