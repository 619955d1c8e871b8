"""Signatures and cache keys: what makes two calls share a compiled program."""
import collections

import numpy as np
import pytest

import tracegrad as tg
from tracegrad.errors import ArgumentError
from tracegrad.ir import Aval
from tracegrad.runtime.signature import (Signature, describe_change, leaf_aval, leaf_paths,
                                         typed_static_key)
from tracegrad.tracer import StaticArgs, tree_flatten


def signature(fn, *args, static_argnums=(), static_argnames=(), **kwargs):
    dyn_args, dyn_kwargs, key, _ = StaticArgs(fn, static_argnums, static_argnames).split(
        args, kwargs)
    leaves, tree = tree_flatten((dyn_args, dyn_kwargs))
    return Signature(tree, typed_static_key(key), tuple(map(leaf_aval, leaves)))


def f(x, y=None, n=1):
    return x


def test_leaf_avals():
    assert leaf_aval(np.zeros((2, 3), np.float32)) == Aval((2, 3), np.float32)
    assert leaf_aval(np.float32(1.0)) == Aval((), np.float32)
    assert leaf_aval(0.5) == Aval((), np.float64, weak=True)
    assert leaf_aval(3) == Aval((), np.int64, weak=True)
    assert leaf_aval(True) == Aval((), np.bool_, weak=True)
    # Byte order is not part of the type a program is compiled for.
    assert leaf_aval(np.zeros(2, ">f8")) == Aval((2,), np.float64)


def test_leaves_that_are_not_arrays_are_rejected_with_the_fix():
    with pytest.raises(ArgumentError, match="static_argnums"):
        leaf_aval("relu")


def test_shape_dtype_and_weakness_are_in_the_key():
    x = np.zeros(3)
    assert signature(f, x) == signature(f, np.ones(3))
    assert signature(f, x) != signature(f, np.zeros(4))
    assert signature(f, x) != signature(f, x.astype(np.float32))
    assert signature(f, 1.0) != signature(f, np.float64(1.0))       # weak vs strong


def test_tree_structure_is_in_the_key():
    x = np.zeros(3)
    assert signature(f, (x, x)) != signature(f, [x, x])
    assert signature(f, {"a": x}) != signature(f, {"b": x})
    assert signature(f, x, y=x) != signature(f, x, x)


def test_static_arguments_are_keyed_by_value_and_type():
    x = np.zeros(3)
    assert signature(f, x, None, 2, static_argnums=2) == \
        signature(f, x, None, 2, static_argnums=2)
    assert signature(f, x, None, 2, static_argnums=2) != \
        signature(f, x, None, 3, static_argnums=2)
    # 1 == 1.0 and hash alike, but trace differently.
    assert signature(f, x, None, 1, static_argnums=2) != \
        signature(f, x, None, 1.0, static_argnums=2)


def test_equal_static_values_share_a_key_nan_included():
    x = np.zeros(3)
    nans = [lambda: float("nan"), lambda: np.float64("nan"), lambda: (1.0, float("nan"))]
    for nan in nans:                                    # a new NaN object each call
        assert signature(f, x, None, nan(), static_argnums=2) == \
            signature(f, x, None, nan(), static_argnums=2)
    assert signature(f, x, None, float("nan"), static_argnums=2) != \
        signature(f, x, None, np.float32("nan"), static_argnums=2)
    # -0.0 == 0.0, but copysign or 1/x tell them apart.
    assert signature(f, x, None, -0.0, static_argnums=2) != \
        signature(f, x, None, 0.0, static_argnums=2)
    # Types count inside tuples too.
    assert signature(f, x, None, (1, 2), static_argnums=2) != \
        signature(f, x, None, (1.0, 2.0), static_argnums=2)


def test_a_nan_static_argument_compiles_once():
    scale = tg.compile(lambda x, s: x * s, static_argnums=1)
    for _ in range(3):
        assert np.isnan(scale(np.ones(2), float("nan"))).all()
    assert scale.cache_info().misses == 1


def test_negative_zero_static_argument_is_its_own_program():
    sign = tg.compile(lambda x, s: np.copysign(x, s), static_argnums=1)
    assert (sign(np.ones(2), -0.0) == -1.0).all()
    assert (sign(np.ones(2), 0.0) == 1.0).all()


def test_unhashable_static_argument_is_a_clear_error():
    with pytest.raises(ArgumentError, match="hashable"):
        signature(f, np.zeros(3), None, [1, 2], static_argnums=2)


Params = collections.namedtuple("Params", "w b")


def test_leaf_paths_name_parameters_and_containers():
    sig = signature(f, {"W1": np.zeros(2), "b": [np.zeros(1), 0.5]},
                    y=Params(np.zeros(1), np.zeros(1)))
    assert leaf_paths(sig.tree, names={0: "x"}) == \
        ["x['W1']", "x['b'][0]", "x['b'][1]", "y.w", "y.b"]


def test_describe_change_names_the_leaf_and_the_static_argument():
    a = signature(f, np.zeros(3), None, 2, static_argnums=2)
    b = signature(f, np.zeros(4), None, 5, static_argnums=2)
    text = describe_change(a, b, ["x", "y"])
    assert "x: f64[3] -> f64[4]" in text
    assert "static args[2]: 2 -> 5" in text
