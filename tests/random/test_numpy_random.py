"""tracegrad.numpy.random: NumPy's numbers for NumPy's seeds, eagerly; inside traced
functions a clear error naming the user's line and the key-based rewrite."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp

CALLS = [
    ("rand", (2, 3), {}), ("randn", (4,), {}), ("random", (), {"size": 5}),
    ("standard_normal", ((2, 2),), {}), ("normal", (1.0, 2.0, 3), {}),
    ("uniform", (), {"low": -1, "high": 4, "size": (2, 2)}), ("randint", (10,), {"size": 6}),
    ("choice", (5, 3), {"replace": False}), ("choice", (np.arange(4.0), 6), {"p": [0.1, 0.2, 0.3, 0.4]}),
    ("permutation", (7,), {}),
]


@pytest.mark.parametrize("name, args, kwargs", CALLS, ids=[c[0] for c in CALLS])
def test_global_stream_draws_numpys_numbers(name, args, kwargs):
    tnp.random.seed(123)
    ours = getattr(tnp.random, name)(*args, **kwargs)
    np.random.seed(123)
    assert np.array_equal(ours, getattr(np.random, name)(*args, **kwargs))


def test_shuffle_shuffles_in_place_as_numpy():
    ours, theirs = np.arange(10), np.arange(10)
    tnp.random.seed(4)
    tnp.random.shuffle(ours)
    np.random.seed(4)
    np.random.shuffle(theirs)
    assert np.array_equal(ours, theirs)


GENERATOR_CALLS = [
    ("normal", (0.5, 2.0, (3,))), ("standard_normal", (4,)), ("uniform", (-1.0, 1.0, 5)),
    ("random", (3,)), ("integers", (0, 100, 6)), ("choice", (np.arange(5.0), 3)),
    ("permutation", (6,)),
]


@pytest.mark.parametrize("name, args", GENERATOR_CALLS, ids=[c[0] for c in GENERATOR_CALLS])
def test_generator_draws_numpys_numbers(name, args):
    ours = getattr(tnp.random.default_rng(7), name)(*args)
    assert np.array_equal(ours, getattr(np.random.default_rng(7), name)(*args))


def test_a_generator_keeps_its_state_between_draws():
    ours, theirs = tnp.random.default_rng(3), np.random.default_rng(3)
    for _ in range(3):
        assert np.array_equal(ours.normal(size=2), theirs.normal(size=2))
    assert ours.numpy.bit_generator.state == theirs.bit_generator.state


def _line_of(fn, text):
    """'file:line' of the line of fn's source that contains text."""
    import inspect
    lines, start = inspect.getsourcelines(fn)
    offset = next(i for i, line in enumerate(lines) if text in line)
    return f"{inspect.getsourcefile(fn)}:{start + offset}"


def noisy(x):
    return x + tnp.random.normal(0.0, 0.5, size=3)


def test_under_compile_the_error_names_the_line_and_the_rewrite():
    with pytest.raises(tg.UnsupportedError) as info:
        tg.compile(noisy)(np.ones(3))
    message = str(info.value)
    assert _line_of(noisy, "tnp.random.normal") in message
    assert "draws its numbers once, while the function is traced" in message
    assert "0.5 * tg.random.normal(key, (3,))" in message
    assert "tg.random.split(key)" in message


@pytest.mark.parametrize("call, rewrite", [
    (lambda: tnp.random.randn(2, 3), "tg.random.normal(key, (2, 3))"),
    (lambda: tnp.random.rand(4), "tg.random.uniform(key, (4,))"),
    (lambda: tnp.random.uniform(-1.0, 2.0, size=5),
     "tg.random.uniform(key, (5,), minval=-1.0, maxval=2.0)"),
    (lambda: tnp.random.randint(3, 9, size=(2,)), "tg.random.randint(key, (2,), 3, 9)"),
    (lambda: tnp.random.choice(4, 2, replace=False), "tg.random.permutation(key, 4)[:2]"),
    (lambda: tnp.random.permutation(10), "tg.random.permutation(key, x)"),
    (lambda: tnp.random.seed(0), "key = tg.random.key(0)"),
    (lambda: tnp.random.default_rng(0).integers(0, 5, 3), "tg.random.randint(key, (3,), 0, 5)"),
])
def test_every_draw_is_refused_while_tracing_with_its_rewrite(call, rewrite):
    with pytest.raises(tg.UnsupportedError, match="while the function is traced") as info:
        tg.make_ir(lambda x: x + call())(np.float64(1.0))
    assert rewrite in str(info.value)


def test_a_draw_in_a_compiled_loop_body_is_refused():
    def body(i, total):
        return total + tnp.random.normal()
    with pytest.raises(tg.UnsupportedError, match="while the function is traced"):
        tg.compile(lambda x: tg.fori_loop(0, 3, body, x))(1.0)


def test_traced_arguments_are_refused_eagerly_too():
    with pytest.raises(tg.UnsupportedError, match="got a traced argument") as info:
        tg.grad(lambda mu: tnp.random.normal(mu, 1.0))(0.5)
    assert "loc + tg.random.normal(key, ())" in str(info.value)


def test_eager_transformations_draw_afresh_on_concrete_arguments():
    # Eager grad records each call anew, so a draw of concrete numbers is fresh per call.
    f = tg.grad(lambda x: x * tnp.random.normal())
    tnp.random.seed(0)
    first, second = f(1.0), f(1.0)
    np.random.seed(0)
    assert [first, second] == [np.random.normal(), np.random.normal()]
