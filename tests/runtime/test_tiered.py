"""Tiered execution: first calls answered by the interpreter while native code compiles in
the background, then native code; the same results either way; errors, threads, fork and
exit while a compile is in flight."""
import os
import threading
import warnings

import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.runtime.notices import TracegradWarning
from tracegrad.runtime.tiered import TieredProgram

from .support import interpreted_only, run_python


def loss(w, x, y):
    return tnp.mean(tnp.logaddexp(0.0, -y * tnp.tanh(x @ w)))


def data(seed, rows):
    """Each test its own shapes: a program loaded by an earlier test would not tier."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, 6))
    return rng.standard_normal(6), x, np.sign(rng.standard_normal(rows))


def test_interpreted_calls_return_fresh_arrays_of_the_output_types():
    f = interpreted_only(lambda x, s: (x, x.astype(np.float32), x.T, s * 2, x))
    x = np.arange(6.0).reshape(2, 3)
    outs = f(x, 3)
    assert f.cache_info().interpreted == 1
    native = tg.compile(lambda x, s: (x, x.astype(np.float32), x.T, s * 2, x),
                        tiered=False)(x, 3)
    for got, want in zip(outs, native):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
        assert got.flags.c_contiguous and got.flags.writeable and got.base is None
        assert not np.shares_memory(got, x)
    assert outs[0] is not outs[4]


def test_the_switch_to_native_code_happens():
    step = tg.compile(tg.value_and_grad(loss), tiered=True)
    args = data(0, 40)
    first = step(*args)
    info = step.cache_info()
    assert info.misses == 1 and info.interpreted + info.native == 1
    step.wait()
    assert not any(isinstance(e, TieredProgram) for e in step._by_signature.values())
    second = step(*args)
    assert step.cache_info().native >= 1
    np.testing.assert_allclose(first[0], second[0], rtol=1e-12)
    np.testing.assert_allclose(first[1], second[1], rtol=1e-12)


def test_eight_threads_call_while_native_code_compiles():
    step = tg.compile(tg.value_and_grad(loss), tiered=True)
    args = data(1, 41)
    want = tg.value_and_grad(loss)(*args)
    results, errors = [], []
    start = threading.Barrier(8)

    def worker():
        try:
            start.wait()
            for _ in range(30):
                results.append(step(*args))
        except Exception as error:          # pragma: no cover - reported below
            errors.append(error)
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 240
    for value, grad in results:
        np.testing.assert_allclose(value, want[0], rtol=1e-12)
        np.testing.assert_allclose(grad, want[1], rtol=1e-12, atol=1e-15)
    step.wait()
    info = step.cache_info()
    assert info.signatures == 1 and info.interpreted + info.native == 240


def test_a_failed_native_compile_warns_and_calls_keep_working():
    step = tg.compile(tg.value_and_grad(loss), tiered=True)

    def broken(program):
        raise RuntimeError("no machine code today")
    step._load = broken
    args = data(2, 42)
    want = tg.value_and_grad(loss)(*args)
    step(*args)
    with pytest.raises(RuntimeError, match="no machine code today"):
        step.wait()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value, grad = step(*args)
        step(*args)
    messages = [str(w.message) for w in caught if issubclass(w.category, TracegradWarning)]
    assert len(messages) == 1 and "no machine code today" in messages[0]
    np.testing.assert_allclose(value, want[0], rtol=1e-12)
    np.testing.assert_allclose(grad, want[1], rtol=1e-12)


def test_tiered_false_and_the_environment_switch():
    assert tg.compile(loss, tiered=False).tiered is False
    result = run_python("""
        import tracegrad as tg
        print(tg.compile(lambda x: x).tiered)
    """, env={"TRACEGRAD_TIERED": "0"})
    assert result.stdout.strip() == "False"


EXIT_PROGRAM = """
import numpy as np, tracegrad as tg, tracegrad.numpy as tnp
def f(x):
    for _ in range({steps}):
        x = tnp.tanh(x @ x.T @ x * 0.01 + 0.5)
    return tnp.sum(x)
g = tg.compile(tg.grad(f), tiered=True)
print(float(np.sum(g(np.linspace(0.0, 1.0, 48).reshape(6, 8)))))
"""


@pytest.mark.slow
def test_exit_with_a_compile_in_flight_does_not_hang_or_break_the_cache(tmp_path):
    code = EXIT_PROGRAM.format(steps=40)
    first = run_python(code, env={"TRACEGRAD_TIERED": "1"}, timeout=60)
    second = run_python(code, env={"TRACEGRAD_TIERED": "0"}, timeout=120)
    assert float(first.stdout) == pytest.approx(float(second.stdout), rel=1e-12)
    assert "deleted unreadable" not in second.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_of_a_process_with_a_compile_in_flight_works():
    result = run_python("""
        import os, numpy as np, tracegrad as tg, tracegrad.numpy as tnp
        def f(x):
            for _ in range(30):
                x = tnp.sin(x @ x.T @ x * 0.01)
            return tnp.sum(x)
        g = tg.compile(tg.grad(f), tiered=True)
        x = np.linspace(0.0, 1.0, 48).reshape(6, 8)
        want = g(x)                     # interpreted; the compile is now in flight
        pid = os.fork()
        if pid == 0:
            ok = np.allclose(g(x), want, rtol=1e-12)
            g.wait()
            ok = ok and np.allclose(g(x), want, rtol=1e-12) and g.cache_info().native >= 1
            os._exit(0 if ok else 3)
        _, status = os.waitpid(pid, 0)
        g.wait()
        print(os.waitstatus_to_exitcode(status), np.allclose(g(x), want, rtol=1e-12))
    """, env={"TRACEGRAD_TIERED": "1"}, timeout=120)
    assert result.stdout.split() == ["0", "True"]
