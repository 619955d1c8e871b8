"""The update rules, one per optimizer, on one parameter array at a time: PyTorch's
published equations (torch.optim's documentation), written with tracegrad.numpy so the
same code updates NumPy arrays (the stateful optimizers), and traced values (the pure
transformations inside tg.compile). `t` is the 1-based step number."""
from __future__ import annotations

from .. import numpy as tnp


def _weight_decay(g, p, weight_decay):
    return g + weight_decay * p if weight_decay else g


class SGDRule:
    def __init__(self, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
                 maximize=False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.momentum, self.dampening = momentum, dampening
        self.weight_decay, self.nesterov, self.maximize = weight_decay, nesterov, maximize
        self.slots = ("momentum_buffer",) if momentum else ()

    def update(self, g, p, slots, lr, t):
        """(the change to add to p, the new slots)."""
        g = -g if self.maximize else g
        g = _weight_decay(g, p, self.weight_decay)
        if self.momentum:
            # b_1 = g_1; b_t = momentum b_{t-1} + (1 - dampening) g_t
            b = tnp.where(t == 1, g, self.momentum * slots["momentum_buffer"] +
                          (1 - self.dampening) * g)
            g = g + self.momentum * b if self.nesterov else b
            slots = {"momentum_buffer": b}
        return -lr * g, slots


class AdamRule:
    """Adam; AdamW with decoupled=True (weight decay applied to p, not the gradient)."""

    def __init__(self, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
                 decoupled=False, maximize=False):
        self.beta1, self.beta2 = betas
        self.eps, self.weight_decay, self.amsgrad = eps, weight_decay, amsgrad
        self.decoupled, self.maximize = decoupled, maximize
        self.slots = ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if amsgrad else ())

    def update(self, g, p, slots, lr, t):
        g = -g if self.maximize else g
        decay = 0.0
        if self.decoupled:
            decay = -lr * self.weight_decay * p          # p <- p (1 - lr wd)
        else:
            g = _weight_decay(g, p, self.weight_decay)
        m = self.beta1 * slots["exp_avg"] + (1 - self.beta1) * g
        v = self.beta2 * slots["exp_avg_sq"] + (1 - self.beta2) * g * g
        new = {"exp_avg": m, "exp_avg_sq": v}
        if self.amsgrad:
            v = new["max_exp_avg_sq"] = tnp.maximum(slots["max_exp_avg_sq"], v)
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        # the decayed parameter takes the Adam step: p' = p(1 - lr wd) - lr m^/(√v^ + eps)
        return decay - lr * m_hat / (tnp.sqrt(v_hat) + self.eps), new


class RMSpropRule:
    def __init__(self, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False, maximize=False):
        self.alpha, self.eps, self.weight_decay = alpha, eps, weight_decay
        self.momentum, self.centered, self.maximize = momentum, centered, maximize
        self.slots = ("square_avg",) + (("momentum_buffer",) if momentum else ()) + \
            (("grad_avg",) if centered else ())

    def update(self, g, p, slots, lr, t):
        g = -g if self.maximize else g
        g = _weight_decay(g, p, self.weight_decay)
        v = self.alpha * slots["square_avg"] + (1 - self.alpha) * g * g
        new = {"square_avg": v}
        if self.centered:
            avg = new["grad_avg"] = self.alpha * slots["grad_avg"] + (1 - self.alpha) * g
            v = v - avg * avg
        step = g / (tnp.sqrt(v) + self.eps)
        if self.momentum:
            step = new["momentum_buffer"] = self.momentum * slots["momentum_buffer"] + step
        return -lr * step, new
