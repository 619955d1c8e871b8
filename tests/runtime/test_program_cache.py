"""The programs a compiled function keeps in memory: at most config.max_signatures, the
least recently used evicted first; and what a (re)trace captures from closures."""
import types
import warnings

import numpy as np
import pytest

import tracegrad as tg
from tracegrad.config import config
from tracegrad.runtime import TracegradWarning

from .support import interpreted_only


@pytest.fixture
def keep_four(monkeypatch):
    monkeypatch.setattr(config, "max_signatures", 4)


def test_a_function_keeps_at_most_max_signatures_programs(keep_four):
    # Interpreted entries: the cache logic without a native compile per shape.
    double = interpreted_only(lambda x: x * 2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TracegradWarning)
        for n in range(1, 41):
            np.testing.assert_array_equal(double(np.ones(n)), 2.0)
    info = double.cache_info()
    assert (info.signatures, info.misses, info.evicted) == (4, 40, 36)
    # Nothing else grows per signature either.
    assert sum(len(plan.executables) for plan in double._plans.values()) <= 4
    assert len(double._signature_locks) <= 4


def test_the_signature_in_use_is_not_evicted(keep_four):
    double = interpreted_only(lambda x: x * 2.0)
    hot = np.ones(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TracegradWarning)
        for n in range(10, 30):
            double(np.ones(n))
            double(hot)
    assert double.cache_info().misses == 21             # hot traced once, 20 others
    # An evicted signature is traced again and still right.
    np.testing.assert_array_equal(double(np.ones(10)), 2.0)
    assert double.cache_info().misses == 22


def test_a_native_program_replacing_an_evicted_tiered_entry_is_not_kept(keep_four):
    double = interpreted_only(lambda x: x * 2.0)
    double(np.ones(1))
    (signature, entry), = double._by_signature.items()
    for n in range(2, 7):
        double(np.ones(n))
    assert signature not in double._by_signature
    late_native = types.SimpleNamespace(origin="compiled")
    double._swap_in(entry, late_native)                 # its native compile finishing late
    assert signature not in double._by_signature and len(double._by_signature) == 4


def test_recompilation_warning_says_what_is_kept_and_what_a_trace_captures():
    f = interpreted_only(lambda x: x + 1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for n in range(1, 11):
            f(np.zeros(n))
    (message,) = [str(w.message) for w in caught if w.category is TracegradWarning]
    assert f"keeps the {config.max_signatures} most recently used" in message
    assert "TRACEGRAD_MAX_SIGNATURES" in message
    assert "closes over as they are at that moment" in message


def test_compiled_code_keeps_the_globals_it_was_traced_with(keep_four):
    scale = {"value": 2.0}
    f = tg.compile(lambda x: x * scale["value"])
    x = np.ones(2)
    np.testing.assert_array_equal(f(x), 2.0)
    scale["value"] = 3.0
    np.testing.assert_array_equal(f(x), 2.0)            # the traced program, unchanged
    np.testing.assert_array_equal(f(np.ones(3)), 3.0)   # a new trace reads it again


def test_a_closed_over_array_changed_in_place_reads_as_traced_in_every_tier():
    weights = np.ones(3)
    interpreted = interpreted_only(lambda x: x * weights)
    native = tg.compile(lambda x: x * weights, tiered=False)
    x = np.ones(3)
    np.testing.assert_array_equal(interpreted(x), 1.0)
    np.testing.assert_array_equal(native(x), 1.0)
    weights[:] = 5.0
    np.testing.assert_array_equal(interpreted(x), 1.0)
    np.testing.assert_array_equal(native(x), 1.0)
