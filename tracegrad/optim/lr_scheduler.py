"""PyTorch's learning-rate schedulers for the stateful optimizers, on the pure
schedules: each step() sets every group's lr to its schedule at the new epoch."""
from __future__ import annotations

from .schedules import cosine_schedule, linear_warmup, step_schedule


class LRScheduler:
    def __init__(self, optimizer, make_schedule):
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [g["initial_lr"] for g in optimizer.param_groups]
        self.schedules = [make_schedule(lr) for lr in self.base_lrs]
        self.last_epoch = -1
        self.step()

    def step(self):
        self.last_epoch += 1
        for group, schedule in zip(self.optimizer.param_groups, self.schedules):
            group["lr"] = float(schedule(self.last_epoch))

    def get_last_lr(self):
        return [g["lr"] for g in self.optimizer.param_groups]


class StepLR(LRScheduler):
    def __init__(self, optimizer, step_size, gamma=0.1):
        super().__init__(optimizer, lambda lr: step_schedule(lr, step_size, gamma))


class CosineAnnealingLR(LRScheduler):
    """Cosine from the initial lr to eta_min over T_max epochs, then eta_min (PyTorch's
    keeps following the cosine back up after T_max)."""

    def __init__(self, optimizer, T_max, eta_min=0.0):                # noqa: N803
        super().__init__(optimizer, lambda lr: cosine_schedule(lr, T_max, eta_min))


class LinearLR(LRScheduler):
    """The lr times a factor going linearly from start_factor to end_factor over
    total_iters epochs (a linear warmup)."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
        super().__init__(optimizer, lambda lr: linear_warmup(lr, total_iters, start_factor,
                                                             end_factor))
