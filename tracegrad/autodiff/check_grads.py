"""check_grads: compare derivatives with central finite differences in float64, along
random directions (like jax.test_util.check_grads / torch.autograd.gradcheck)."""
from __future__ import annotations

import numpy as np

from .. import numpy as tnp
from ..errors import ArgumentError
from ..tracer import tree_flatten, tree_unflatten
from .api import jvp, vjp

_NO_ARGS = object()
_MODES = ("fwd", "rev")


def _check_signature(args):
    """HIPS autograd's curried check_grads(f, modes=...)(x) and a bare array for args
    get tracegrad's (JAX's) signature in the error, not a missing-argument TypeError."""
    usage = ("tracegrad's check_grads(f, args, order=1, modes=('rev',), ...) takes f's "
             "arguments as a tuple and checks at once (JAX's signature), e.g. "
             "check_grads(f, (x,), order=2, modes=('fwd', 'rev'))")
    if args is _NO_ARGS or (isinstance(args, (tuple, list)) and args and
                            all(isinstance(a, str) and a in _MODES for a in args)):
        raise ArgumentError(f"check_grads got no arguments to check f at. {usage}; HIPS "
                            f"autograd's curried form check_grads(f, modes=...)(x) is not "
                            f"supported.")
    if not isinstance(args, (tuple, list)):
        raise ArgumentError(f"check_grads got args of type {type(args).__name__}, not a "
                            f"tuple of f's arguments: {usage}.")


def _as_float64(tree):
    leaves, treedef = tree_flatten(tree)
    return tree_unflatten(treedef, [np.asarray(x, dtype=np.float64) for x in leaves])


def _random_like(tree, rng):
    leaves, treedef = tree_flatten(tree)
    return tree_unflatten(treedef, [rng.standard_normal(np.shape(x)) for x in leaves])


def _inner(a, b) -> float:
    la, lb = tree_flatten(a)[0], tree_flatten(b)[0]
    return float(sum(np.sum(np.asarray(x, np.float64) * np.asarray(y, np.float64))
                     for x, y in zip(la, lb)))


def _add_scaled(tree, direction, eps):
    la, treedef = tree_flatten(tree)
    ld = tree_flatten(direction)[0]
    return tree_unflatten(treedef, [x + eps * d for x, d in zip(la, ld)])


def _numeric_directional(f, args, index, direction, eps):
    """(u-independent) d/de f(args with args[index] + e*direction), central difference."""
    plus = list(args)
    minus = list(args)
    plus[index] = _add_scaled(args[index], direction, eps)
    minus[index] = _add_scaled(args[index], direction, -eps)
    fp, fm = f(*plus), f(*minus)
    lp, treedef = tree_flatten(fp)
    lm = tree_flatten(fm)[0]
    return tree_unflatten(treedef, [(np.asarray(p, np.float64) - np.asarray(m, np.float64))
                                    / (2 * eps) for p, m in zip(lp, lm)])


def _close(a: float, b: float, atol: float, rtol: float) -> bool:
    return abs(a - b) <= atol + rtol * max(abs(a), abs(b))


def check_grads(f, args=_NO_ARGS, order: int = 1, modes=("rev",), atol: float = 1e-6,
                rtol: float = 1e-5, eps: float = 1e-5, seed: int = 0):
    """Raise AssertionError naming the argument, the direction and both numbers when a
    derivative of f (order 1 or 2; modes 'rev' and/or 'fwd') disagrees with central
    finite differences. `args` is the tuple of f's arguments; they are converted to
    float64 first."""
    _check_signature(args)
    if order not in (1, 2):
        raise ValueError("check_grads supports order 1 and 2")
    rng = np.random.default_rng(seed)
    args = tuple(_as_float64(a) for a in args)
    out = f(*args)
    for index in range(len(args)):
        direction = _random_like(args[index], rng)
        numeric = _numeric_directional(f, args, index, direction, eps)
        u = _random_like(out, rng)
        expected = _inner(u, numeric)
        if "rev" in modes:
            _, vjp_fn = vjp(f, *args)
            actual = _inner(vjp_fn(u)[index], direction)
            if not _close(actual, expected, atol, rtol):
                raise AssertionError(
                    f"reverse-mode derivative of {getattr(f, '__name__', 'f')} with respect "
                    f"to argument {index} along direction {direction!r}: vjp gives "
                    f"{actual!r}, finite differences give {expected!r}")
        if "fwd" in modes:
            tangents = tuple(direction if i == index else
                             _random_like(a, rng) * 0.0 for i, a in enumerate(args))
            _, t_out = jvp(f, args, tangents)
            actual = _inner(u, t_out)
            if not _close(actual, expected, atol, rtol):
                raise AssertionError(
                    f"forward-mode derivative of {getattr(f, '__name__', 'f')} with respect "
                    f"to argument {index} along direction {direction!r}: jvp gives "
                    f"{actual!r}, finite differences give {expected!r}")
    if order == 2:
        w = _random_like(out, rng)

        def first_derivative(*xs):
            _, vjp_fn = vjp(f, *xs)
            cts = vjp_fn(tnp.asarray(w) if not isinstance(w, (tuple, list, dict)) else w)
            return cts

        check_grads(first_derivative, args, order=1, modes=modes, atol=atol, rtol=rtol,
                    eps=eps, seed=seed + 1)
