"""A slice with a traced bound cannot be traced (its bounds decide its shape): the error
names the user's line, rewrites the user's own expression with tg.lax.dynamic_slice,
and lists the fixes best first. So does the warning for a function that recompiles for
many static values. The rewrites in the messages are evaluated here: they run."""
import inspect
import os
import re
import warnings

import numpy as np
import pytest

import tracegrad as tg
from tracegrad.runtime import TracegradWarning

HERE = os.path.basename(__file__)
DATA = np.arange(1024.0)


def line_of(fn, text):
    lines, first = inspect.getsourcelines(fn)
    return first + next(i for i, line in enumerate(lines) if text in line)


def error_of(fn, *args):
    with pytest.raises(tg.ConcretizationError) as info:
        tg.compile(fn)(*args)
    return str(info.value)


def suggestion(message):
    """The rewrite of fix 2."""
    return re.search(r"static: (.*?)\. tg\.lax\.dynamic_slice\(x,", message).group(1)


def assert_fixes_in_order(message):
    order = [message.index(s) for s in ("Pass the batch as an argument",
                                        "tg.lax.dynamic_slice(", "static_argnums")]
    assert order == sorted(order), message


def test_the_issue_program_gets_its_rewrite():
    data = DATA

    def loss(w, it):
        return (data[(it % 4) * 256:(it % 4 + 1) * 256] * w).sum()
    message = error_of(loss, np.ones(256), 3)
    assert f"{HERE}:{line_of(loss, 'data[(it % 4)')}" in message
    assert "tg.lax.dynamic_slice(data, ((it % 4) * 256,), (256,))" in message
    assert_fixes_in_order(message)
    for it in (0, 3, 6):
        np.testing.assert_array_equal(eval(suggestion(message), {"tg": tg, "data": data,
                                                                  "it": it}),
                                      data[(it % 4) * 256:(it % 4 + 1) * 256])


def test_a_traced_array_sliced_along_its_second_axis():
    def f(x, a):
        return x[:, a:a + 3].sum()
    message = error_of(f, np.ones((4, 8)), 2)
    assert "tg.lax.dynamic_slice(x, (0, a), (4, 3))" in message
    x = np.arange(32.0).reshape(4, 8)
    np.testing.assert_array_equal(eval(suggestion(message), {"tg": tg, "x": x, "a": 2}),
                                  x[:, 2:5])


def test_integers_ellipsis_and_steps_stay_in_a_static_index():
    def f(x, a):
        return x[1, ..., a:a + 4:2].sum()
    message = error_of(f, np.ones((3, 2, 8)), 2)
    rewrite = "tg.lax.dynamic_slice_in_dim(x, a, 4, axis=-1)[1, ..., ::2]"
    assert rewrite in message
    x = np.arange(48.0).reshape(3, 2, 8)
    np.testing.assert_array_equal(eval(rewrite, {"tg": tg, "x": x, "a": 3}),
                                  x[1, ..., 3:7:2])


def test_an_expression_over_several_lines():
    def f(start):
        batch = DATA[
            start:start + 4]
        return batch.sum()
    message = error_of(f, 5)
    assert "`DATA[ start:start + 4]`" in message
    assert "tg.lax.dynamic_slice(DATA, (start,), (4,))" in message


def test_a_length_that_depends_on_the_start_is_named():
    def f(x, a):
        return x[a:].sum()
    message = error_of(f, np.ones(5), 2)
    assert "tg.lax.dynamic_slice(x, (a,), (LENGTH,))" in message
    assert "no fixed shape" in message


def test_without_source_the_error_still_names_dynamic_slice():
    namespace = {"DATA": DATA}
    exec(compile("def f(a):\n    return DATA[a:a + 2]\n", "<generated>", "exec"), namespace)
    message = error_of(namespace["f"], 1)
    assert "tg.lax.dynamic_slice(x, start_indices, slice_sizes)" in message
    assert "static_argnums" in message


def test_the_recompile_warning_lists_the_fixes_best_first():
    f = tg.compile(lambda x, it: x[it:it + 2].sum(), static_argnums=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for it in range(9):
            f(DATA, it)
    (message,) = [str(w.message) for w in caught if issubclass(w.category, TracegradWarning)]
    assert "static args[1]: 7 -> 8" in message
    order = [message.index(s) for s in ("pass the data that changes (a batch) as an "
                                        "argument", "tg.lax.dynamic_slice",
                                        "mark static (static_argnums / static_argnames) "
                                        "only values with few distinct settings")]
    assert order == sorted(order), message


def test_lengths_through_python_ints_of_the_users_frame():
    size = 16

    def f(x, i):
        return x[i * size:(i + 1) * size].sum()
    message = error_of(f, DATA, 3)
    assert "tg.lax.dynamic_slice(x, (i * size,), (16,))" in message


def test_an_update_at_a_traced_slice_names_dynamic_update_slice():
    def f(x, a, v):
        return x.at[a:a + 2].set(v)
    message = error_of(f, DATA, 3, np.ones(2))
    assert "tg.lax.dynamic_update_slice to write one" in message
