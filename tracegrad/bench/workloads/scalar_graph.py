"""Compile-time stress: a straight-line function of about `size` scalar operations on 50
scalar (0-d) parameters. The program is drawn once from a fixed seed, so every system
runs the same operations; each step reads two recent values so nothing is dead code."""
import numpy as np

from .base import Workload

PARAMS = 50
# name -> (number of scalar operations, how to apply it with namespace xp)
STEPS = {
    "add": (1, lambda xp, a, b: a + b),
    "mul_tanh": (2, lambda xp, a, b: a * xp.tanh(b)),
    "sin": (1, lambda xp, a, b: xp.sin(a)),
    "mix": (3, lambda xp, a, b: 0.75 * a - 0.25 * b),
    "tanh_sum": (2, lambda xp, a, b: xp.tanh(a + b)),
}


def program(size):
    """[(step name, operand a, operand b)], operands indexing the value list."""
    rng = np.random.default_rng(1234)
    names = sorted(STEPS)
    steps, ops, n_values = [], 0, PARAMS
    while ops < size:
        name = names[rng.integers(len(names))]
        window = min(n_values, 60)                 # recent values keep the graph deep
        a, b = (n_values - 1 - rng.integers(window, size=2)).tolist()
        if len(steps) < PARAMS:
            a = len(steps)                         # every parameter is read at least once
        steps.append((name, a, b))
        ops += STEPS[name][0]
        n_values += 1
    return steps


def make_inputs(size, dtype, rng):
    return ([np.asarray(rng.standard_normal(), dtype) for _ in range(PARAMS)],)


def run_program(xp, params, steps):
    values = list(params)
    for name, a, b in steps:
        values.append(STEPS[name][1](xp, values[a], values[b]))
    total = values[-1]
    for v in values[-PARAMS:-1]:                   # the last 50 values all reach the loss
        total = total + v
    return total


def make_loss(xp, size):
    steps = program(size)                          # static: part of the traced program

    def loss(params):
        return run_program(xp, params, steps)
    return loss


def make_torch_loss(torch, size):
    steps = program(size)

    def loss(params):
        return run_program(torch, params, steps)
    return loss


WORKLOAD = Workload(
    name="scalar_graph",
    description="~size scalar ops on 50 scalar parameters (compile-time stress)",
    size_name="ops",
    quick_sizes=(1000,),
    full_sizes=(1000,),
    dtype="float64",
    make_inputs=make_inputs,
    make_loss=make_loss,
    make_torch_loss=make_torch_loss,
)
