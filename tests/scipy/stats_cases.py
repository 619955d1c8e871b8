"""Cases for the tracegrad.scipy.stats tests: each univariate method with arguments that
cover broadcasting, the support's edges, points off the support and invalid parameters.
A case's `fn(stats, *args)` is written once against a stats module: scipy.stats (the
oracle) or tracegrad.scipy.stats."""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

# (x's shape, the parameters' shape, loc's and scale's shape): broadcasting both ways.
SHAPES = [((7,), (), ()), ((4, 1), (3,), ()), ((), (2, 3), (3,)), ((2, 5), (5,), (2, 1))]


@dataclasses.dataclass(frozen=True)
class Dist:
    name: str
    methods: tuple
    shapes: Callable            # shapes(rng, shape) -> tuple of shape parameters
    support: tuple              # where the standardized x is drawn from (lo, hi)
    edges: tuple = ()           # standardized x values added to the first case
    invalid: tuple = ()         # shape parameters SciPy answers with NaN
    loc_scale: bool = True

    def fn(self, method):
        def call(stats, x, *params):
            return getattr(getattr(stats, self.name), method)(x, *params)
        return call


def _uniform(lo, hi, count):
    return lambda rng, shape: tuple(rng.uniform(lo, hi, shape) for _ in range(count))


DENSITY = ("logpdf", "pdf")
TAILS = ("cdf", "logcdf", "sf", "logsf")
DISTS = [
    Dist("norm", DENSITY + TAILS, _uniform(0, 0, 0), (-6, 6),
         edges=(0.0, -np.inf, np.inf, np.nan)),
    Dist("t", DENSITY + TAILS, _uniform(0.3, 12, 1), (-6, 6), edges=(0.0, np.inf, -np.inf),
         invalid=(0.0, -1.0)),
    Dist("gamma", DENSITY + TAILS, _uniform(0.3, 6, 1), (-1, 9), edges=(0.0, np.inf),
         invalid=(0.0,)),
    Dist("chi2", DENSITY + TAILS, _uniform(0.3, 9, 1), (-1, 12), edges=(0.0,),
         invalid=(-2.0,)),
    Dist("beta", DENSITY + TAILS, _uniform(0.3, 5, 2), (-0.2, 1.2), edges=(0.0, 1.0),
         invalid=(0.0, 1.0)),
]


def cases(dist, rng, dtype=np.float64):
    """Argument tuples (x, *shape parameters, loc, scale) in `dtype`; the first case
    also holds `edges`, invalid parameters and a non-positive scale."""
    out = []
    for n, (xs, ps, ls) in enumerate(SHAPES):
        params = dist.shapes(rng, ps)
        loc, scale = rng.uniform(-1, 1, ls), rng.uniform(0.5, 2, ls)
        z = rng.uniform(*dist.support, xs)
        x = loc + scale * z if np.ndim(loc) <= np.ndim(z) else z
        if n == 0:
            x = np.concatenate([x, loc + scale * np.asarray(dist.edges), [0.5, 0.5]])
            scale = np.concatenate([np.full(x.shape[0] - 1, scale), [-1.0]])
            loc = np.zeros_like(scale)
            if dist.invalid:
                params = tuple(np.concatenate([np.full(x.shape[0] - 2, p), [dist.invalid[i],
                               1.0]]) for i, p in enumerate(params))
        args = (x,) + params + (loc, scale)
        out.append(tuple(np.asarray(a, dtype) for a in args))
    return out


def smooth_cases(dist, rng):
    """float64 cases strictly inside the support with valid parameters: for finite
    differences."""
    out = []
    inner = {"gamma": (0.2, 8), "chi2": (0.2, 10), "beta": (0.05, 0.95)}.get(
        dist.name, dist.support)
    for xs, ps, ls in SHAPES[1:3]:
        params = tuple(np.maximum(p, 1.2) if dist.name == "beta" else p
                       for p in dist.shapes(rng, ps))
        loc, scale = rng.uniform(-1, 1, ls), rng.uniform(0.5, 2, ls)
        z = rng.uniform(*inner, np.broadcast_shapes(xs, ls))
        out.append((loc + scale * z,) + params + (loc, scale))
    return out


class Accurate:
    """scipy.stats with SciPy's log(cdf) / log(sf) of the gamma family and poisson
    replaced by log1p(-other tail) where the tail exceeds 1/2: there SciPy's log of a
    value near 1 keeps only its rounding error, and tracegrad computes it this way."""

    def __init__(self, scipy_stats):
        self.stats = scipy_stats

    def __getattr__(self, name):
        dist = getattr(self.stats, name)
        if name not in ("gamma", "chi2", "poisson"):
            return dist
        return _AccurateLogTails(dist)


class _AccurateLogTails:
    def __init__(self, dist):
        self.dist = dist

    def __getattr__(self, method):
        if method not in ("logcdf", "logsf"):
            return getattr(self.dist, method)
        this, other = ("cdf", "sf") if method == "logcdf" else ("sf", "cdf")

        def log_tail(*args):
            p, q = getattr(self.dist, this)(*args), getattr(self.dist, other)(*args)
            with np.errstate(divide="ignore", invalid="ignore"):     # log 0 = -inf
                return np.where(p > 0.5, np.log1p(-q), np.log(p))
        return log_tail
