"""What reverse mode through a scan keeps per step: the residuals of the split body
gradient, stacked; with checkpoint, only what the recomputation starts from. Measured
on the optimized program (the buffers compiled code allocates), not on a clock or RSS."""
import numpy as np

import tracegrad as tg
import tracegrad.numpy as tnp

STEPS, STATE = 50, 8


def loss(W, xs, remat):
    def step(h, x):
        a = tnp.tanh(W @ h + x)
        b = tnp.sin(a) * a
        return tnp.tanh(b + a * 0.5), None
    h, _ = tg.scan(tg.checkpoint(step) if remat else step, tnp.ones(STATE), xs)
    return (h * h).sum()


def stacked_bytes(remat):
    """Bytes of every scan output with a leading axis of STEPS (the stacked residuals)."""
    W = np.eye(STATE) * 0.5
    xs = np.ones((STEPS, STATE))
    graph = tg.compile(tg.grad(lambda W: loss(W, xs, remat))).lower(W).ir
    return sum(v.aval.size * v.aval.dtype.itemsize for n in graph.nodes
               if n.prim.name == "scan" and not n.params["reverse"]
               for v in n.outputs if v.aval.shape[:1] == (STEPS,))


def test_scan_stores_residuals_once_per_step():
    per_step = stacked_bytes(False) / STEPS
    # a handful of STATE-vectors per step, nothing proportional to anything else
    assert 2 * STATE * 8 <= per_step <= 8 * STATE * 8


def test_checkpoint_stores_only_the_carry():
    assert stacked_bytes(True) == STEPS * STATE * 8
    assert stacked_bytes(True) < stacked_bytes(False) / 2


def test_checkpointed_gradient_is_the_same():
    rng = np.random.default_rng(0)
    W, xs = rng.standard_normal((STATE, STATE)) * 0.3, rng.standard_normal((STEPS, STATE))
    plain = tg.compile(tg.grad(lambda W: loss(W, xs, False)))(W)
    remat = tg.compile(tg.grad(lambda W: loss(W, xs, True)))(W)
    np.testing.assert_allclose(remat, plain, rtol=1e-12, atol=1e-14)
