"""compile(value_and_grad(loss)) on models with dict parameters: the same values as the
reference interpreter, and the kernel structure the compiler promises."""
import numpy as np
import pytest

import tracegrad as tg


def mlp_loss(params, x, t):
    h = np.tanh(x @ params["W1"] + params["b1"])
    out = h @ params["W2"] + params["b2"]
    return 0.5 * np.mean(np.sum((out - t) ** 2, axis=1))


@pytest.fixture(scope="module")
def mlp_case():
    rng = np.random.default_rng(3)
    params = {"W1": rng.standard_normal((20, 16)), "b1": rng.standard_normal(16),
              "W2": rng.standard_normal((16, 4)), "b2": rng.standard_normal(4)}
    return params, rng.standard_normal((32, 20)), rng.standard_normal((32, 4))


@pytest.fixture(scope="module")
def mlp_step():
    return tg.compile(tg.value_and_grad(mlp_loss))


def test_mlp_value_and_grad_equals_interpreter(mlp_case, mlp_step):
    params, x, t = mlp_case
    value, grads = mlp_step(params, x, t)
    ref_value, ref_grads = tg.make_ir(tg.value_and_grad(mlp_loss))(params, x, t).evaluate(
        params, x, t)
    np.testing.assert_allclose(value, ref_value, rtol=1e-12)
    assert set(grads) == set(params)
    for k in params:
        assert grads[k].shape == params[k].shape and grads[k].dtype == params[k].dtype
        np.testing.assert_allclose(grads[k], ref_grads[k], rtol=1e-10, atol=1e-12)


def test_mlp_step_calls_blas_per_matmul_and_fuses_bias_activation(mlp_case, mlp_step):
    params, x, t = mlp_case
    kernels = mlp_step.lower(params, x, t).kernels
    dots = [k for k in kernels if k.kind == "dot"]
    # forward: x@W1, h@W2; backward: h^T@d_out, d_out@W2^T, x^T@d_h (x is not differentiated)
    assert len(dots) == 5, [str(k) for k in kernels]
    first = kernels.index(dots[0])
    after = kernels[first + 1]
    assert {"add", "tanh"} <= set(after.primitives), str(after)


def test_float32_mlp_step_stays_float32(mlp_case):
    params, x, t = mlp_case
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    value, grads = tg.compile(tg.value_and_grad(mlp_loss))(p32, x.astype(np.float32),
                                                          t.astype(np.float32))
    assert value.dtype == np.float32 and all(g.dtype == np.float32 for g in grads.values())
    ref_value, ref_grads = tg.value_and_grad(mlp_loss)(params, x, t)
    np.testing.assert_allclose(value, ref_value, rtol=1e-4)
    for k in params:
        np.testing.assert_allclose(grads[k], ref_grads[k], rtol=2e-3, atol=2e-4)
