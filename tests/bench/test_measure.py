"""Timing and memory helpers: sample counts and shapes of the figures (never speed)."""
import numpy as np

from tracegrad.bench.measure import steady_state, summarize
from tracegrad.bench.memory import peak_call_memory


def test_steady_state_stops_at_max_runs():
    samples, per_sample = steady_state(lambda: np.sin(np.ones(1000)), budget_s=10,
                                       max_runs=5)
    assert len(samples) == 5 and per_sample >= 1


def test_steady_state_keeps_min_runs_when_the_budget_is_spent():
    samples, _ = steady_state(lambda: sum(range(20000)), budget_s=0.0, max_runs=100,
                              min_runs=4)
    assert len(samples) == 4


def test_summary_fields():
    summary = summarize([3.0, 1.0, 2.0])
    assert summary == {"median_s": 2.0, "min_s": 1.0, "max_s": 3.0, "runs": 3}


def test_peak_memory_sees_a_large_allocation():
    size = 64 * 2**20
    peak, method = peak_call_memory(lambda: np.ones(size // 8).sum())
    assert method
    assert peak >= size // 2
