"""Distributions: one compiled program draws 10^6 numbers of each; it must equal the
eager draws (integers exactly, floats to rounding), and the numbers must have the
distribution's moments and ranges (every bound is 5 standard errors: a false alarm is
a 1-in-a-million event)."""
import math

import numpy as np
import pytest
import scipy.stats

import tracegrad as tg
import tracegrad.random as tr

N = 1_000_000
PROBS = np.array([0.1, 0.2, 0.3, 0.4])
LOW, HIGH = -0.5, 1.5               # truncated_normal's bounds


def draw_all(key):
    k = tr.split(key, 10)
    return {
        "normal": tr.normal(k[0], (N,)),
        "normal32": tr.normal(k[1], (N,), np.float32),
        "uniform": tr.uniform(k[2], (N,), minval=-2.0, maxval=3.0),
        "uniform32": tr.uniform(k[3], (N,), np.float32),
        "bernoulli": tr.bernoulli(k[4], 0.3, (N,)),
        "categorical": tr.categorical(k[5], np.log(PROBS), shape=(N,)),
        "randint": tr.randint(k[6], (N,), -3, 7),
        "truncated_normal": tr.truncated_normal(k[7], LOW, HIGH, (N,)),
        "gumbel": tr.gumbel(k[8], (N,)),
        "permutation": tr.permutation(k[9], 100_000),
    }


@pytest.fixture(scope="module")
def draws():
    key = tr.key(20240601)
    return draw_all(key), tg.compile(draw_all)(key)


@pytest.fixture(scope="module")
def compiled(draws):
    return draws[1]


def test_compiled_draws_equal_eager_draws(draws):
    eager, compiled = draws
    for name, value in eager.items():
        assert value.dtype == compiled[name].dtype and value.shape == compiled[name].shape
        if value.dtype.kind == "f":
            np.testing.assert_allclose(compiled[name], value, err_msg=name,
                                       rtol=np.finfo(value.dtype).eps * 8,
                                       atol=np.finfo(value.dtype).eps * 8)
        else:
            assert np.array_equal(compiled[name], value), name


def within(value, expected, standard_error, name):
    assert abs(value - expected) < 5 * standard_error, \
        f"{name}: {value} is more than 5 standard errors ({standard_error}) from {expected}"


@pytest.mark.parametrize("name", ["normal", "normal32"])
def test_normal_moments(compiled, name):
    x = compiled[name].astype(np.float64)
    within(x.mean(), 0.0, 1 / math.sqrt(N), f"{name} mean")
    within(x.var(), 1.0, math.sqrt(2 / N), f"{name} variance")
    within(np.mean(x ** 3), 0.0, math.sqrt(15 / N), f"{name} third moment")
    within(np.mean(np.abs(x) > 3), 0.0027, math.sqrt(0.0027 / N), f"{name} tails")


def test_uniform_moments_and_range(compiled):
    x = compiled["uniform"]
    assert x.min() >= -2.0 and x.max() < 3.0
    width = 5.0
    within(x.mean(), 0.5, width * math.sqrt(1 / 12 / N), "uniform mean")
    within(x.var(), width ** 2 / 12, width ** 2 * math.sqrt((1 / 80 - 1 / 144) / N),
           "uniform variance")
    u = compiled["uniform32"]
    assert u.dtype == np.float32 and u.min() >= 0.0 and u.max() < 1.0
    counts = np.bincount((u * 10).astype(int), minlength=10)
    for c in counts:
        within(c, N / 10, math.sqrt(N * 0.1 * 0.9), "uniform32 decile")


def test_bernoulli_rate(compiled):
    b = compiled["bernoulli"]
    assert b.dtype == np.bool_
    within(b.mean(), 0.3, math.sqrt(0.3 * 0.7 / N), "bernoulli rate")


def test_categorical_frequencies(compiled):
    c = compiled["categorical"]
    assert c.min() >= 0 and c.max() < len(PROBS)
    for value, p in enumerate(PROBS):
        within(np.mean(c == value), p, math.sqrt(p * (1 - p) / N), f"category {value}")


def test_randint_range_and_uniformity(compiled):
    r = compiled["randint"]
    assert r.dtype == np.int64 and r.min() == -3 and r.max() == 6
    for value in range(-3, 7):
        within(np.mean(r == value), 0.1, math.sqrt(0.09 / N), f"randint {value}")


def test_permutation_is_a_permutation(compiled):
    p = compiled["permutation"]
    assert np.array_equal(np.sort(p), np.arange(100_000))
    assert np.mean(p == np.arange(100_000)) < 1e-3          # not the identity
    x = np.arange(24.0).reshape(6, 4)
    rows = tr.permutation(tr.key(1), x)
    assert sorted(map(tuple, rows)) == sorted(map(tuple, x))
    lines = tr.permutation(tr.key(1), x, axis=1, independent=True)
    assert np.array_equal(np.sort(lines, axis=1), x)


def test_truncated_normal_bounds_and_mean(compiled):
    t = compiled["truncated_normal"]
    assert t.min() > LOW and t.max() < HIGH
    law = scipy.stats.truncnorm(LOW, HIGH)
    within(t.mean(), law.mean(), law.std() / math.sqrt(N), "truncated_normal mean")


def test_gumbel_mean(compiled):
    g = compiled["gumbel"]
    within(g.mean(), np.euler_gamma, math.pi / math.sqrt(6) / math.sqrt(N), "gumbel mean")


def test_parameters_broadcast_and_shapes_follow_jax():
    key = tr.key(0)
    low = np.array([0.0, 10.0, 100.0])
    u = tr.uniform(key, (4, 3), minval=low, maxval=low + 1)
    assert u.shape == (4, 3) and np.all((u >= low) & (u < low + 1))
    assert tr.bernoulli(key, np.array([0.0, 1.0])).tolist() == [False, True]
    assert tr.categorical(key, np.zeros((5, 3))).shape == (5,)
    assert tr.categorical(key, np.zeros((5, 3)), axis=0).shape == (3,)
    assert tr.truncated_normal(key, np.zeros(2), np.ones((3, 1))).shape == (3, 2)
    assert tr.randint(key, (3,), 5, 5).tolist() == [5, 5, 5]        # maxval <= minval
    assert set(tr.randint(key, (1000,), 0, 256, np.uint8).tolist()) <= set(range(256))
    with pytest.raises(tg.ShapeError, match="do not broadcast"):
        tr.uniform(key, (2,), minval=np.zeros(3))
    with pytest.raises(tg.DTypeError, match="float32 or float64"):
        tr.normal(key, (2,), np.int32)


def test_categorical_without_replacement_draws_distinct_indices():
    draws = [tr.categorical(tr.key(s), np.log(PROBS), shape=(3,), replace=False)
             for s in range(200)]
    assert all(len(set(d.tolist())) == 3 for d in draws)
    with pytest.raises(tg.ShapeError, match="without replacement"):
        tr.categorical(tr.key(0), np.log(PROBS), shape=(5,), replace=False)
