"""The stateful optimizers of PyTorch (torch.optim) on tracegrad tensors: parameter
groups, per-parameter state, step(closure), zero_grad(set_to_none=True). Each step runs
the same rule (rules.py) as the pure transformations, on the parameters' arrays."""
from __future__ import annotations

import numpy as np

from ..autograd import Tensor, enable_grad, no_grad
from .rules import AdamRule, RMSpropRule, SGDRule


def _parameter_list(params):
    if isinstance(params, Tensor):
        raise TypeError("params argument given to the optimizer should be an iterable of "
                        "Tensors or dicts, but got a Tensor: wrap it in a list")
    if isinstance(params, dict):
        return list(params.values())
    return list(params)


class Optimizer:
    """Base class: subclasses give `defaults` and `make_rule(group)`."""

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state: dict = {}
        self.param_groups: list = []
        params = _parameter_list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group):
        group = dict(group)
        group["params"] = _parameter_list(group["params"])
        for p in group["params"]:
            if not isinstance(p, Tensor) or not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor (or a non-Tensor): pass "
                                 "leaves created with tg.tensor(..., requires_grad=True)")
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad = p.grad.detach()
                    p.grad.zero_()

    def make_rule(self, group):
        raise NotImplementedError

    def step(self, closure=None):
        """One update of every parameter with a gradient; closure() recomputes the loss
        (with gradients) first, as in PyTorch, and its value is returned."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                rule = self.make_rule(group)
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state.setdefault(p, {"step": 0})
                    for name in rule.slots:
                        state.setdefault(name, np.zeros_like(p._data))
                    state["step"] += 1
                    slots = {name: state[name] for name in rule.slots}
                    grad = p.grad._data if p.grad._tracer is None else p.grad.detach()._data
                    delta, slots = rule.update(grad, p._data, slots, group["lr"],
                                               state["step"])
                    state.update(slots)
                    p._assign(p._data + np.asarray(delta, dtype=p.dtype))
        return loss

    def state_dict(self):
        """{'state': {index: state}, 'param_groups': [hyperparameters with parameter
        indices]} as in PyTorch (arrays copied)."""
        index = {id(p): i for i, p in enumerate(
            p for group in self.param_groups for p in group["params"])}
        return {"state": {index[id(p)]: {k: np.array(v) for k, v in s.items()}
                          for p, s in self.state.items()},
                "param_groups": [{**{k: v for k, v in g.items() if k != "params"},
                                  "params": [index[id(p)] for p in g["params"]]}
                                 for g in self.param_groups]}

    def load_state_dict(self, state_dict):
        params = [p for group in self.param_groups for p in group["params"]]
        for group, saved in zip(self.param_groups, state_dict["param_groups"]):
            group.update({k: v for k, v in saved.items() if k != "params"})
        self.state = {params[i]: {k: np.array(v) if np.ndim(v) else v
                                  for k, v in s.items()}
                      for i, s in state_dict["state"].items()}

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines + [")"])


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False, *, maximize=False):
        SGDRule(momentum, dampening, weight_decay, nesterov)        # checks the values
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize))

    def make_rule(self, g):
        return SGDRule(g["momentum"], g["dampening"], g["weight_decay"], g["nesterov"],
                       g["maximize"])


class Adam(Optimizer):
    decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, *, maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize))

    def make_rule(self, g):
        return AdamRule(g["betas"], g["eps"], g["weight_decay"], g["amsgrad"],
                        self.decoupled, g["maximize"])


class AdamW(Adam):
    decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0,
                 momentum=0.0, centered=False, *, maximize=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered,
                                      maximize=maximize))

    def make_rule(self, g):
        return RMSpropRule(g["alpha"], g["eps"], g["weight_decay"], g["momentum"],
                           g["centered"], g["maximize"])
