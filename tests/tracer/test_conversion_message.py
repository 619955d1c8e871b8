"""Converting a traced array to a NumPy array (np.asarray, or a NumPy/SciPy function that
calls it on its argument) raises an error that names the user's line — not the library
line that converted — and what works instead: tracegrad's counterpart of the function
where there is one, else computing the value outside and passing it in."""
import inspect
import os

import numpy as np
import pytest
import scipy.linalg
import scipy.special

import tracegrad as tg

HERE = os.path.basename(__file__)
OUTSIDE = "compute the value outside the compiled or differentiated function and pass it in"


def line_of(fn, text):
    lines, first = inspect.getsourcelines(fn)
    return first + next(i for i, line in enumerate(lines) if text in line)


def message_of(fn, *args, transform=tg.make_ir):
    with pytest.raises(tg.ConcretizationError) as info:
        transform(fn)(*args)
    message = str(info.value)
    assert "stop_gradient" not in message          # it returns a tracer too: no help
    assert "site-packages" not in message and "scipy/" not in message
    return message


def test_a_scipy_function_with_a_counterpart_names_it():
    def f(x):
        return scipy.special.logsumexp(x)
    message = message_of(f, np.ones(3))
    assert f"{HERE}:{line_of(f, 'logsumexp(x)')}" in message
    assert "scipy.special.logsumexp converts its arguments to NumPy arrays" in message
    assert "use tracegrad.scipy.special.logsumexp, which traces" in message
    assert OUTSIDE in message


def test_a_scipy_linalg_function_with_a_counterpart_names_it():
    def f(a):
        return scipy.linalg.expm(a).sum()
    message = message_of(f, np.eye(2))
    assert "use tracegrad.scipy.linalg.expm, which traces" in message
    rewritten = tg.compile(lambda a: tg.scipy.linalg.expm(a).sum())
    np.testing.assert_allclose(rewritten(np.eye(2)), scipy.linalg.expm(np.eye(2)).sum())


@pytest.mark.parametrize("transform", [tg.make_ir, tg.grad], ids=["abstract", "eager"])
def test_a_scipy_function_without_one_says_so(transform):
    def f(a):
        return scipy.linalg.sqrtm(a).sum()
    message = message_of(f, np.eye(2), transform=transform)
    assert f"{HERE}:{line_of(f, 'sqrtm(a)')}" in message
    assert "tracegrad has no traceable scipy.linalg.sqrtm" in message
    assert OUTSIDE in message


def test_a_scipy_stats_method_names_its_distribution_and_the_counterpart():
    import scipy.stats

    def f(x):
        return scipy.stats.norm.logpdf(x).sum()
    message = message_of(f, np.ones(3))
    assert "scipy.stats.norm.logpdf converts its arguments" in message
    assert "use tracegrad.scipy.stats.norm.logpdf, which traces" in message
    assert f"{HERE}:{line_of(f, 'logpdf(x)')}" in message


def test_a_frozen_or_multivariate_distribution_is_named_too():
    import scipy.stats
    frozen = message_of(lambda x: scipy.stats.norm(0.0, 2.0).logpdf(x).sum(), np.ones(3))
    assert "use tracegrad.scipy.stats.norm.logpdf, which traces" in frozen
    mvn = message_of(lambda x: scipy.stats.multivariate_normal.logpdf(x).sum(),
                     np.ones(3))
    assert "use tracegrad.scipy.stats.multivariate_normal.logpdf" in mvn


def test_a_scipy_stats_method_without_a_counterpart_is_named_as_missing():
    import scipy.stats
    message = message_of(lambda x: scipy.stats.t.ppf(x, 3.0).sum(), np.ones(3) / 2)
    assert "tracegrad has no traceable scipy.stats.t.ppf" in message


def test_a_method_of_another_scipy_object_is_named_by_its_class():
    import scipy.interpolate

    def f(y):
        return scipy.interpolate.CubicSpline(np.arange(3.0), y)(0.5)
    message = message_of(f, np.ones(3))
    assert "in scipy.interpolate converts its arguments" in message


def test_np_asarray_points_to_the_traced_asarray():
    def f(x):
        return np.asarray(x).sum()
    message = message_of(f, np.ones(3))
    assert f"{HERE}:{line_of(f, 'np.asarray(x)')}" in message
    assert "tracegrad.numpy.asarray keeps it traced" in message
    assert "where a concrete NumPy value is needed, " + OUTSIDE in message


def test_a_numpy_array_indexed_by_a_traced_integer():
    table = np.arange(10.0) ** 2

    def f(i):
        return table[i]
    message = message_of(f, 3)
    assert "Indexing `table`, a NumPy array, with a traced index" in message
    assert "pass `table` in as an argument" in message
    for rewrite in ("tracegrad.numpy.take(table, i, axis=0)",
                    "tg.lax.dynamic_index_in_dim(table, i, keepdims=False)"):
        assert rewrite in message
        assert tg.compile(lambda i: eval(rewrite, {"tg": tg, "tracegrad": tg,
                                                   "table": table, "i": i}))(3) == 9.0
