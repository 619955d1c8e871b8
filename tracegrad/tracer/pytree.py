"""Pytrees: nested dicts, lists, tuples, namedtuples and None, plus registered classes.
Leaves are everything else (arrays, scalars, tracers)."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

from ..errors import ArgumentError


class TreeDef(NamedTuple):
    """The structure of a pytree: node type, auxiliary data, children's treedefs.
    Leaves have kind None."""
    kind: Any
    aux: Any
    children: tuple

    @property
    def num_leaves(self) -> int:
        if self.kind is None:
            return 1
        return sum(c.num_leaves for c in self.children)

    def __repr__(self):
        return f"PyTreeDef({_describe(self)})"


LEAF = TreeDef(None, None, ())
_REGISTRY: dict[type, tuple[Callable, Callable]] = {}


def register_pytree_node(cls: type, flatten: Callable, unflatten: Callable) -> None:
    """Register a container class: flatten(obj) -> (children, aux);
    unflatten(aux, children) -> obj (the JAX convention)."""
    _REGISTRY[cls] = (flatten, unflatten)


# The registered container types (register_pytree_node).
REGISTERED = _REGISTRY.keys()
_TUPLES_OF_LEAVES: dict = {}


def tuple_of_leaves(n: int) -> TreeDef:
    """The treedef of a tuple of n leaves."""
    found = _TUPLES_OF_LEAVES.get(n)
    if found is None:
        found = _TUPLES_OF_LEAVES[n] = TreeDef(tuple, None, (LEAF,) * n)
    return found


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def tree_flatten(tree, is_leaf: Callable | None = None) -> tuple[list, TreeDef]:
    """(leaves, treedef). `is_leaf(node)` true makes a node a leaf even if it is a
    container (as in JAX)."""
    leaves: list = []
    treedef = _flatten(tree, leaves, is_leaf)
    return leaves, treedef


# NumPy's scalar types, and the types that are concrete whatever their contents (NumPy
# arrays and scalars, Python numbers): always pytree leaves (unless registered as
# containers), and what the NumPy namespace hands to NumPy without a closer look.
NUMPY_SCALAR_TYPES = frozenset(np.sctypeDict.values())
PLAIN_TYPES = NUMPY_SCALAR_TYPES | {np.ndarray, float, int, bool, complex}
# The types taken as leaves at first sight: the plain ones and the tracer (tracer.py
# adds it; this module does not know it).
LEAF_TYPES = set(PLAIN_TYPES)


def _flatten(x, leaves, is_leaf=None) -> TreeDef:
    t = type(x)
    if t in LEAF_TYPES and t not in _REGISTRY:
        leaves.append(x)
        return LEAF
    if is_leaf is not None and is_leaf(x):
        leaves.append(x)
        return LEAF
    if x is None:
        return TreeDef(type(None), None, ())
    if t in _REGISTRY:
        children, aux = _REGISTRY[t][0](x)
        return TreeDef(t, aux, tuple(_flatten(c, leaves, is_leaf) for c in children))
    if t is dict or isinstance(x, dict):
        keys = sorted(x.keys(), key=_sort_key)
        return TreeDef(dict, (t, tuple(keys)),
                       tuple(_flatten(x[k], leaves, is_leaf) for k in keys))
    if _is_namedtuple(x):
        return TreeDef("namedtuple", t, tuple(_flatten(c, leaves, is_leaf) for c in x))
    if t is tuple or t is list:
        return TreeDef(t, None, tuple(_flatten(c, leaves, is_leaf) for c in x))
    leaves.append(x)
    return LEAF


def _sort_key(k):
    return (type(k).__name__, k) if not isinstance(k, (int, float)) else ("0", k)


def tree_unflatten(treedef: TreeDef, leaves) -> Any:
    if type(leaves) is list:
        if treedef.kind is None and len(leaves) == 1:
            return leaves[0]            # one leaf: the usual gradient
        if _TUPLES_OF_LEAVES.get(len(leaves)) is treedef:
            return tuple(leaves)        # the usual arguments (flatten_arguments)
    it = iter(leaves)
    result = _unflatten(treedef, it)
    if next(it, _END) is not _END:
        raise ArgumentError("too many leaves for the tree structure")
    return result


_END = object()


def _unflatten(td: TreeDef, it):
    if td.kind is None:
        leaf = next(it, _END)
        if leaf is _END:
            raise ArgumentError("too few leaves for the tree structure")
        return leaf
    children = [_unflatten(c, it) for c in td.children]
    if td.kind is type(None):
        return None
    if td.kind is dict:
        cls, keys = td.aux
        d = dict(zip(keys, children))
        return d if cls is dict else cls(d)
    if td.kind == "namedtuple":
        return td.aux(*children)
    if td.kind in (tuple, list):
        return td.kind(children)
    return _REGISTRY[td.kind][1](td.aux, children)


def tree_unflattener(treedef: TreeDef) -> Callable:
    """tree_unflatten(treedef, ·) as one generated expression (no recursion per call),
    for results rebuilt on every call of a compiled function."""
    names: dict = {}
    counter = iter(range(treedef.num_leaves))
    try:
        expr = _build(treedef, counter, names, depth=0)
    except RecursionError:
        return lambda leaves: tree_unflatten(treedef, leaves)
    namespace = dict(names)
    exec(compile(f"def unflatten(leaves):\n    return {expr}\n", "<tracegrad unflatten>",
                 "exec"), namespace)
    return namespace["unflatten"]


def _build(td: TreeDef, counter, names: dict, depth: int) -> str:
    if depth > 100:                             # beyond what the parser nests
        raise RecursionError
    if td.kind is None:
        return f"leaves[{next(counter)}]"
    if td.kind is type(None):
        return "None"
    children = [_build(c, counter, names, depth + 1) for c in td.children]

    def name(obj):
        names[f"K{id(obj)}"] = obj
        return f"K{id(obj)}"
    if td.kind is dict:
        cls, keys = td.aux
        items = ", ".join(f"{repr(k) if type(k) in (str, int) else name(k)}: {c}"
                          for k, c in zip(keys, children))
        return f"{{{items}}}" if cls is dict else f"{name(cls)}({{{items}}})"
    if td.kind == "namedtuple":
        return f"{name(td.aux)}({', '.join(children)})"
    if td.kind is tuple:
        return f"({''.join(c + ', ' for c in children)})"
    if td.kind is list:
        return f"[{', '.join(children)}]"
    unflatten = _REGISTRY[td.kind][1]
    return f"{name(unflatten)}({name(td.aux)}, [{', '.join(children)}])"


def tree_map(fn: Callable, tree, *rest) -> Any:
    leaves, treedef = tree_flatten(tree)
    others = []
    for r in rest:
        r_leaves, r_def = tree_flatten(r)
        if r_def != treedef:
            raise ArgumentError(f"tree_map: structures differ: {treedef} and {r_def}")
        others.append(r_leaves)
    return tree_unflatten(treedef, [fn(*xs) for xs in zip(leaves, *others)])


def tree_leaves(tree) -> list:
    return tree_flatten(tree)[0]


def tree_structure(tree) -> TreeDef:
    return tree_flatten(tree)[1]


def _describe(td: TreeDef) -> str:
    if td.kind is None:
        return "*"
    inner = ", ".join(_describe(c) for c in td.children)
    if td.kind is type(None):
        return "None"
    if td.kind is dict:
        return "{" + ", ".join(f"{k!r}: {_describe(c)}" for k, c in
                               zip(td.aux[1], td.children)) + "}"
    if td.kind is tuple:
        return f"({inner}{',' if len(td.children) == 1 else ''})"
    if td.kind is list:
        return f"[{inner}]"
    if td.kind == "namedtuple":
        return f"{td.aux.__name__}({inner})"
    return f"{getattr(td.kind, '__name__', td.kind)}({inner})"


def leaf_paths(td: TreeDef, prefix: str = "") -> list:
    """A readable path to every leaf, in flattening order: "[0]", "['h']", ".field"."""
    if td.kind is None:
        return [prefix or "(the value)"]
    if td.kind is dict:
        steps = [f"[{k!r}]" for k in td.aux[1]]
    elif td.kind == "namedtuple":
        steps = [f".{name}" for name in td.aux._fields]
    else:
        steps = [f"[{i}]" for i in range(len(td.children))]
    return [path for step, child in zip(steps, td.children)
            for path in leaf_paths(child, prefix + step)]
