"""Without a dask.distributed client, Dask's local (threaded) scheduler runs the same
graph."""
import numpy as np
import pytest

import tracegrad as tg

from . import models

da = pytest.importorskip("dask.array")
tgd = pytest.importorskip("tracegrad.distributed")


def test_threaded_scheduler_gives_the_single_process_gradient():
    from distributed import default_client
    with pytest.raises(ValueError):
        default_client()                # no client in this process: the local scheduler
    x, y = models.data(999, seed=11)
    w = np.linspace(0.3, -0.3, 8)
    value, grad = tgd.value_and_grad(models.logistic)(
        w, da.from_array(x, chunks=(100, 8)), da.from_array(y, chunks=(100,)))
    want_value, want_grad = tg.value_and_grad(models.logistic)(w, x, y)
    assert value == pytest.approx(want_value, rel=1e-12)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-12, atol=1e-13)
