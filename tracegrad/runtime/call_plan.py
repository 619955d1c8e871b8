"""Call plans: the fast way from a call's arguments to its compiled entry.

Flattening a pytree and building a Signature with generic recursive code costs tens of
microseconds per call (a dict of 8 arrays: ~25 us, more than the program). A compiled
function instead keeps, per argument structure it has seen, a plan: a function generated
for that structure (straight-line Python, no recursion) that checks the arguments still
have it — container types, lengths, dict keys, keyword names — pulls out the leaves, and
forms a key from the leaves' (type, shape, dtype) (arrays, NumPy scalars) or type
(Python scalars) and the static arguments. The key finds the entry in the plan's dict;
on any mismatch the plan returns None and the call takes the general path, which
installs entries into plans. Structures with registered pytree classes have no plan.

(optree, a C pytree library, was measured against this: flattening the same arguments
cost 2.7-3.1 us with it, 1.0 us for a plan's flatten and key together.)"""
from __future__ import annotations

import operator

import numpy as np

from ..tracer import StaticValue, TreeDef

ARRAY_KEY = operator.attrgetter("__class__", "shape", "dtype")
_SCALARS = (bool, int, float, complex)
MAX_PLANS = 8                           # argument structures kept per compiled function


def leaf_kind(leaf) -> str | None:
    """'array' (keyed by class, shape, dtype), 'scalar' (keyed by its type), or None: a
    leaf no plan handles (the general path converts it)."""
    if type(leaf) is np.ndarray or isinstance(leaf, np.generic):
        return "array"
    if type(leaf) in _SCALARS:
        return "scalar"
    return None


class CallPlan:
    """One argument structure: `flatten(args, kwargs)` -> (leaves, key) or None, and
    the entries found so far, by key."""

    def __init__(self, tree: TreeDef, nargs: int, static_positions, static_names, kinds):
        self.source = plan_source(tree, nargs, static_positions, static_names, kinds)
        namespace = {"ARRAY_KEY": ARRAY_KEY, "StaticValue": StaticValue, **_constants(tree)}
        exec(compile(self.source, "<tracegrad call plan>", "exec"), namespace)
        self.flatten = namespace["flatten"]
        self.executables: dict = {}


class Unplannable(Exception):
    """The structure holds something a plan does not handle (a registered class)."""


def plan_source(tree, nargs, static_positions, static_names, kinds) -> str:
    """The Python source of a plan's flatten function (see the module docstring)."""
    args_tree, kwargs_tree = tree.children
    lines = [f"if len(args) != {nargs} or len(kwargs) != "
             f"{len(static_names) + len(kwargs_tree.children)}:",
             "    return None"]
    leaves: list = []
    dynamic_positions = [i for i in range(nargs) if i not in static_positions]
    for position, child in zip(dynamic_positions, args_tree.children):
        _extract(child, f"args[{position}]", lines, leaves)
    for name, child in zip(kwargs_tree.aux[1], kwargs_tree.children):
        _extract(child, f"kwargs[{name!r}]", lines, leaves)
    arrays = [leaf for leaf, kind in zip(leaves, kinds) if kind == "array"]
    scalars = [leaf for leaf, kind in zip(leaves, kinds) if kind == "scalar"]
    statics = [f"StaticValue(args[{i}])" for i in static_positions] + \
        [f"StaticValue(kwargs[{n!r}])" for n in static_names]
    positional_arrays = (not static_positions and not kwargs_tree.children
                         and all(c.kind is None for c in args_tree.children)
                         and arrays == leaves)
    if positional_arrays:
        lines = lines[:2] + ["leaves = args"]   # the arguments are the leaves
    else:
        lines.append(f"leaves = ({''.join(leaf + ', ' for leaf in leaves)})")
    key = "tuple(map(ARRAY_KEY, leaves))" if arrays == leaves else \
        f"tuple(map(ARRAY_KEY, ({''.join(a + ', ' for a in arrays)})))"
    if scalars or statics:
        key = (f"({key}, ({''.join(f'type({s}), ' for s in scalars)}), "
               f"({''.join(s + ', ' for s in statics)}))")
    lines.append(f"return leaves, {key}")
    # A lookup that fails, or a leaf without a shape where an array was: not this plan.
    return ("def flatten(args, kwargs):\n    try:\n" +
            "".join(f"        {line}\n" for line in lines) +
            "    except (KeyError, IndexError, TypeError, AttributeError):\n"
            "        return None\n")


def _extract(td: TreeDef, expr: str, lines: list, leaves: list) -> None:
    """Append checks that `expr` has structure `td` and names for its leaves."""
    if td.kind is None:
        name = f"x{len(leaves)}"
        lines.append(f"{name} = {expr}")
        leaves.append(name)
        return
    node = f"n{len(lines)}"
    lines.append(f"{node} = {expr}")
    n = len(td.children)
    if td.kind is type(None):
        lines += [f"if {node} is not None:", "    return None"]
        return
    if td.kind is dict:
        cls, keys = td.aux
        lines += [f"if type({node}) is not {_name(cls)} or len({node}) != {n}:",
                  "    return None"]
        if _values_are_leaves(td):
            # All values are leaves: one itemgetter call takes them in key order.
            names = [f"x{len(leaves) + i}" for i in range(n)]
            lines.append(f"{', '.join(names)} = {_getter(keys)}({node})")
            leaves += names
            return
        children = [f"{node}[{_key(k)}]" for k in keys]
    elif td.kind == "namedtuple":
        lines += [f"if type({node}) is not {_name(td.aux)}:", "    return None"]
        children = [f"{node}[{i}]" for i in range(n)]
    elif td.kind in (tuple, list):
        lines += [f"if type({node}) is not {td.kind.__name__} or len({node}) != {n}:",
                  "    return None"]
        children = [f"{node}[{i}]" for i in range(n)]
    else:
        raise Unplannable(td.kind)
    for child_td, child in zip(td.children, children):
        _extract(child_td, child, lines, leaves)


def _name(obj) -> str:
    """The plan's global name for a class or value it compares against."""
    return "dict" if obj is dict else f"C_{id(obj)}"


def _values_are_leaves(td: TreeDef) -> bool:
    return len(td.children) > 1 and all(c.kind is None for c in td.children)


def _getter(keys) -> str:
    return f"G_{id(keys)}"


def _key(k) -> str:
    return repr(k) if type(k) in (str, int) else _name(k)


def _constants(td: TreeDef) -> dict:
    """Every class and dict key the plan refers to."""
    found: dict = {}
    if td.kind is dict:
        cls, keys = td.aux
        found[_name(cls)] = cls
        found.update({_name(k): k for k in keys if type(k) not in (str, int)})
        if _values_are_leaves(td):
            found[_getter(keys)] = operator.itemgetter(*keys)
    elif td.kind == "namedtuple":
        found[_name(td.aux)] = td.aux
    for child in td.children:
        found.update(_constants(child))
    return found
