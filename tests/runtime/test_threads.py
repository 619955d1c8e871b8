"""Several Python threads calling one compiled function: each signature compiles once and
every result is correct."""
import threading
import warnings

import numpy as np

import tracegrad as tg


def test_eight_threads_two_hundred_calls_three_signatures():
    f = tg.compile(lambda x, y: np.sum(np.tanh(x) * y, axis=-1))
    inputs = [(np.linspace(0, 1, 6).reshape(2, 3), np.full((2, 3), 2.0)),
              (np.linspace(0, 1, 20).reshape(4, 5), np.full((4, 5), 0.5)),
              (np.linspace(0, 1, 8).astype(np.float32), np.ones(8, np.float32))]
    expected = [np.sum(np.tanh(x) * y, axis=-1) for x, y in inputs]
    start = threading.Barrier(8)
    failures = []

    def worker(seed):
        start.wait()                    # all threads meet the uncompiled signatures at once
        try:
            for i in range(200):
                k = (i + seed) % 3
                got = f(*inputs[k])
                if got.dtype != expected[k].dtype or not np.allclose(got, expected[k],
                                                                      rtol=1e-6):
                    failures.append((seed, i, k, got))
        except Exception as error:      # reported below with the thread that saw it
            failures.append((seed, error))

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:3]
    info = f.cache_info()
    assert (info.signatures, info.misses) == (3, 3)


def test_parallel_program_runs_on_a_thread_safe_layer_or_warns():
    import numba

    from tracegrad.runtime import load_module, notices
    from tracegrad.runtime.threads import choose_threading_layer

    from .support import parallel_program

    lowered = parallel_program()
    notices.forget_warnings()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = load_module(lowered.key, lowered.source, lowered.entry)
    layer, safe = choose_threading_layer()
    (out,) = loaded.entry(np.arange(1000.0))
    np.testing.assert_array_equal(out, 2 * np.arange(1000.0))
    assert numba.threading_layer() == layer
    said = [str(w.message) for w in caught if "threading layer" in str(w.message)]
    assert len(said) == (0 if safe else 1), said
