"""Signatures: what a compiled program is specialized on.

A signature is the pytree structure of the dynamic arguments, (shape, dtype, weak) of
each leaf, and the static arguments by value (with their types, so that `n=1` and
`n=1.0`, equal and equally hashed in Python, trace separately). Python scalars are
weakly typed 0-d values (NEP 50: `float32_array * 0.5` stays float32)."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..errors import ArgumentError
from ..ir import Aval, type_string
from ..tracer import TreeDef, Tracer, aval_of, is_python_scalar


class Signature(NamedTuple):
    tree: TreeDef                   # structure of (dynamic args, dynamic kwargs)
    static: tuple                   # ((position or name, type, StaticValue), ...)
    leaves: tuple                   # Aval per leaf


def leaf_aval(x) -> Aval:
    """The aval a leaf is traced and compiled as; ArgumentError if it is no array."""
    if type(x) is np.ndarray or isinstance(x, (np.ndarray, np.generic)):
        return Aval(x.shape, x.dtype.newbyteorder("=") if not x.dtype.isnative else x.dtype)
    if is_python_scalar(x) or (hasattr(x, "__array__") and not isinstance(x, Tracer)):
        return aval_of(x)
    raise ArgumentError(
        f"a compiled function takes NumPy arrays, Python scalars and pytrees of them; got "
        f"{type(x).__name__} ({x!r:.60}). Mark the argument static (static_argnums / "
        f"static_argnames) if it is a Python value the program depends on.")


def typed_static_key(key) -> tuple:
    """StaticArgs' key ((positional items), (keyword items)) as ((position or name,
    type, StaticValue), ...)."""
    positional, keywords = key
    return tuple((k, type(v.value), v) for k, v in positional + keywords)


def has_tracer(leaves) -> bool:
    return any(isinstance(x, Tracer) for x in leaves)


def leaf_paths(tree: TreeDef, positions=None, names=None) -> list:
    """A readable path per leaf of a (args, kwargs) tree: "x", "params['W1']", "args[2][0]".
    positions maps dynamic positional index -> original position; names maps original
    position -> parameter name."""
    positions = positions or {}
    names = names or {}
    args_tree, kwargs_tree = tree.children
    paths: list = []
    for i, child in enumerate(args_tree.children):
        pos = positions.get(i, i)
        _walk(child, names.get(pos, f"args[{pos}]"), paths)
    for name, child in zip(kwargs_tree.aux[1], kwargs_tree.children):
        _walk(child, str(name), paths)
    return paths


def _walk(td: TreeDef, prefix: str, paths: list) -> None:
    if td.kind is None:
        paths.append(prefix)
    elif td.kind is dict:
        for k, c in zip(td.aux[1], td.children):
            _walk(c, f"{prefix}[{k!r}]", paths)
    elif td.kind == "namedtuple":
        for field, c in zip(td.aux._fields, td.children):
            _walk(c, f"{prefix}.{field}", paths)
    else:
        for i, c in enumerate(td.children):
            _walk(c, f"{prefix}[{i}]", paths)


def describe_change(old: Signature, new: Signature, paths) -> str:
    """What differs between two signatures, for the recompilation warning."""
    changes = []
    if old.tree != new.tree:
        changes.append(f"argument structure {old.tree} -> {new.tree}")
    elif old.leaves != new.leaves:
        changes += [f"{path}: {type_string(a)} -> {type_string(b)}"
                    for path, a, b in zip(paths, old.leaves, new.leaves) if a != b]
    if old.static != new.static:
        before = {k: v for k, _, v in old.static}
        after = {k: v for k, _, v in new.static}
        for k in sorted(set(before) | set(after), key=str):
            if before.get(k, "<unset>") != after.get(k, "<unset>") or k not in before:
                name = f"args[{k}]" if isinstance(k, int) else k
                changes.append(f"static {name}: {before.get(k, '<unset>')!r} -> "
                               f"{after.get(k, '<unset>')!r}")
    return "; ".join(changes) or "types of static arguments"
