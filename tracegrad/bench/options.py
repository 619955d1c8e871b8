"""The settings of one bench run, and the rows (workload, size, dtype) they select."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .systems import DEFAULT_PEERS
from .workloads import DEFAULT_WORKLOADS, WORKLOADS


@dataclass
class BenchOptions:
    quick: bool = False
    workloads: list[str] = field(default_factory=lambda: list(DEFAULT_WORKLOADS))
    peers: list[str] = field(default_factory=lambda: list(DEFAULT_PEERS))
    sizes: Optional[list[int]] = None       # overrides every selected workload's sizes
    dtype: Optional[str] = None             # overrides every workload's dtype
    repeat: int = 200                       # most steady-state samples per row
    threads: Optional[int] = None           # None: each library's default
    budget_s: Optional[float] = None        # steady-state time per row
    timeout_s: Optional[float] = None       # most seconds one row may take
    seed: int = 0

    def steady_budget_s(self):
        if self.budget_s is not None:
            return self.budget_s
        return 0.2 if self.quick else 0.5

    def row_timeout_s(self):
        """A row past this is recorded as timed out (its compile is the usual reason):
        short in the quick suite, so that it stays quick whatever the compiler does."""
        if self.timeout_s is not None:
            return self.timeout_s
        return 20.0 if self.quick else 300.0

    def rows(self):
        """[{"workload", "size", "dtype"}] in run order."""
        planned = []
        for name in self.workloads:
            workload = WORKLOADS[name]
            for size in self.sizes or workload.sizes(self.quick):
                planned.append({"workload": name, "size": int(size),
                                "dtype": self.dtype or workload.dtype})
        return planned
