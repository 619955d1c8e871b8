"""Distributed gradients and training on a 2-process LocalCluster (1 thread each): equal
to the single-process gradient, for regular and ragged chunks, pytree params, has_aux;
training converges; errors are clear; a worker killed mid-step changes nothing."""
import os
import signal
import threading

import numpy as np
import pytest

import tracegrad as tg

from . import models

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")
tgd = pytest.importorskip("tracegrad.distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def chunked(client, arrays, rows_per_chunk):
    """Dask arrays split into row chunks, persisted on the workers."""
    out = [da.from_array(a, chunks=(rows_per_chunk,) + a.shape[1:]) for a in arrays]
    return client.persist(out)


@pytest.mark.parametrize("rows_per_chunk", [250, 333], ids=["regular", "ragged"])
@pytest.mark.parametrize("loss, reduce", [(models.logistic, "mean"),
                                          (models.logistic_sum, "sum")])
def test_gradient_equals_the_single_process_one(client, loss, reduce, rows_per_chunk):
    x, y = models.data(1000)
    w = np.linspace(-0.5, 0.5, 8)
    dx, dy = chunked(client, (x, y), rows_per_chunk)
    value, grad = tgd.value_and_grad(loss, reduce=reduce)(w, dx, dy)
    want_value, want_grad = tg.value_and_grad(loss)(w, x, y)
    assert value == pytest.approx(want_value, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-12, atol=1e-13)


def test_pytree_params_and_aux(client):
    x, y = models.data(1001, seed=3)
    y = y * 0.5
    params = models.mlp_params()
    dx, dy = chunked(client, (x, y), 200)
    (value, aux), grads = tgd.value_and_grad(models.mlp_with_aux, has_aux=True)(
        params, dx, dy)
    want_value, want_grads = tg.value_and_grad(models.mlp)(params, x, y)
    assert value == pytest.approx(want_value, rel=1e-12)
    assert set(grads) == set(params)
    for k in params:
        np.testing.assert_allclose(grads[k], want_grads[k], rtol=1e-11, atol=1e-13)
    assert [int(a) for a in aux] == [200, 200, 200, 200, 200, 1]    # one per chunk, in order


def test_fit_converges_on_a_separable_problem(client):
    x, y = models.data(2000, seed=5)
    dx, dy = chunked(client, (x, y), 400)
    w, losses = tgd.fit(models.logistic, np.zeros(8), (dx, dy), tgd.adam(0.1), steps=60)
    assert losses[-1] < 0.25 * losses[0]
    assert np.mean(np.sign(x @ w) == y) > 0.97
    # Minibatches of whole chunks.
    w2, losses2 = tgd.fit(models.logistic, np.zeros(8), (dx, dy), 0.5, steps=40,
                          batch_rows=800)
    assert losses2[-1] < losses2[0] and np.mean(np.sign(x @ w2) == y) > 0.9


def test_a_chunk_with_nan_is_named(client):
    x, y = models.data(1000)
    x[612, 3] = np.nan
    dx, dy = chunked(client, (x, y), 250)
    with pytest.raises(FloatingPointError, match=r"chunk 2 \(rows 500\.\.749\)"):
        tgd.value_and_grad(models.logistic)(np.ones(8), dx, dy)


def test_bad_data_arguments_are_refused_before_anything_runs(client):
    x, y = models.data(100)
    step = tgd.value_and_grad(models.logistic)
    with pytest.raises(tg.errors.ArgumentError, match="must line up row for row"):
        step(np.ones(8), da.from_array(x, chunks=(50, 8)), da.from_array(y, chunks=(40,)))
    with pytest.raises(tg.errors.ArgumentError, match=r"rechunk\(\{1: -1\}\)"):
        step(np.ones(8), da.from_array(x, chunks=(50, 4)), da.from_array(y, chunks=(50,)))
    with pytest.raises(tg.errors.ArgumentError, match="not a Dask array"):
        step(np.ones(8), x, da.from_array(y, chunks=(50,)))
    with pytest.raises(tg.errors.ArgumentError, match="pass the data"):
        tgd.value_and_grad(models.logistic, argnums=2)(
            np.ones(8), da.from_array(x, chunks=(50, 8)), da.from_array(y, chunks=(50,)))


@pytest.mark.slow
def test_a_worker_killed_mid_step_changes_nothing(client):
    # Heavy enough chunks that the step is still running when a worker dies.
    x, y = models.data(400_000, cols=32, seed=7)
    params = models.mlp_params(cols=32, hidden=128)
    dx, dy = chunked(client, (x, y * 0.5), 25_000)
    step = tgd.value_and_grad(models.mlp)
    want_value, want_grads = step(params, dx, dy)                   # undisturbed
    victim = next(iter(client.run(os.getpid).values()))
    threading.Timer(0.3, os.kill, (victim, signal.SIGKILL)).start()
    value, grads = step(params, dx, dy)
    assert value == pytest.approx(want_value, rel=1e-12)
    for k in params:
        np.testing.assert_allclose(grads[k], want_grads[k], rtol=1e-11, atol=1e-14)
    again, _ = step(params, dx, dy)                                  # training goes on
    assert again == pytest.approx(want_value, rel=1e-12)
    assert victim not in client.run(os.getpid).values()             # it did die
