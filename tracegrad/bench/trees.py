"""A minimal pytree walk for the bench's own bookkeeping (dict, list, tuple; anything
else is a leaf), so that every system's arrays — NumPy, JAX, torch — can be mapped and
named the same way."""
from __future__ import annotations


def tree_map(fn, tree, *rest):
    if isinstance(tree, dict):
        return {k: tree_map(fn, tree[k], *(r[k] for r in rest)) for k in tree}
    if isinstance(tree, (list, tuple)):
        mapped = [tree_map(fn, t, *(r[i] for r in rest)) for i, t in enumerate(tree)]
        return type(tree)(mapped)
    return fn(tree, *rest)


def named_leaves(tree, prefix=""):
    """[(path, leaf)]: paths like "W1" or "0/2", stable across systems."""
    if isinstance(tree, dict):
        return [item for k in sorted(tree) for item in
                named_leaves(tree[k], f"{prefix}/{k}" if prefix else str(k))]
    if isinstance(tree, (list, tuple)):
        return [item for i, t in enumerate(tree) for item in
                named_leaves(t, f"{prefix}/{i}" if prefix else str(i))]
    return [(prefix, tree)]


def leaves(tree):
    return [leaf for _, leaf in named_leaves(tree)]
