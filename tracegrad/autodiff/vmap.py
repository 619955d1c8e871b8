"""vmap: f over a batch, as jax.vmap.

The function is traced once on the avals of one example (an abstract trace, as under
`compile`), and its graph is replayed on the whole batch with each primitive's batching
rule (batching.py). So `vmap` works on arrays (each operation runs once, on the whole
batch, with NumPy), under `grad`/`jvp` (the batched operations are recorded and
differentiated) and under `compile` (one fused program); and `grad` inside `vmap`
(per-example gradients) is the batched backward graph."""
from __future__ import annotations

import functools

import numpy as np

from ..errors import ArgumentError, UnsupportedError
from ..tracer import (aval_of, is_python_scalar, leaf_paths, new_trace,
                      tree_flatten, tree_unflatten)
from ..tracer.source import describe_location, user_location
from .batching import as_operand, batch_graph, broadcast_batch, moveaxis
from .fresh import fresh_results


def _is_axis(spec) -> bool:
    return spec is None or (isinstance(spec, (int, np.integer)) and not isinstance(spec, bool))


def _axes_per_leaf(spec, treedef, what: str) -> list:
    """An axis (or None) for every leaf of `treedef`, from `spec`: a tree prefix of it
    whose leaves are ints or None (as JAX's in_axes/out_axes)."""
    if _is_axis(spec):
        return [spec] * treedef.num_leaves
    spec_leaves, spec_tree = tree_flatten(spec, is_leaf=lambda x: x is None)
    for s in spec_leaves:
        if not _is_axis(s):
            raise ArgumentError(f"vmap: {what} must be an int, None, or a pytree of them; "
                                f"got {s!r}")
    axes = []
    it = iter(spec_leaves)

    def match(spec_td, arg_td):
        if spec_td.kind is None:
            axes.extend([next(it)] * arg_td.num_leaves)
        elif spec_td.kind != arg_td.kind or spec_td.aux != arg_td.aux or \
                len(spec_td.children) != len(arg_td.children):
            raise ArgumentError(f"vmap: {what} {spec!r} does not match the structure "
                                f"{arg_td} it applies to (it must be a prefix of it)")
        else:
            for s, a in zip(spec_td.children, arg_td.children):
                match(s, a)
    match(spec_tree, treedef)
    return axes


def _positional_axes(in_axes, n_args):
    if isinstance(in_axes, list):          # JAX accepts a list for the positional tuple
        in_axes = tuple(in_axes)
    if isinstance(in_axes, tuple):
        if len(in_axes) != n_args:
            raise ArgumentError(f"vmap: in_axes has {len(in_axes)} entries but the "
                                f"function was called with {n_args} positional arguments")
        return in_axes
    if not _is_axis(in_axes):
        raise ArgumentError(f"vmap: in_axes must be an int, None, or a tuple with one "
                            f"entry per positional argument; got {in_axes!r}")
    return (in_axes,) * n_args


def _moved_leaves(leaves, axes, paths, axis_size):
    """Each mapped leaf with its mapped axis moved first, and the batch size."""
    sizes, moved = [], []
    for leaf, axis, path in zip(leaves, axes, paths):
        if axis is None:
            moved.append(leaf)
            continue
        if is_python_scalar(leaf) or not aval_of(leaf).shape:
            raise ArgumentError(f"vmap: in_axes={axis} for {path}, which is a scalar "
                                f"({aval_of(leaf)}): only arrays with an axis to map over "
                                f"can be mapped. Use None for it.")
        n = len(aval_of(leaf).shape)
        if not -n <= axis < n:
            raise ArgumentError(f"vmap: in_axes={axis} for {path} of shape "
                                f"{aval_of(leaf).shape}: out of range for {n} axes")
        x = as_operand(leaf)
        moved.append(moveaxis(x, axis, 0))
        sizes.append((path, axis, aval_of(leaf).shape[axis]))
    if not sizes:
        if axis_size is None:
            raise ArgumentError("vmap: in_axes maps no argument (every entry is None); "
                                "give axis_size= to say how many times to call the function")
        return moved, int(axis_size)
    size = sizes[0][2]
    if any(s != size for _, _, s in sizes) or (axis_size is not None and axis_size != size):
        detail = "; ".join(f"{path} has size {s} along axis {axis}" for path, axis, s in sizes)
        given = f" and axis_size={axis_size}" if axis_size is not None else ""
        raise ArgumentError(f"vmap got inconsistent sizes for the mapped axis: {detail}"
                            f"{given}")
    return moved, size


def vmap(f, in_axes=0, out_axes=0, axis_name=None, axis_size=None, spmd_axis_name=None):
    """Vectorize f over a batch axis (jax.vmap, same signature): in_axes says which axis
    of each argument is mapped (an int, None for an unmapped argument, or a pytree prefix
    of the arguments); keyword arguments are mapped along axis 0. out_axes places the
    batch axis in each output (None: an output that does not depend on the mapped
    inputs). axis_size is needed only when no argument is mapped. Named axes
    (axis_name, spmd_axis_name: collectives such as psum) are not supported."""
    fn_name = getattr(f, "__name__", "function")
    if axis_name is not None or spmd_axis_name is not None:
        raise UnsupportedError("vmap: axis_name/spmd_axis_name (named axes for collectives "
                               "such as psum) are not supported by tracegrad; reduce over "
                               "the batch axis of vmap's result instead")

    @functools.wraps(f)
    def vmapped(*args, **kwargs):
        spec = (_positional_axes(in_axes, len(args)), {k: 0 for k in kwargs})
        leaves, tree = tree_flatten((tuple(args), dict(kwargs)))
        axes = _axes_per_leaf(spec, tree, "in_axes")
        paths = _argument_paths(tree)
        moved, size = _moved_leaves(leaves, axes, paths, axis_size)
        batched = [a is not None for a in axes]

        # Arrays enter traced; an unmapped Python number enters as it is (as in JAX), so
        # it stays usable as a static size or index.
        traced = [b or not is_python_scalar(x) for x, b in zip(moved, batched)]
        inputs = [x for x, t in zip(moved, traced) if t]
        with new_trace(eager=False) as trace:
            tracers = iter([trace.new_input(_example_aval(x, b))
                            for x, b, t in zip(moved, batched, traced) if t])
            call_leaves = [next(tracers) if t else x for x, t in zip(moved, traced)]
            call_args, call_kwargs = tree_unflatten(tree, call_leaves)
            out_leaves, out_tree = tree_flatten(f(*call_args, **call_kwargs))
            graph, captured = trace.finish(out_leaves)

        in_batched = [b for b, t in zip(batched, traced) if t]
        outs, out_batched = batch_graph(graph, inputs + captured,
                                        in_batched + [False] * len(captured), size)
        out_axes_leaves = _axes_per_leaf(out_axes, out_tree, "out_axes")
        placed = [_place(o, b, axis, size, path, fn_name) for o, b, axis, path in
                  zip(outs, out_batched, out_axes_leaves, leaf_paths(out_tree, "output"))]
        return tree_unflatten(out_tree, fresh_results(placed, leaves))

    return vmapped


def _argument_paths(tree) -> list:
    """Readable names of the leaves of ((args...), {kwargs}): argument 0['w'], x."""
    args_td, kwargs_td = tree.children
    paths = []
    for i, child in enumerate(args_td.children):
        paths.extend(leaf_paths(child, f"argument {i}"))
    if kwargs_td.children:
        paths.extend(leaf_paths(kwargs_td, "keyword arguments"))
    return paths


def _example_aval(x, batched):
    aval = aval_of(x)
    return aval.update(shape=aval.shape[1:]) if batched else aval


def _place(out, batched, axis, size, path, fn_name):
    """An output with its batch axis at `axis` (broadcast if it does not depend on the
    batch), or unbatched for axis None."""
    if axis is None:
        if batched:
            raise ArgumentError(
                f"vmap of {fn_name}: out_axes is None for {path}, but it depends on the "
                f"mapped inputs (it differs between examples); give it an axis "
                f"(at {describe_location(user_location())})")
        return as_operand(out)
    out = out if batched else broadcast_batch(out, size)
    n = len(aval_of(out).shape)
    if not -n <= axis < n:
        raise ArgumentError(f"vmap of {fn_name}: out_axes={axis} for {path}, which has "
                            f"{n} axes with the batch axis")
    return moveaxis(out, 0, axis)
