"""tracegrad.compile end to end: compiled == NumPy, pytrees, static arguments, NEP 50
scalars, the in-memory cache, recompilation warnings, inspection."""
import collections
import warnings

import numpy as np
import pytest

import tracegrad as tg
from tracegrad.errors import ArgumentError
from tracegrad.runtime import TracegradWarning


def mlp(w, x):
    return np.mean(np.sin(np.tanh(x @ w)) * np.exp(-x.sum(axis=1, keepdims=True)))


def softplus_sum(a, b):
    return np.sum(np.logaddexp(0.0, a - b), axis=0)


def broadcasted(a, b, c):
    return np.maximum(a * b, 0.0) + c


@pytest.mark.parametrize("fn, shapes", [
    (mlp, [(4, 3), (5, 4)]),
    (softplus_sum, [(6, 2), (2,)]),
    (broadcasted, [(3, 1), (1, 4), ()]),
])
def test_compiled_matches_numpy(fn, shapes, rng):
    args = [rng.standard_normal(s) for s in shapes]
    np.testing.assert_allclose(tg.compile(fn)(*args), fn(*args), rtol=1e-12)


def test_results_are_arrays_and_inputs_are_not_modified(rng):
    x = rng.standard_normal(5)
    before = x.copy()
    out = tg.compile(lambda x: np.sum(x * x))(x)
    assert isinstance(out, np.ndarray) and out.shape == ()
    np.testing.assert_array_equal(x, before)


Params = collections.namedtuple("Params", "w b")


def test_pytrees_in_and_out(rng):
    def f(params, batch):
        h = batch["x"] @ params.w + params.b
        return {"h": h, "stats": (h.sum(), [h.max()])}

    params = Params(rng.standard_normal((3, 2)), rng.standard_normal(2))
    batch = {"x": rng.standard_normal((4, 3))}
    got, want = tg.compile(f)(params, batch), f(params, batch)
    assert set(got) == {"h", "stats"} and isinstance(got["stats"][1], list)
    np.testing.assert_allclose(got["h"], want["h"])
    np.testing.assert_allclose(got["stats"][0], want["stats"][0])
    np.testing.assert_allclose(got["stats"][1][0], want["stats"][1][0])


def test_decorator_forms_and_static_arguments(rng):
    @tg.compile(static_argnums=1)
    def power(x, n):
        for _ in range(n - 1):          # Python control flow on a static value
            x = x * x
        return x

    @tg.compile(static_argnames="axis")
    def total(x, axis):
        return np.sum(x, axis=axis)

    x = rng.standard_normal(3)
    np.testing.assert_allclose(power(x, 2), x * x)
    np.testing.assert_allclose(power(x, 3), x ** 4)
    np.testing.assert_allclose(power(x, 2), x * x)
    assert power.cache_info().signatures == 2 and power.cache_info().hits == 1
    m = rng.standard_normal((2, 3))
    np.testing.assert_allclose(total(m, axis=0), m.sum(0))
    np.testing.assert_allclose(total(m, axis=1), m.sum(1))
    with pytest.raises(ArgumentError, match="hashable"):
        total(m, axis=[0])


def test_python_scalars_are_weakly_typed(rng):
    f = tg.compile(lambda x, s: x * s + 1.0)
    x32 = rng.standard_normal(4).astype(np.float32)
    assert f(x32, 0.5).dtype == np.float32                  # NEP 50, like NumPy 2
    assert f(x32, 0.5).dtype == (x32 * 0.5 + 1.0).dtype
    np.testing.assert_allclose(f(x32, 2.5), x32 * np.float32(2.5) + 1, rtol=1e-6)
    # A new scalar value reuses the program; a NumPy scalar is strongly typed.
    assert f.cache_info().signatures == 1
    assert f(x32, np.float64(0.5)).dtype == np.float64
    assert f.cache_info().signatures == 2


def test_in_memory_cache_and_argument_conversion(rng):
    f = tg.compile(lambda a, b, c: a * b - c)
    a, b, c = (rng.standard_normal((4, 5)) for _ in range(3))
    want = a * b - c
    np.testing.assert_allclose(f(a, b, c), want)
    np.testing.assert_allclose(f(a, b, c), want)
    np.testing.assert_allclose(f(np.asfortranarray(a), b[:, :], c), want)   # converted
    np.testing.assert_allclose(f(a.T.copy().T, b, c.astype(">f8")), want)
    np.testing.assert_allclose(f(a, np.broadcast_to(b[0], b.shape), c),       # read-only
                               a * b[0] - c)
    np.testing.assert_allclose(f(a=a, b=b, c=c), want)
    info = f.cache_info()
    assert (info.signatures, info.misses) == (2, 2)        # keywords: another structure
    assert info.hits == 4
    assert f(a[:2], b[:2], c[:2]).shape == (2, 5)
    assert f.cache_info().signatures == 3


def test_many_signatures_warn_once_naming_what_changed():
    f = tg.compile(lambda x, scale: x * scale, static_argnames="scale")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for n in range(1, 10):
            f(np.zeros(n), scale=2)
        f(np.zeros(9), scale=3)
        f(np.zeros(11), scale=3)
    messages = [str(w.message) for w in caught if issubclass(w.category, TracegradWarning)]
    assert len(messages) == 1
    assert "9 different argument signatures" in messages[0]
    assert "x: f64[8] -> f64[9]" in messages[0]


def test_lower_shows_ir_source_kernels_and_compiles(rng):
    def f(x, y):
        return np.tanh(x) * y

    compiled = tg.compile(f)
    x, y = rng.standard_normal(3), rng.standard_normal(3)
    lowering = compiled.lower(x, y)
    assert "tanh" in str(lowering.ir)
    assert "@numba.njit" in lowering.source and lowering.source == compiled.source(x, y)
    assert lowering.kernels and "tanh" in str(lowering.kernels[0])
    assert compiled.cache_info().signatures == 0            # lowering does not compile
    executable = lowering.compile()
    np.testing.assert_allclose(executable(x, y), f(x, y))
    with pytest.raises(ArgumentError):
        executable(np.zeros(4), np.zeros(4))
    np.testing.assert_allclose(compiled(x, y), f(x, y))
    assert compiled.cache_info().signatures == 1


def test_closure_constants_are_passed_not_baked_in(rng):
    table = rng.standard_normal(3)
    f = tg.compile(lambda x: x + table)
    np.testing.assert_allclose(f(np.ones(3)), 1 + table)
    assert repr(float(table[0]))[:8] not in f.source(np.ones(3))


def test_bad_arguments_raise_argument_error():
    f = tg.compile(lambda x: x)
    with pytest.raises(ArgumentError, match="static"):
        f("text")


def test_value_and_grad_compiles_to_one_program(rng):
    def loss(params, x, y):
        h = np.tanh(x @ params["W1"] + params["b1"])
        logits = h @ params["W2"]
        return np.mean(np.logaddexp(0.0, -y * logits[:, 0]))

    params = {"W1": rng.standard_normal((4, 8)), "b1": rng.standard_normal(8),
              "W2": rng.standard_normal((8, 1))}
    x, y = rng.standard_normal((16, 4)), np.sign(rng.standard_normal(16))
    step = tg.compile(tg.value_and_grad(loss))
    value, grads = step(params, x, y)
    want_value, want_grads = tg.value_and_grad(loss)(params, x, y)
    np.testing.assert_allclose(value, want_value, rtol=1e-12)
    for k in params:
        np.testing.assert_allclose(grads[k], want_grads[k], rtol=1e-10, atol=1e-14)


def test_compiled_function_inside_grad_traces_through(rng):
    f = tg.compile(lambda x: np.sum(np.sin(x)))
    x = rng.standard_normal(4)
    np.testing.assert_allclose(tg.grad(f)(x), np.cos(x), rtol=1e-12)
