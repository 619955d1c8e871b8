"""pure_callback and ShapeDtypeStruct, with JAX's signatures: the escape hatch that runs
any Python, NumPy or SciPy routine on concrete arrays, eagerly or inside a compiled
program (which calls back into Python there; see tracegrad/codegen/host.py)."""
from __future__ import annotations

import functools

import numpy as np

from ..errors import ArgumentError, DTypeError, ShapeError
from ..ir import Aval
from ..tracer import (Tracer, is_python_scalar, leaf_paths, tree_flatten, tree_unflatten)
from ..tracer.source import describe_location, user_location
from .ops import apply

# JAX's accepted values. Under tg.vmap, "expand_dims" and "broadcast_all" call the
# callback once on the whole batch; the others once per example (JAX's "sequential").
VMAP_METHODS = ("sequential", "sequential_unrolled", "expand_dims", "broadcast_all",
                "legacy_vectorized", None)


class ShapeDtypeStruct:
    """A shape and a dtype, as jax.ShapeDtypeStruct: declares a pure_callback result.
    (Any object with `.shape` and `.dtype` does, an array included.)"""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        object.__setattr__(self, "shape", tuple(int(n) for n in shape))
        object.__setattr__(self, "dtype", np.dtype(dtype))

    def __setattr__(self, name, value):
        raise AttributeError("ShapeDtypeStruct is immutable")

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def __eq__(self, other):
        return (isinstance(other, ShapeDtypeStruct) and self.shape == other.shape
                and self.dtype == other.dtype)

    def __hash__(self):
        return hash((self.shape, self.dtype))

    def __repr__(self):
        return f"ShapeDtypeStruct(shape={self.shape}, dtype={self.dtype.name})"


def _callable_name(fn) -> str:
    """A name without addresses (it is written into generated code, a cache key)."""
    if isinstance(fn, functools.partial):
        return f"partial({_callable_name(fn.func)})"
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or \
        type(fn).__qualname__


def _loose(tree):
    """A tree structure with lists read as tuples (a callback may return either)."""
    kind = tuple if tree.kind is list else tree.kind
    return (kind, tree.aux, tuple(_loose(c) for c in tree.children))


class FlatCallback:
    """The user's callback as the primitive calls it: one array per argument leaf in,
    one checked array per declared result leaf out. Equal for the same function,
    argument structure and result types (as JAX's), so equal calls share a program."""

    def __init__(self, fn, in_tree, out_tree, out_avals, loc, vmap_method=None):
        self.fn, self.in_tree, self.out_tree = fn, in_tree, out_tree
        self.out_avals = out_avals
        self.loc = loc                      # the user's line that called pure_callback
        self.vmap_method = vmap_method
        self.name = self.__qualname__ = _callable_name(fn)   # (the IR printer shows it)
        self._key = (fn, in_tree, out_tree, out_avals, vmap_method)
        # Positional array arguments only: no tree to rebuild per call.
        args_tree, kwargs_tree = in_tree.children
        self._plain = not kwargs_tree.children and \
            all(c.kind is None for c in args_tree.children)

    @property
    def where(self) -> str:
        return describe_location(self.loc)

    def __eq__(self, other):
        return isinstance(other, FlatCallback) and self._key == other._key

    def __hash__(self):
        return hash(self._key)

    def __repr__(self):
        return self.name

    def __call__(self, *arrays) -> list:
        views = []
        for a in arrays:                     # read-only, as JAX passes them
            view = np.asarray(a).view()
            view.flags.writeable = False
            views.append(view)
        args, kwargs = (views, {}) if self._plain else tree_unflatten(self.in_tree, views)
        try:
            result = self.fn(*args, **kwargs)
        except BaseException as error:
            note = f"(raised in pure_callback {self.name}, called at {self.where})"
            if note not in getattr(error, "__notes__", ()):
                error.add_note(note)
            raise
        return self.check(result)

    def call_on_batch(self, arrays, batched, size) -> list | None:
        """Under vmap, with vmap_method "expand_dims" or "broadcast_all": one call on
        the whole batch (unbatched arguments get a leading axis of 1, or are broadcast),
        whose results must have the batch axis first. None for the other methods."""
        if self.vmap_method not in ("expand_dims", "broadcast_all"):
            return None
        expand = self.vmap_method == "expand_dims"
        prepared = [a if b else (np.asarray(a)[None] if expand else
                                 np.broadcast_to(a, (size,) + np.shape(a)))
                    for a, b in zip(arrays, batched)]
        whole = tuple(Aval((size,) + tuple(a.shape), a.dtype) for a in self.out_avals)
        return FlatCallback(self.fn, self.in_tree, self.out_tree, whole, self.loc)(*prepared)

    def check(self, result) -> list:
        """The result's leaves as arrays of the declared shapes and dtypes."""
        leaves, tree = tree_flatten(result)
        if tree != self.out_tree and _loose(tree) != _loose(self.out_tree):
            raise ShapeError(f"{self._context()} returned a value of structure {tree}, but "
                             f"result_shape_dtypes declares {self.out_tree}. Return "
                             f"the declared structure, or fix result_shape_dtypes.")
        out = []
        for j, (leaf, aval) in enumerate(zip(leaves, self.out_avals)):
            value = np.asarray(leaf, dtype=aval.dtype) if is_python_scalar(leaf) \
                else np.asarray(leaf)
            if value.shape != aval.shape:
                raise ShapeError(
                    f"{self._context()} returned shape {value.shape} for {self._leaf(j)}, "
                    f"but result_shape_dtypes declares {aval.shape}. Return the declared "
                    f"shape (e.g. .reshape({aval.shape})), or fix result_shape_dtypes.")
            if value.dtype != aval.dtype:
                raise DTypeError(
                    f"{self._context()} returned dtype {value.dtype} for {self._leaf(j)}, "
                    f"but result_shape_dtypes declares {aval.dtype}. Return the declared "
                    f"dtype (e.g. .astype(np.{aval.dtype.name})), or fix "
                    f"result_shape_dtypes.")
            out.append(value)
        return out

    def _context(self) -> str:
        return f"pure_callback {self.name} (called at {self.where})"

    def _leaf(self, j) -> str:
        if self.out_tree.kind is None:
            return "its result"
        return f"result leaf {leaf_paths(self.out_tree)[j]}"


def _declared(leaf, j, out_tree, loc) -> Aval:
    shape, dtype = getattr(leaf, "shape", None), getattr(leaf, "dtype", None)
    if shape is None or dtype is None:
        raise ArgumentError(
            f"pure_callback: result_shape_dtypes leaf {leaf_paths(out_tree)[j]} is "
            f"{type(leaf).__name__}, not an object with .shape and .dtype (at "
            f"{describe_location(loc)}). Declare each result as "
            f"tg.ShapeDtypeStruct(shape, dtype).")
    return Aval(tuple(shape), np.dtype(dtype))


def _is_argument(leaf) -> bool:
    if isinstance(leaf, Tracer) or is_python_scalar(leaf):
        return True
    try:
        return np.asarray(leaf).dtype.kind in "biufc"
    except Exception:               # noqa: BLE001  (anything NumPy cannot convert)
        return False


def _check_arguments(flat, args, kwargs, loc):
    for j, leaf in enumerate(flat):
        if not _is_argument(leaf):
            paths = leaf_paths(tree_flatten(args)[1], "args") + \
                leaf_paths(tree_flatten(kwargs)[1], "kwargs")
            raise ArgumentError(
                f"pure_callback: argument leaf {paths[j]} is {type(leaf).__name__}; "
                f"arguments must be arrays or numbers (at {describe_location(loc)}). Pass "
                f"other values to the callback by closing over them (functools.partial "
                f"or a lambda).")


def pure_callback(callback, result_shape_dtypes, *args, vmap_method=None, **kwargs):
    """Call `callback(*args, **kwargs)` on concrete NumPy arrays, as jax.pure_callback:
    directly on arrays, and inside traced or compiled functions too (a compiled program
    calls back into Python at that point). The callback must be pure (no side effects:
    it may run more than once, or not at all when its result is unused) and return a
    pytree matching `result_shape_dtypes` (leaves with .shape and .dtype, e.g.
    tg.ShapeDtypeStruct), which is checked. It has no derivative: give the function
    that calls it one with tg.custom_vjp or tg.custom_jvp. Under vmap it runs once per
    example, or once on the whole batch with vmap_method "expand_dims" (unbatched
    arguments get a leading axis of 1) or "broadcast_all" (they are broadcast)."""
    loc = user_location()
    if vmap_method not in VMAP_METHODS:
        raise ValueError(f"vmap_method must be one of {list(VMAP_METHODS)}, got "
                         f"{vmap_method!r} (at {describe_location(loc)})")
    if not callable(callback):
        raise ArgumentError(f"pure_callback: the callback must be callable, got "
                            f"{type(callback).__name__} (at {describe_location(loc)})")
    declared, out_tree = tree_flatten(result_shape_dtypes)
    out_avals = tuple(_declared(leaf, j, out_tree, loc) for j, leaf in enumerate(declared))
    flat, in_tree = tree_flatten((args, kwargs))
    _check_arguments(flat, args, kwargs, loc)
    fn = FlatCallback(callback, in_tree, out_tree, out_avals, loc, vmap_method)
    if any(isinstance(x, Tracer) for x in flat):
        outs = apply("pure_callback", *flat, callback=fn, out_avals=out_avals)
    else:
        outs = fn(*[np.asarray(x) for x in flat])
    return tree_unflatten(out_tree, outs)


__all__ = ["pure_callback", "ShapeDtypeStruct"]
