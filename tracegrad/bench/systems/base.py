"""What a system is: something that turns a workload into a callable to time."""
from __future__ import annotations

import importlib.metadata
import importlib.util


class System:
    """One contestant. `prepare` does everything a user does once (convert inputs, wrap
    the function in jit/compile); the returned `call()` is what is timed — its first
    call included — and must return only when the result is computed. `to_numpy` turns
    that result into (value, tree of NumPy arrays) for the correctness check."""

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

    def to_numpy(self, result):
        value, tree = result
        from ..trees import tree_map
        import numpy as np
        return np.asarray(value), tree_map(np.asarray, tree)


def sgd_update(tree_map, params, grads, learning_rate):
    """The train-step update every system applies the same way."""
    return tree_map(lambda p, g: p - learning_rate * g, params, grads)
