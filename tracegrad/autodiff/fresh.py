"""Results handed to the user are fresh arrays, as NumPy functions and compiled calls
return: writeable, C-contiguous, sharing memory with nothing else the user holds.

Eagerly computed derivatives need this: a rule may return a read-only broadcast view
(the gradient of a sum is the seed broadcast to the input's shape, and two such
gradients are views of one seed), or pass a cotangent or an input through unchanged.
Copies are made only where a result is not already its own array."""
from __future__ import annotations

import numpy as np

from ..tracer import Tracer


def _owner(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory `array` views."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def fresh_results(leaves, foreign=()) -> list:
    """leaves with every concrete one made its own writeable C-contiguous ndarray, not a
    view of any array in `foreign` (what the user passed in or gets elsewhere) nor of
    another leaf. Tracers (results under an enclosing trace) are left as they are."""
    taken = None                        # ids of the arrays owning memory already handed out
    result = []
    for x in leaves:
        if isinstance(x, Tracer):
            result.append(x)
            continue
        if isinstance(x, np.generic):   # a NumPy scalar: a new 0-d array is its own
            result.append(np.asarray(x))
            continue
        if taken is None:
            taken = {id(_owner(y)) for y in foreign if isinstance(y, np.ndarray)}
        array = np.asarray(x)
        owner = _owner(array)
        if type(array) is not np.ndarray or not array.flags.writeable \
                or not array.flags.c_contiguous or id(owner) in taken:
            array = owner = np.array(array, order="C")
        taken.add(id(owner))
        result.append(array)
    return result


def exported(leaves: list) -> list:
    """Results as a transformation hands them to the user: a tracer of a recorder that
    presents its values in a wrapper (`export_result`: the imperative tape's tensors,
    when the function computed with tensors requiring gradients) wrapped, the rest as
    they are. The same list when there is nothing to wrap."""
    for x in leaves:
        if type(x) is Tracer and x._trace.export_result is not None:
            break
    else:
        return leaves
    return [x._trace.export_result(x) if type(x) is Tracer and
            x._trace.export_result is not None else x for x in leaves]
