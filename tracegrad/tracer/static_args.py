"""Splitting a call's arguments into static ones (Python values baked into the trace,
part of the cache key) and dynamic ones (traced)."""
from __future__ import annotations

import inspect
import math

import numpy as np

from ..errors import ArgumentError


def _as_tuple(x):
    if x is None:
        return ()
    return (x,) if isinstance(x, (int, str)) else tuple(x)


class StaticArgs:
    def __init__(self, fn, static_argnums=(), static_argnames=()):
        self.argnums = _as_tuple(static_argnums)
        self.argnames = set(_as_tuple(static_argnames))
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            params = []
        positional = [p.name for p in params
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        # A static name that is also a positional parameter is static in either form.
        self.name_to_pos = {n: i for i, n in enumerate(positional)}
        self.pos_names = {i: n for n, i in self.name_to_pos.items()}
        self.fn_name = getattr(fn, "__name__", "function")

    def _static_position(self, i, nargs):
        return any((n if n >= 0 else n + nargs) == i for n in self.argnums) or \
            self.pos_names.get(i) in self.argnames

    def split(self, args, kwargs):
        """-> (dynamic args tuple, dynamic kwargs dict, static key, rebuild)."""
        static_pos = {i: a for i, a in enumerate(args) if self._static_position(i, len(args))}
        for n in self.argnums:
            if not -len(args) <= n < len(args):
                raise ArgumentError(f"static_argnums={n} but {self.fn_name} was called "
                                    f"with {len(args)} positional arguments")
        static_kw = {k: v for k, v in kwargs.items()
                     if k in self.argnames or self.name_to_pos.get(k) in self.argnums}
        dyn_args = tuple(a for i, a in enumerate(args) if i not in static_pos)
        dyn_kwargs = {k: v for k, v in kwargs.items() if k not in static_kw}
        key = (tuple((i, StaticValue(v)) for i, v in sorted(static_pos.items())),
               tuple((k, StaticValue(v)) for k, v in sorted(static_kw.items())))
        try:
            hash(key)
        except TypeError:
            raise ArgumentError(
                f"static arguments of {self.fn_name} must be hashable (they are part of "
                f"the cache key); got {key!r}. Pass arrays as dynamic arguments, or "
                f"convert lists to tuples.") from None
        nargs = len(args)

        def rebuild(dynamic_args, dynamic_kwargs):
            it = iter(dynamic_args)
            full = [static_pos[i] if i in static_pos else next(it) for i in range(nargs)]
            return full, {**dynamic_kwargs, **static_kw}

        return dyn_args, dyn_kwargs, key, rebuild


class StaticValue:
    """A static argument as part of a cache key: equal when the values trace the same
    program. Types count (`1 == 1.0`, but they trace differently); every NaN is the same
    key (NaN != NaN would miss the cache on every call); -0.0 and 0.0 differ (copysign
    and 1/x tell them apart). Prints as the value."""

    __slots__ = ("value", "_key")

    def __init__(self, value):
        self.value = value
        self._key = _canonical(value)

    def __eq__(self, other):
        return type(other) is StaticValue and self._key == other._key

    def __hash__(self):
        return hash(self._key)

    def __repr__(self):
        return repr(self.value)


def _canonical(value):
    kind = type(value)
    if isinstance(value, (float, np.floating)):
        if value != value:
            return kind, "nan"
        return kind, value, math.copysign(1.0, value)
    if isinstance(value, (complex, np.complexfloating)):
        return kind, _canonical(value.real), _canonical(value.imag)
    if isinstance(value, tuple):
        return kind, tuple(map(_canonical, value))
    return kind, value
