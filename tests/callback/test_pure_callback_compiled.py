"""pure_callback in compiled programs: the same values as eagerly, an opaque kernel that
splits fusion, callbacks inside compiled loops and branches, exceptions raised to the
caller (also from inside loops, which then stop), and programs that stay usable."""
import json

import numpy as np
import pytest

import tracegrad as tg
from tests.runtime.support import run_python

S = tg.ShapeDtypeStruct


def stats(x):
    return {"mean": np.mean(x, axis=0), "extent": (np.min(x), np.max(x))}


def summarize(x):
    types = {"mean": S(x.shape[1:], x.dtype), "extent": (S((), x.dtype), S((), x.dtype))}
    out = tg.pure_callback(stats, types, np.tanh(x))
    return out["mean"] * 2.0, out["extent"][1] - out["extent"][0]


def test_pytree_results_equal_eager():
    x = np.random.default_rng(0).standard_normal((5, 3))
    compiled, eager = tg.compile(summarize)(x), summarize(x)
    for c, e in zip(compiled, eager):
        np.testing.assert_allclose(c, e, rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64, np.bool_,
                                   np.uint8])
def test_dtypes_equal_eager(dtype):
    x = (np.arange(12) % 5).astype(dtype).reshape(4, 3)

    def f(x):
        flipped = tg.pure_callback(lambda v: np.ascontiguousarray(v[::-1]),
                                   S(x.shape, x.dtype), x)
        return flipped, tg.pure_callback(lambda v: v.sum(axis=1).astype(np.int64),
                                         S((4,), np.int64), flipped)
    compiled, eager = tg.compile(f)(x), f(x)
    for c, e in zip(compiled, eager):
        assert c.dtype == e.dtype
        np.testing.assert_array_equal(c, e)


def test_literal_operands_and_keyword_arguments():
    f = lambda x: tg.pure_callback(lambda x, k, *, shift: x * k + shift,
                                   S((3,), np.float64), x, 3.0, shift=np.float64(0.5))
    np.testing.assert_array_equal(tg.compile(f)(np.arange(3.0)), [0.5, 3.5, 6.5])


def test_callback_is_its_own_kernel_between_fused_loops():
    def f(x):
        y = tg.pure_callback(np.sort, S(x.shape, x.dtype), np.exp(x) + 1.0)
        return np.tanh(y) * 2.0
    x = np.array([0.3, -1.0, 2.0])
    compiled = tg.compile(f)
    np.testing.assert_allclose(compiled(x), np.tanh(np.sort(np.exp(x) + 1.0)) * 2.0)
    kinds = [(k.kind, k.primitives) for k in compiled.lower(x).kernels]
    assert kinds == [("elementwise", ("exp", "add")), ("callback", ("pure_callback",)),
                     ("elementwise", ("tanh", "mul"))]
    assert "call i32 @tracegrad_callback" in compiled.source(x)


def test_callbacks_inside_compiled_loops_and_branches():
    halve = lambda v: v / 2.0                               # noqa: E731

    def f(x, n):
        def body(i, c):
            return c + tg.pure_callback(halve, S(c.shape, c.dtype), c)
        looped = tg.fori_loop(0, 5, body, x)
        total, ys = tg.scan(lambda c, r: (c + tg.pure_callback(np.sum, S((), r.dtype), r),
                                          tg.pure_callback(np.cumsum, S(r.shape, r.dtype), r)),
                            0.0, x.reshape(2, 2))
        halved = tg.while_loop(lambda c: c[0] > 1.0,
                               lambda c: tg.pure_callback(halve, S(c.shape, c.dtype), c), x)
        picked = tg.cond(n > 0, lambda c: tg.pure_callback(np.flip, S(c.shape, c.dtype), c),
                         lambda c: c, x)
        return looped, total, ys, halved, picked
    x = np.array([9.0, 1.0, 2.0, 3.0])
    compiled, eager = tg.compile(f)(x, 1), f(x, 1)
    for c, e in zip(compiled, eager):
        np.testing.assert_allclose(c, e, rtol=1e-15)
    np.testing.assert_allclose(compiled[0], x * 1.5 ** 5)


class Refused(Exception):
    pass


def refuse_above(limit):
    def callback(x):
        if np.any(x > limit):
            raise Refused(f"value above {limit}")
        return x + 1.0
    return callback


def test_an_exception_in_the_callback_reaches_the_caller_and_the_program_stays_usable():
    callback = refuse_above(10.0)
    compiled = tg.compile(lambda x: tg.pure_callback(callback, S(x.shape, x.dtype), x) * 2.0)
    with pytest.raises(Refused, match="value above 10") as info:
        compiled(np.array([1.0, 11.0]))
    assert any("pure_callback refuse_above.<locals>.callback" in note
               for note in info.value.__notes__)
    np.testing.assert_array_equal(compiled(np.array([1.0, 2.0])), [4.0, 6.0])
    with pytest.raises(Refused):
        compiled(np.array([12.0, 0.0]))


@pytest.mark.parametrize("loop", ["while", "fori", "scan"])
def test_a_failing_callback_inside_a_loop_stops_it_and_raises(loop):
    calls = []

    def step(i):
        calls.append(int(i))
        if i >= 3:
            raise Refused("stop at 3")
        return i + 1

    def f(n):
        one = lambda i: tg.pure_callback(step, S((), np.int64), i)    # noqa: E731
        if loop == "while":     # after the failure the callback's zeros would loop forever
            return tg.while_loop(lambda i: i < n, one, np.int64(0))
        if loop == "fori":
            return tg.fori_loop(0, n, lambda _, i: one(i), np.int64(0))
        return tg.scan(lambda i, _: (one(i), i), n * 0, None, length=1000)[0]
    compiled = tg.compile(f)
    with pytest.raises(Refused, match="stop at 3"):
        compiled(np.int64(1000))
    assert calls == [0, 1, 2, 3]            # no callback runs after the failed one
    if loop != "scan":
        calls.clear()
        assert compiled(np.int64(2)) == 2 and calls == [0, 1]


def test_errors_of_declared_types_are_raised_from_compiled_code():
    compiled = tg.compile(lambda x: tg.pure_callback(lambda v: v[:2], S((3,), np.float64), x))
    with pytest.raises(tg.ShapeError, match=r"returned shape \(2,\) for its result"):
        compiled(np.ones(3))


def test_differentiating_a_callback_under_compile_raises_the_same_error():
    f = tg.grad(lambda x: np.sum(tg.pure_callback(np.sin, S(x.shape, x.dtype), x)))
    with pytest.raises(tg.MissingRuleError, match="custom_vjp"):
        tg.compile(f)(np.ones(3))


PROGRAM = """
import json, sys
import numpy as np
import tracegrad as tg
S = tg.ShapeDtypeStruct
if {shift}:     # another callback first: this process numbers the callbacks differently
    tg.compile(lambda x: tg.pure_callback(np.negative, S(x.shape, x.dtype), x))(np.ones(2))
f = tg.compile(lambda x: tg.pure_callback(np.cos, S(x.shape, x.dtype), x) + 1.0)
out = f(np.arange(3.0))
print(json.dumps({{"correct": bool(np.allclose(out, np.cos(np.arange(3.0)) + 1.0)),
                  "disk_hits": f.cache_info().disk_hits}}))
"""


def test_a_second_process_loads_the_program_from_disk_and_calls_its_own_callback():
    runs = [json.loads(run_python(PROGRAM.format(shift=shift)).stdout.splitlines()[-1])
            for shift in (False, False, True)]
    assert all(r["correct"] for r in runs)
    assert runs[1]["disk_hits"] == 1


def test_threads_get_their_own_errors():
    import threading
    callback = refuse_above(0.5)
    compiled = tg.compile(lambda x: tg.fori_loop(
        0, 20, lambda i, c: c + tg.pure_callback(callback, S(x.shape, x.dtype), x), x * 0.0))
    compiled(np.zeros(2))
    outcomes = {}

    def worker(k):
        x = np.full(2, 1.0 if k % 2 else 0.25)       # odd threads fail in every call
        got = []
        for _ in range(30):
            try:
                got.append(float(compiled(x)[0]))
            except Refused:
                got.append("refused")
        outcomes[k] = got
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes[0] == outcomes[2] == [25.0] * 30      # 20 * (0.25 + 1)
    assert outcomes[1] == outcomes[3] == ["refused"] * 30
