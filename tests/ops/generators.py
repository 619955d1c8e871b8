"""Input generators for op-table rows: `cases(rng, dtype) -> list of argument tuples`.

`arrays(shape_cases, *samplers)` builds one case per tuple of shapes, each argument drawn
by its sampler (default: uniform in [-2, 2) in the row's dtype). Samplers cover what
op_table's `unary`/`binary` don't: integers and bools (for any row dtype), grids that
never hit a kink exactly, nonzero divisors, index arrays, and explicit special values."""
from __future__ import annotations

import numpy as np


def uniform(low=-2.0, high=2.0):
    """Floats in [low, high); integer and bool dtypes get integers / random bools."""
    def draw(rng, dtype, shape):
        dtype = np.dtype(dtype)
        if dtype == np.bool_:
            return np.asarray(rng.random(shape) < 0.5)
        if dtype.kind in "iu":
            return np.asarray(rng.integers(int(np.ceil(low)), int(np.floor(high)) + 1, shape),
                              dtype=dtype)
        return np.asarray(rng.uniform(low, high, shape), dtype=dtype)
    return draw


def grid(low=-2.0, high=2.0, step=0.5, offset=0.25):
    """low + offset + k*step: exact in float32, so a kink at a multiple of `step` (0, the
    other operand of maximum, a clip bound) is never hit, and ties are likely for
    offset=0."""
    def draw(rng, dtype, shape):
        k = rng.integers(0, int(round((high - low) / step)), shape)
        return np.asarray(low + offset + k * step, dtype=dtype)
    return draw


def nonzero(low=0.5, high=2.0):
    """Magnitude in [low, high] with a random sign (divisors); integers for int dtypes."""
    def draw(rng, dtype, shape):
        sign = np.where(rng.random(shape) < 0.5, -1, 1)
        if np.dtype(dtype).kind in "iu":
            return np.asarray(sign * rng.integers(int(low) or 1, int(high) + 1, shape),
                              dtype=dtype)
        return np.asarray(sign * rng.uniform(low, high, shape), dtype=dtype)
    return draw


def of_dtype(dtype, sampler=None):
    """A sampler that ignores the row's dtype (a bool condition, an int32 operand)."""
    sampler = sampler or uniform()
    return lambda rng, _, shape: sampler(rng, dtype, shape)


def index(n, dtype=np.intp):
    """Valid indices into an axis of length n, negative ones included."""
    return lambda rng, _, shape: np.asarray(rng.integers(-n, n, shape), dtype=dtype)


def bools():
    return of_dtype(np.bool_)


def arrays(shape_cases, *samplers):
    def cases(rng, dtype):
        out = []
        for shapes in shape_cases:
            draws = samplers or (uniform(),) * len(shapes)
            out.append(tuple(draw(rng, dtype, s) for draw, s in zip(draws, shapes)))
        return out
    return cases


def values(*arguments):
    """One case of explicit values (each argument a nested list) in the row's dtype;
    none for integer and bool dtypes (the values are meant as floats: nan, inf, -0.0)."""
    def cases(rng, dtype):
        if np.dtype(dtype).kind not in "fc":
            return []
        return [tuple(np.asarray(a, dtype=dtype) for a in arguments)]
    return cases


def join(*generators):
    def cases(rng, dtype):
        return [case for gen in generators for case in gen(rng, dtype)]
    return cases


def one_arg(shapes):
    return [(s,) for s in shapes]


SPECIAL = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan]
