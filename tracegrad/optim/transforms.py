"""The optimizers as pure functions on pytrees of arrays, as in optax:

    opt = tracegrad.optim.adam(1e-3)
    state = opt.init(params)
    updates, state = opt.update(grads, state, params)
    params = tracegrad.optim.apply_updates(params, updates)

The state is a dict of arrays (a step count and one tree per slot, shaped like the
parameters), so a whole training step — loss, gradient, update — compiles as one
program under tg.compile. The learning rate is a number or a schedule (step -> rate)."""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from .. import numpy as tnp
from ..tracer import tree_flatten, tree_map, tree_unflatten
from .rules import AdamRule, RMSpropRule, SGDRule


class GradientTransformation(NamedTuple):
    init: Callable
    update: Callable


def _dtype(x):
    return x.dtype if hasattr(x, "dtype") else np.result_type(x)


def learning_rate_at(learning_rate, count):
    return learning_rate(count) if callable(learning_rate) else learning_rate


def from_rule(rule, learning_rate) -> GradientTransformation:
    def init(params):
        leaves, tree = tree_flatten(params)
        state = {"count": np.zeros((), np.int64)}
        for name in rule.slots:
            state[name] = tree_unflatten(tree, [tnp.zeros_like(p) for p in leaves])
        return state

    def update(grads, state, params=None):
        if params is None:
            raise TypeError("update(grads, state, params): this optimizer needs the "
                            "parameters (weight decay reads them); pass them")
        g_leaves, tree = tree_flatten(grads)
        p_leaves = tree_flatten(params)[0]
        slot_leaves = {name: tree_flatten(state[name])[0] for name in rule.slots}
        count = state["count"]
        lr = learning_rate_at(learning_rate, count)
        updates, new_slots = [], {name: [] for name in rule.slots}
        for i, (g, p) in enumerate(zip(g_leaves, p_leaves)):
            slots = {name: leaves[i] for name, leaves in slot_leaves.items()}
            delta, slots = rule.update(g, p, slots, lr, count + 1)
            updates.append(tnp.astype(delta, _dtype(p)))
            for name in rule.slots:
                new_slots[name].append(slots[name])
        new_state = {"count": count + 1}
        for name in rule.slots:
            new_state[name] = tree_unflatten(tree, new_slots[name])
        return tree_unflatten(tree, updates), new_state

    return GradientTransformation(init, update)


def apply_updates(params, updates):
    """params + updates, leaf by leaf (each keeps its parameter's dtype)."""
    return tree_map(lambda p, u: p + tnp.astype(u, _dtype(p)), params, updates)


def sgd(learning_rate, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
        maximize=False) -> GradientTransformation:
    return from_rule(SGDRule(momentum, dampening, weight_decay, nesterov, maximize),
                     learning_rate)


def adam(learning_rate=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
         amsgrad=False, maximize=False) -> GradientTransformation:
    return from_rule(AdamRule(betas, eps, weight_decay, amsgrad, False, maximize),
                     learning_rate)


def adamw(learning_rate=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
          amsgrad=False, maximize=False) -> GradientTransformation:
    return from_rule(AdamRule(betas, eps, weight_decay, amsgrad, True, maximize),
                     learning_rate)


def rmsprop(learning_rate=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
            centered=False, maximize=False) -> GradientTransformation:
    return from_rule(RMSpropRule(alpha, eps, weight_decay, momentum, centered, maximize),
                     learning_rate)
