"""Pytrees: flatten/unflatten round trips, and the same structures through make_ir."""
import collections

import numpy as np
import pytest

import tracegrad
from tracegrad import tree_flatten, tree_map, tree_structure, tree_unflatten

Point = collections.namedtuple("Point", "x y")


class Box:
    """A user container registered as a pytree node; `label` is static aux data."""

    def __init__(self, label, items):
        self.label, self.items = label, items

    def __eq__(self, other):
        return isinstance(other, Box) and (self.label, self.items) == (other.label, other.items)


tracegrad.register_pytree_node(Box, lambda b: (b.items, b.label),
                               lambda label, items: Box(label, list(items)))

TREES = {
    "leaf": 1.0,
    "none": None,
    "dict": {"b": 1, "a": 2},
    "list": [1, 2, 3],
    "tuple": (1, (2,), ()),
    "namedtuple": Point(1, 2),
    "nested": {"w": [Point(1, None), (2, {"z": 3})], "empty": {}},
    "registered": Box("weights", [1, {"k": 2}]),
}


@pytest.mark.parametrize("name", TREES)
def test_flatten_unflatten_round_trip(name):
    tree = TREES[name]
    leaves, treedef = tree_flatten(tree)
    rebuilt = tree_unflatten(treedef, leaves)
    assert rebuilt == tree and type(rebuilt) is type(tree)
    assert treedef.num_leaves == len(leaves)


def test_leaves_in_sorted_key_order_and_none_is_no_leaf():
    leaves, _ = tree_flatten({"b": 1, "a": [2, None, Point(3, 4)]})
    assert leaves == [2, 3, 4, 1]


def test_tree_map_keeps_structure():
    tree = TREES["nested"]
    assert tree_structure(tree_map(lambda v: v * 10, tree)) == tree_structure(tree)


def test_structures_differ():
    assert tree_structure([1, 2]) != tree_structure((1, 2))
    assert tree_structure(Point(1, 2)) != tree_structure((1, 2))


@pytest.mark.parametrize("name", ["dict", "list", "namedtuple", "nested", "registered"])
def test_make_ir_round_trips_pytrees(name):
    tree = tree_map(lambda v: np.full(2, float(v)), TREES[name])
    traced = tracegrad.make_ir(lambda t: tree_map(lambda v: v * 2.0, t))(tree)
    result = traced.evaluate(tree)
    expected = tree_map(lambda v: v * 2.0, tree)
    assert tree_structure(result) == tree_structure(expected)
    for a, b in zip(tree_flatten(result)[0], tree_flatten(expected)[0]):
        np.testing.assert_array_equal(a, b)
