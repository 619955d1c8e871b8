"""r_ and c_: NumPy's index-expression concatenators. numpy.r_ converts every item with
np.array, which cannot hold a traced value and has no dispatch protocol, so these objects
redo its steps with tracegrad.numpy; keys without traced items go to NumPy unchanged."""
from __future__ import annotations

import numpy as np

from . import _core
from .creation import array, linspace
from .shape import concatenate, transpose


class AxisConcatenator:
    """numpy.lib.index_tricks.AxisConcatenator's __getitem__ for traced items."""

    def __init__(self, numpy_object, axis=0, ndmin=1, trans1d=-1):
        self._numpy, self.axis, self.ndmin, self.trans1d = numpy_object, axis, ndmin, trans1d

    def __len__(self):
        return 0

    def __getitem__(self, key):
        if not isinstance(key, tuple):
            key = (key,)
        if not any(_core.is_traced(item) for item in key):
            return self._numpy[key]
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        objs, dtype_objs = [], []
        for k, item in enumerate(key):
            if isinstance(item, str):
                if k != 0:
                    raise ValueError("special directives must be the first entry.")
                axis, ndmin, trans1d = _directive(item, axis, ndmin, trans1d)
                continue
            if isinstance(item, slice):
                obj = _from_slice(item, ndmin, trans1d)
            elif type(item) in np.ScalarType:
                objs.append(item)
                dtype_objs.append(item)       # Python scalars stay weak in the promotion
                continue
            else:
                obj = _as_ndmin(item, ndmin, trans1d)
            objs.append(obj)
            dtype_objs.append(obj)
        final = _core.result_type(*dtype_objs)
        return concatenate([array(o, dtype=final, ndmin=ndmin) for o in objs], axis=axis)


def _directive(item, axis, ndmin, trans1d):
    if item in ("r", "c"):
        raise _core.unsupported("the matrix directives 'r' and 'c' of numpy.r_",
                                "Build an array (np.matrix is not traced).")
    try:
        if "," in item:
            vec = [int(v) for v in item.split(",")]
            axis, ndmin = vec[:2]
            trans1d = vec[2] if len(vec) == 3 else trans1d
        else:
            axis = int(item)
    except ValueError as e:
        raise ValueError(f"unknown special directive {item!r}") from e
    return axis, ndmin, trans1d


def _from_slice(item, ndmin, trans1d):
    if any(_core.is_traced(v) for v in (item.start, item.stop, item.step)):
        raise _core.unsupported("a slice with traced bounds in numpy.r_/c_ (its length "
                                "depends on them)", "Pass the bounds as constants.")
    start = 0 if item.start is None else item.start
    step = 1 if item.step is None else item.step
    if isinstance(step, (np.complexfloating, complex)):
        obj = linspace(start, item.stop, num=int(abs(step)))
    else:
        obj = np.arange(start, item.stop, step)
    if ndmin > 1:
        obj = np.array(obj, ndmin=ndmin)
        if trans1d != -1:
            obj = obj.swapaxes(-1, trans1d)
    return obj


def _as_ndmin(item, ndmin, trans1d):
    item_ndim = _core.ndim(item)
    obj = array(item, ndmin=ndmin)
    if trans1d != -1 and item_ndim < ndmin:
        # NumPy's axis order: the item's own axes start at position trans1d.
        k2, k1 = ndmin - item_ndim, trans1d
        if k1 < 0:
            k1 += k2 + 1
        axes = list(range(ndmin))
        obj = transpose(obj, axes[:k1] + axes[k2:] + axes[k1:k2])
    return obj


r_ = AxisConcatenator(np.r_)
c_ = AxisConcatenator(np.c_, axis=-1, ndmin=2, trans1d=0)
