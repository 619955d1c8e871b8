"""Learning-rate schedules as pure functions of the step count (0 for the first
step), written with tracegrad.numpy so they also run on a traced count inside a
compiled training step. PyTorch's schedulers (lr_scheduler.py) are built on them."""
from __future__ import annotations

import math

from .. import numpy as tnp


def constant_schedule(value):
    return lambda count: value


def step_schedule(init_value, step_size, gamma=0.1):
    """init_value * gamma ** (count // step_size) (PyTorch's StepLR)."""
    return lambda count: init_value * gamma ** (count // step_size)


def cosine_schedule(init_value, decay_steps, min_value=0.0):
    """From init_value down to min_value along half a cosine over decay_steps, then
    min_value (PyTorch's CosineAnnealingLR over T_max = decay_steps, eta_min)."""
    def schedule(count):
        progress = tnp.minimum(count, decay_steps) / decay_steps
        return min_value + (init_value - min_value) * (1 + tnp.cos(math.pi * progress)) / 2
    return schedule


def linear_warmup(schedule, warmup_steps, start_factor=1.0 / 3, end_factor=1.0):
    """`schedule` (or a constant) scaled by a factor that goes linearly from start_factor
    to end_factor over warmup_steps, then stays (PyTorch's LinearLR; start_factor=0
    for the usual warmup from zero)."""
    base = schedule if callable(schedule) else constant_schedule(schedule)

    def warmed(count):
        done = tnp.minimum(count, warmup_steps) / warmup_steps
        return base(count) * (start_factor + (end_factor - start_factor) * done)
    return warmed
