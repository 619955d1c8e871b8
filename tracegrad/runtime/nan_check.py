"""check_nans (TRACEGRAD_CHECK_NANS=1, `tg.config.check_nans = True`): a compiled call
checks its results; a NaN or inf among them makes it run the function again eagerly
with every operation checked as it runs (tracer/nan_check.py), which names the one that
made it — primitive, user's line, forward or backward pass, element. The compiled program
itself is unchanged, so checking costs one pass over the results, and nothing when off."""
from __future__ import annotations

import numpy as np

from ..tracer import nan_check, trace_function, tree_flatten, tree_leaves, tree_unflatten
from ..tracer.pytree import leaf_paths


def _run_eagerly(compiled, args, kwargs):
    """The function on eager tracers of its dynamic arguments (static ones stay as they
    are), so that every operation is recorded, and checked, as it runs."""
    dyn_args, dyn_kwargs, _, rebuild = compiled.static.split(args, kwargs)
    flat, tree = tree_flatten((dyn_args, dyn_kwargs))

    def build(tracers):
        full_args, full_kwargs = rebuild(*tree_unflatten(tree, tracers))
        return compiled.fn(*full_args, **full_kwargs)
    trace_function(build, flat, eager=True)


def check_call(compiled, args, kwargs):
    out = compiled._call(args, kwargs)
    if all(map(_surely_finite, tree_leaves(out))):
        return out
    bad = _first_bad_leaf(out)
    if bad is None:
        return out                      # a sum overflowed; every element is finite
    path, index, element = bad
    for arg_path, arg_index, arg_element in _bad_leaves(args):
        raise FloatingPointError(f"{compiled.name}: argument {arg_path} holds "
                                 f"{arg_element} at index {list(arg_index)} (check_nans)")
    for arg_path, arg_index, arg_element in _bad_leaves(kwargs):
        raise FloatingPointError(f"{compiled.name}: keyword argument {arg_path} holds "
                                 f"{arg_element} at index {list(arg_index)} (check_nans)")
    try:
        with nan_check.checking():
            _run_eagerly(compiled, args, kwargs)    # raises at the operation that made it
    except FloatingPointError as error:
        raise FloatingPointError(f"{compiled.name}: {error}") from None
    raise FloatingPointError(
        f"{compiled.name}: result {path} holds {element} at index {list(index)} "
        f"(check_nans), but running it again eagerly made none: compiled code and NumPy "
        f"differ here; please report it")


def _bad_leaves(tree):
    leaves, treedef = tree_flatten(tree)
    for path, leaf in zip(leaf_paths(treedef), leaves):
        found = nan_check.first_bad(leaf) if hasattr(leaf, "dtype") or \
            isinstance(leaf, (float, complex)) else None
        if found is not None:
            yield path, found[0], found[1]


def _surely_finite(leaf) -> bool:
    """One pass, no temporary: a NaN or inf makes the sum NaN or inf (so may an overflow,
    which the exact check then clears)."""
    kind = getattr(getattr(leaf, "dtype", None), "kind", "")
    return kind not in "fc" or bool(np.isfinite(leaf.sum())) if kind else True


def _first_bad_leaf(tree):
    return next(iter(_bad_leaves(tree)), None)
