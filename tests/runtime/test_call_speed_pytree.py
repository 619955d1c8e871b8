"""Call plans (runtime/call_plan.py): after the first call with a given argument
structure, calls take a generated flatten-and-key path instead of the general one —
with exactly the general path's results and checks. Speed is measured by the bench's
dispatch and dispatch_pytree workloads, never here."""
import collections

import numpy as np
import pytest

import tracegrad as tg
from tracegrad.errors import ArgumentError

from .support import interpreted_only

KEYS = [f"w{i}" for i in range(8)]


def loss(params, x, y):
    total = np.sum(params["w0"] * y)
    for k in KEYS:
        total = total + np.sum(np.sin(params[k]) * x)
    return total


def expected_grads(params, x, y):
    grads = {k: np.cos(params[k]) * x for k in KEYS}
    grads["w0"] = grads["w0"] + y
    return grads


def inputs(seed, n=8):
    rng = np.random.default_rng(seed)
    return {k: rng.standard_normal(n) for k in KEYS}, rng.standard_normal(n), \
        rng.standard_normal(n)


class GeneralCalls:
    """Counts the calls that missed every plan."""

    def __init__(self, compiled):
        self.count, general = 0, compiled._call_general

        def counted(args, kwargs):
            self.count += 1
            return general(args, kwargs)
        compiled._call_general = counted


@pytest.fixture(scope="module")
def step():
    return tg.compile(tg.value_and_grad(loss))


def test_a_dict_of_arrays_is_served_by_its_plan(step):
    general = GeneralCalls(step)
    for seed in range(4):
        params, x, y = inputs(seed)
        value, grads = step(params, x, y)
        assert list(grads) == sorted(KEYS)
        for k, g in expected_grads(params, x, y).items():
            np.testing.assert_allclose(grads[k], g, rtol=1e-12)
        np.testing.assert_allclose(value, loss(params, x, y), rtol=1e-12)
    assert general.count <= 1 and step.cache_info().misses == 1


def test_what_a_plan_does_not_match_takes_the_general_path(step):
    params, x, y = inputs(0)
    step(params, x, y)
    general = GeneralCalls(step)
    strided = np.arange(16.0)[::2]
    _, grads = step(params, strided, y)                     # same key, copied for Numba
    np.testing.assert_allclose(grads["w1"], np.cos(params["w1"]) * strided)
    np.testing.assert_allclose(step({**params, "w8": x}, x, y)[0], loss(params, x, y))
    np.testing.assert_allclose(step(collections.OrderedDict(params), x, y)[0],
                               loss(params, x, y))
    renamed = {**{k: v for k, v in params.items() if k != "w7"}, "v7": x}
    with pytest.raises(KeyError):                           # the loss reads params["w7"]
        step(renamed, x, y)
    assert general.count == 3                               # the strided call was not
    with pytest.raises(ArgumentError, match="masked array"):
        step({**params, "w3": np.ma.masked_array(x, mask=[1] + [0] * 7)}, x, y)


def test_python_scalars_keep_their_program_and_statics_their_keys():
    f = interpreted_only(lambda x, scale, power: x * scale ** power, static_argnums=2)
    general = GeneralCalls(f)
    x = np.arange(3.0)
    for scale in (2.0, 3.0, 4.0):
        np.testing.assert_array_equal(f(x, scale, 2), x * scale ** 2)
    assert general.count == 1 and f.cache_info().misses == 1
    np.testing.assert_array_equal(f(x, 2.0, 3), x * 8.0)    # a new static: new program
    np.testing.assert_array_equal(f(x, 2.0, 2), x * 4.0)    # the first one, by its plan
    assert (general.count, f.cache_info().misses) == (2, 2)
    np.testing.assert_array_equal(f(x, np.ones(3), 2), x)   # scalar -> array: general
    assert general.count == 3


def test_a_static_argument_beside_a_tuple_of_arrays():
    f = interpreted_only(lambda t, s: t[0] * s + t[1], static_argnums=1)
    pair = (np.ones(2), np.ones(2))
    for s in (2.0, 3.0, 2.0):
        np.testing.assert_array_equal(f(pair, s), s + 1.0)
    assert f.cache_info().misses == 2


def test_negative_zero_and_nan_statics_through_plans():
    sign = interpreted_only(lambda x, s: np.copysign(x, s), static_argnums=1)
    for _ in range(2):
        assert (sign(np.ones(2), -0.0) == -1.0).all()
        assert (sign(np.ones(2), 0.0) == 1.0).all()
    nan = interpreted_only(lambda x, s: x + s, static_argnums=1)
    general = GeneralCalls(nan)
    for _ in range(3):
        assert np.isnan(nan(np.ones(2), float("nan"))).all()
    assert general.count == 1 and nan.cache_info().misses == 1


Pair = collections.namedtuple("Pair", "a b")


def test_structures_alternate_each_through_its_plan():
    f = interpreted_only(lambda t, *rest, scale=1.0: (t.a + t.b) * scale + sum(rest))
    general = GeneralCalls(f)
    x = np.ones(2)
    for _ in range(3):
        np.testing.assert_array_equal(f(Pair(x, x), scale=2.0), 4.0)
        np.testing.assert_array_equal(f(Pair(x, x), x, x), 4.0)
    assert general.count == 2


def test_tracers_still_trace_through_a_planned_function():
    f = tg.compile(lambda p: np.sum(p["a"] ** 2))
    p = {"a": np.arange(3.0)}
    f(p)
    f(p)
    np.testing.assert_allclose(tg.grad(f)(p)["a"], 2 * p["a"])
    np.testing.assert_allclose(tg.compile(tg.grad(f))(p)["a"], 2 * p["a"])


def test_registered_classes_and_lists_of_numbers_work_without_a_plan():
    class Box:
        def __init__(self, value):
            self.value = value
    tg.register_pytree_node(Box, lambda b: ([b.value], None), lambda _, c: Box(c[0]))
    f = interpreted_only(lambda b, xs: Box(b.value * xs))
    for _ in range(2):
        out = f(Box(np.ones(2)), [2.0, 3.0])
        assert isinstance(out, Box)
        np.testing.assert_array_equal(out.value, [2.0, 3.0])
    assert not f._plans
