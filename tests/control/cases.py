"""The control-flow table: each construct written twice — with tracegrad's structured
control flow (`staged`) and as the same computation unrolled in Python (`unrolled`) —
plus a maker of float arguments. Tests compare the two in every mode."""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

import tracegrad as tg
import tracegrad.numpy as tnp


@dataclasses.dataclass
class Case:
    name: str
    staged: Callable
    unrolled: Callable
    make_args: Callable          # (rng, dtype) -> tuple of arguments
    argnums: tuple = (0,)        # differentiated arguments
    order2: tuple = ("fwd-over-rev", "rev-over-rev")   # second-derivative modes tested
    finite_differences: bool = True   # trip count does not jump under a small step


def _vec(rng, dtype, *shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(dtype)


# ---- scan: an RNN with a scalar output per step ----------------------------------------

def rnn_staged(W, xs):
    def step(h, x):
        h = tnp.tanh(W @ h + x)
        return h, (h * h).sum()
    h, ys = tg.scan(step, tnp.zeros(W.shape[0], W.dtype), xs)
    return h.sum() + (ys * tnp.linspace(0.5, 1.5, xs.shape[0]).astype(W.dtype)).sum()


def rnn_unrolled(W, xs):
    h, ys = tnp.zeros(W.shape[0], W.dtype), []
    for t in range(xs.shape[0]):
        h = tnp.tanh(W @ h + xs[t])
        ys.append((h * h).sum())
    return h.sum() + (tnp.stack(ys) * tnp.linspace(0.5, 1.5, xs.shape[0]).astype(W.dtype)).sum()


# ---- scan over a pytree, reversed, closing over a traced value and a constant array --------

_MIX = np.array([0.5, -1.0, 2.0])


def tree_staged(a, xs):
    def step(carry, x):
        h, c = carry["h"], carry["c"]
        u, v = x
        h = tnp.sin(h * a + u) + tnp.asarray(_MIX, a.dtype) * v
        return {"h": h, "c": c + (h * u).sum()}, h[0] * c
    carry, ys = tg.scan(step, {"h": a * 0.1, "c": a.sum()}, (xs, xs[:, 0] * 0.5),
                        reverse=True)
    return carry["c"] + carry["h"].sum() + ys.sum()


def tree_unrolled(a, xs):
    h, c, ys = a * 0.1, a.sum(), []
    for t in reversed(range(xs.shape[0])):
        u, v = xs[t], xs[t, 0] * 0.5
        h = tnp.sin(h * a + u) + tnp.asarray(_MIX, a.dtype) * v
        c, y = c + (h * u).sum(), h[0] * c
        ys.append(y)
    return c + h.sum() + tnp.stack(ys).sum()


# ---- fori_loop with bounds known at trace time (a scan) -----------------------------------

def fori_staged(x):
    def body(i, carry):
        p, q = carry
        return p * 0.9 + tnp.cos(q) * (i * 0.1), q + p.mean()
    p, q = tg.fori_loop(1, 7, body, (x, x[::-1]))
    return (p * q).sum()


def fori_unrolled(x):
    p, q = x, x[::-1]
    for i in range(1, 7):
        p, q = p * 0.9 + tnp.cos(q) * (i * 0.1), q + p.mean()
    return (p * q).sum()


# ---- fori_loop with a traced trip count (a while loop: reverse mode through a tape) ------

def fori_traced_staged(x, n):
    return tg.fori_loop(0, n, lambda i, y: y * tnp.tanh(y + 0.1 * i) + x, x).sum()


def fori_traced_unrolled(x, n):
    y = x
    for i in range(int(n)):
        y = y * tnp.tanh(y + 0.1 * i) + x
    return y.sum()


# ---- while_loop with a data-dependent trip count: Newton for x**3 = a ---------------------

def newton_staged(a):
    def cond(c):
        y, k = c
        return (tnp.abs(y ** 3 - a).max() > 1e-5) & (k < 50)

    def body(c):
        y, k = c
        return y - (y ** 3 - a) / (3 * y ** 2), k + 1
    y, _ = tg.while_loop(cond, body, (a * 0 + 1.5, 0))
    return (y * tnp.arange(1, a.shape[0] + 1, dtype=a.dtype)).sum()


def newton_unrolled(a):
    y, k = a * 0 + 1.5, 0
    while tnp.abs(y ** 3 - a).max() > 1e-5 and k < 50:
        y, k = y - (y ** 3 - a) / (3 * y ** 2), k + 1
    return (y * tnp.arange(1, a.shape[0] + 1, dtype=a.dtype)).sum()


# ---- while_loop whose trip count stays put under a small step ------------------------------

def grow_staged(x):
    y = tg.while_loop(lambda c: c.sum() < 10.0, lambda c: c * 1.5 + tnp.sin(c), x)
    return (y * y * tnp.arange(1, x.shape[0] + 1, dtype=x.dtype)).sum()


def grow_unrolled(x):
    y = x
    while y.sum() < 10.0:
        y = y * 1.5 + tnp.sin(y)
    return (y * y * tnp.arange(1, x.shape[0] + 1, dtype=x.dtype)).sum()


# ---- cond and switch ------------------------------------------------------------------------

def cond_staged(x):
    return tg.cond(x.sum() > 0, lambda v: (tnp.sin(v) * v).sum(),
                   lambda v: (v ** 3).sum() + 1.0, x)


def cond_unrolled(x):
    return (tnp.sin(x) * x).sum() if x.sum() > 0 else (x ** 3).sum() + 1.0


def switch_staged(x):
    index = (tnp.abs(x).sum() * 2).astype(np.int32) - 3
    return tg.switch(index, [lambda v: v.sum(), lambda v: tnp.exp(v).sum(),
                             lambda v: (v * v).sum()], x)


def switch_unrolled(x):
    index = int(np.clip(int(tnp.abs(x).sum() * 2) - 3, 0, 2))
    return [lambda v: v.sum(), lambda v: tnp.exp(v).sum(), lambda v: (v * v).sum()][index](x)


# ---- nesting ------------------------------------------------------------------------------

def nested_staged(W, xs):
    def outer(h, x):
        def inner(c, _):
            return tnp.tanh(W @ c + x), c.sum()
        c, ys = tg.scan(inner, h, None, length=3)
        return c, ys.sum()
    h, s = tg.scan(outer, tnp.ones(W.shape[0], W.dtype), xs)
    return h.sum() + s.sum()


def nested_unrolled(W, xs):
    h, s = tnp.ones(W.shape[0], W.dtype), []
    for t in range(xs.shape[0]):
        c, ys = h, []
        for _ in range(3):
            c, y = tnp.tanh(W @ c + xs[t]), c.sum()
            ys.append(y)
        h = c
        s.append(tnp.stack(ys).sum())
    return h.sum() + tnp.stack(s).sum()


def cond_in_scan_staged(x, xs):
    def step(h, u):
        h = tg.cond(u.sum() > 0, lambda a, b: a * tnp.cos(b), lambda a, b: a + b * 0.5, h, u)
        return h, h.sum()
    h, ys = tg.scan(step, x, xs)
    return (h * h).sum() + ys.sum()


def cond_in_scan_unrolled(x, xs):
    h, ys = x, []
    for t in range(xs.shape[0]):
        u = xs[t]
        h = h * tnp.cos(u) if u.sum() > 0 else h + u * 0.5
        ys.append(h.sum())
    return (h * h).sum() + tnp.stack(ys).sum()


def remat_staged(W, xs):
    def step(h, x):
        return tnp.tanh(W @ h + x) * 1.1, None
    h, _ = tg.scan(tg.checkpoint(step), tnp.ones(W.shape[0], W.dtype), xs)
    return (h ** 2).sum()


def remat_unrolled(W, xs):
    h = tnp.ones(W.shape[0], W.dtype)
    for t in range(xs.shape[0]):
        h = tnp.tanh(W @ h + xs[t]) * 1.1
    return (h ** 2).sum()


CASES = [
    Case("scan_rnn", rnn_staged, rnn_unrolled,
         lambda r, d: (_vec(r, d, 4, 4, scale=0.5), _vec(r, d, 6, 4)), argnums=(0, 1)),
    Case("scan_pytree_reverse", tree_staged, tree_unrolled,
         lambda r, d: (_vec(r, d, 3), _vec(r, d, 5, 3)), argnums=(0, 1)),
    Case("fori_static", fori_staged, fori_unrolled, lambda r, d: (_vec(r, d, 3),)),
    Case("fori_traced_bounds", fori_traced_staged, fori_traced_unrolled,
         lambda r, d: (_vec(r, d, 3, scale=0.3), np.int64(4)), order2=("fwd-over-rev",)),
    Case("while_newton", newton_staged, newton_unrolled,
         lambda r, d: (r.uniform(1.0, 3.0, 3).astype(d),), finite_differences=False),
    # Reverse over reverse through a while loop's tape is not supported (test_errors.py).
    Case("while_growth", grow_staged, grow_unrolled,
         lambda r, d: (np.array([1.1, 0.7, 1.3], d),), order2=("fwd-over-rev",)),
    Case("cond", cond_staged, cond_unrolled, lambda r, d: (_vec(r, d, 3),)),
    Case("cond_other_branch", cond_staged, cond_unrolled,
         lambda r, d: (-np.abs(_vec(r, d, 3)),)),
    Case("switch", switch_staged, switch_unrolled, lambda r, d: (_vec(r, d, 3),)),
    Case("scan_in_scan", nested_staged, nested_unrolled,
         lambda r, d: (_vec(r, d, 3, 3, scale=0.4), _vec(r, d, 4, 3)), argnums=(0, 1)),
    Case("cond_in_scan", cond_in_scan_staged, cond_in_scan_unrolled,
         lambda r, d: (_vec(r, d, 3), _vec(r, d, 5, 3)), argnums=(0, 1)),
    Case("checkpoint_scan", remat_staged, remat_unrolled,
         lambda r, d: (_vec(r, d, 3, 3, scale=0.4), _vec(r, d, 5, 3)), argnums=(0, 1)),
]
