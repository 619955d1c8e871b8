"""What a system is: something that turns a workload into a callable to time."""
from __future__ import annotations

import importlib.metadata
import importlib.util


class System:
    """One contestant. `prepare` does everything a user does once (convert inputs, wrap
    the function in jit/compile); the returned `call()` is what is timed — its first
    call included — and must return only when the result is computed. `to_numpy` turns
    that result into (value, tree of NumPy arrays) for the correctness check; for the
    kinds whose call returns the derivative alone (per_example_grad, jacobian, hessian),
    `tree_to_numpy` turns the tree (see `result_arrays`).

    A system that cannot run a workload's kind raises `UnsupportedKind` from `prepare`:
    the bench shows it as that row's error."""

    name = ""              # command-line name, e.g. "torch-compile"
    label = ""             # row label in the table
    module = ""            # importable module that must exist for the system to run
    distributions: tuple[str, ...] = ()    # packages whose versions are recorded
    opt_in = False         # runs only when named in --peers
    compiles = False       # its first call compiles (jit): "native ready" = first call

    def available(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def versions(self) -> dict[str, str]:
        found = {}
        for dist in self.distributions:
            try:
                found[dist] = importlib.metadata.version(dist)
            except importlib.metadata.PackageNotFoundError:
                pass
        return found

    def supports(self, workload) -> bool:
        return True

    def compiles_for(self, workload) -> bool:
        """Whether this workload's first call compiles ("native ready" = first call)."""
        return self.compiles

    def setup(self, threads):
        """Once per process, before anything is measured (thread counts, flags)."""

    def prepare(self, workload, size, args):
        raise NotImplementedError

    def first_call(self, call):
        """(seconds, result, phases) of the first call; phases (a dict of seconds) where
        the system can split it, else None."""
        from ..measure import time_first_call
        seconds, result = time_first_call(call)
        return seconds, result, None

    def leaf_to_numpy(self, leaf):
        import numpy as np
        return np.asarray(leaf)

    def tree_to_numpy(self, tree):
        from ..trees import tree_map
        return tree_map(self.leaf_to_numpy, tree)

    def to_numpy(self, result):
        value, tree = result
        return self.leaf_to_numpy(value), self.tree_to_numpy(tree)


class UnsupportedKind(NotImplementedError):
    """A system has no version of a workload's kind (the message says why)."""


def unsupported(system, workload, why=""):
    return UnsupportedKind(f"{system.label} has no {workload.kind} ({workload.name})"
                           + (f": {why}" if why else ""))


def result_arrays(system, workload, result):
    """The arrays the correctness check compares: {"value": ..., "out/<path>": ...};
    no "value" for the kinds whose call returns the derivative alone."""
    import numpy as np

    from ..trees import named_leaves
    if workload.returns_value:
        value, tree = system.to_numpy(result)
        arrays = {"value": np.asarray(value)}
    else:
        tree, arrays = system.tree_to_numpy(result), {}
    arrays.update({"out/" + path: np.asarray(leaf) for path, leaf in named_leaves(tree)})
    return arrays


def sgd_update(tree_map, params, grads, learning_rate):
    """The train-step update every system applies the same way."""
    return tree_map(lambda p, g: p - learning_rate * g, params, grads)


def per_example_loop(grad, in_axes, args, stack):
    """A Python loop of `grad` over the examples (axis 0 of the arguments whose in_axes
    entry is 0; None: shared), the results stacked leaf by leaf with `stack`: what
    vmap(grad, in_axes) computes, for a system without vmap."""
    from ..trees import leaves, tree_map
    if any(axis not in (None, 0) for axis in in_axes):
        raise ValueError(f"a loop over examples takes in_axes of None or 0, not {in_axes}")
    batched = [i for i, axis in enumerate(in_axes) if axis == 0]
    count = len(leaves(args[batched[0]])[0])
    results = []
    for n in range(count):
        example = [tree_map(lambda leaf: leaf[n], a) if i in batched else a
                   for i, a in enumerate(args)]
        results.append(grad(*example))
    return tree_map(lambda *per_example: stack(per_example), *results)
