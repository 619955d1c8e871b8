"""Arguments as a traced function sees them, under `compile`, `make_ir` and the eager
transformations alike.

- A list of Python numbers (lists or tuples of numbers nested in it included) is what
  NumPy calls an array-like: it becomes the array `np.asarray` makes of it, wherever it
  sits in the arguments. A tuple stays a pytree container, as in JAX: its numbers stay
  weakly typed Python scalars, which is how NumPy code that indexes a tuple of
  hyperparameters or a loop carry sees them.
- An ndarray subclass that means more than its data (numpy.ma masked arrays, np.matrix,
  arrays with units) is refused: computing on its data alone would give another answer
  without a word. np.memmap is a plain array kept in a file, and is accepted."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import ArgumentError
from .pytree import LEAF_TYPES, REGISTERED, leaf_paths, tree_flatten, tuple_of_leaves
from .source import describe_location, user_location

_NUMBERS = (bool, int, float, complex)          # exact types: not np.float64, not enums


def _nested_numbers_shape(x):
    """The shape of np.asarray(x) when x is a rectangular nest of lists and tuples of
    Python numbers; None otherwise (ragged, empty, or holding anything else)."""
    if type(x) in _NUMBERS:
        return ()
    if (type(x) is not list and type(x) is not tuple) or not x:
        return None
    inner = _nested_numbers_shape(x[0])
    if inner is None or any(_nested_numbers_shape(item) != inner for item in x):
        return None
    return (len(x),) + inner


def is_number_list(x) -> bool:
    """A list that NumPy would make a numeric array of: an array argument, not a pytree."""
    return type(x) is list and _nested_numbers_shape(x) is not None


def flatten_arguments(tree, paths: Callable | None = None) -> tuple[list, object]:
    """tree_flatten for arguments: each number list is one leaf, an array; an ndarray
    subclass whose meaning would be lost raises ArgumentError naming the argument.
    `paths(treedef)` names each leaf ("argument x['w']"; default "primals[0]['w']")."""
    if type(tree) is tuple:             # the usual arguments: a tuple of arrays
        for x in tree:
            if type(x) not in LEAF_TYPES or type(x) in REGISTERED:
                break
        else:
            return list(tree), tuple_of_leaves(len(tree))
    leaves, treedef = tree_flatten(tree, is_leaf=is_number_list)
    for i, x in enumerate(leaves):
        if type(x) is list:
            leaves[i] = np.asarray(x)
        elif isinstance(x, np.ndarray) and type(x) is not np.ndarray:
            name = (paths or (lambda td: leaf_paths(td, "primals")))(treedef)[i]
            leaves[i] = plain_array(x, name)
    return leaves, treedef


def plain_array(x: np.ndarray, what: str) -> np.ndarray:
    """x as a plain ndarray if its subclass adds nothing to its data; else ArgumentError
    saying what would be lost and what to pass instead."""
    if isinstance(x, np.memmap):
        return np.asarray(x)
    loc = describe_location(user_location())
    if isinstance(x, np.ma.MaskedArray):
        why = (f"{what} is a numpy.ma masked array (at {loc}); tracegrad computes on "
               f"plain arrays, so its mask would be dropped and masked entries used. Pass "
               f"x.filled(value) to replace the masked entries, or x.data for the values "
               f"underneath, explicitly.")
    elif isinstance(x, np.matrix):
        why = (f"{what} is a numpy.matrix (at {loc}); tracegrad follows ndarray "
               f"semantics (`*` multiplies elementwise, reductions drop dimensions), not "
               f"matrix's. Pass np.asarray(x) to compute with it as a 2-D array.")
    else:
        kind = f"{type(x).__module__}.{type(x).__qualname__}"
        why = (f"{what} is a {kind}, a subclass of numpy.ndarray (at {loc}); tracegrad "
               f"computes on plain arrays and would drop what the subclass adds (units, "
               f"masks, metadata). Pass np.asarray(x) if its data alone is what you mean.")
    raise ArgumentError(why)
