"""What fuses: kernel lists of traced programs (and their results)."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp

from .support import blas_calls, calls_in_kernels, data_loops, loop_kernels


def traced(f, *args):
    return tg.make_ir(f)(*args).graph


def softmax_cross_entropy(logits, labels):
    m = tnp.max(logits, axis=1, keepdims=True)
    z = logits - m
    lse = tnp.log(tnp.sum(tnp.exp(z), axis=1, keepdims=True))
    return -tnp.mean(tnp.sum(labels * (z - lse), axis=1))


def mlp_layer(x, w, b):
    return tnp.tanh(x @ w + b)


def test_elementwise_chain_into_reduction_is_one_loop(loader):
    x = np.linspace(-3, 3, 1000).astype(np.float32)
    graph = traced(lambda x: tnp.sum(tnp.sin(x) * tnp.exp(-x * x) + tnp.tanh(x)), x)
    lowered, _ = loader.check(graph, x, rtol=1e-5)
    assert len(lowered.kernels) == 1
    (kernel,) = lowered.kernels
    assert kernel.kind == "reduction"
    assert {"sin", "exp", "tanh", "mul", "add", "reduce_sum"} <= set(kernel.primitives)
    assert data_loops(lowered) == 1


def test_softmax_cross_entropy_three_loops_no_blas(loader):
    rng = np.random.default_rng(0)
    logits, labels = rng.standard_normal((16, 10)), rng.random((16, 10))
    lowered, _ = loader.check(traced(softmax_cross_entropy, logits, labels), logits, labels)
    assert len(loop_kernels(lowered)) <= 3
    assert blas_calls(lowered) == 0
    blocked = [r for k in lowered.kernels for _, r in k.not_fused]
    assert any("reduce_max" in r for r in blocked)       # reasons are recorded


def test_matmul_bias_tanh_one_blas_call_one_loop(loader):
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((64, 32)), rng.standard_normal((32, 48)), rng.standard_normal(48)
    lowered, _ = loader.check(traced(mlp_layer, x, w, b), x, w, b)
    assert blas_calls(lowered) == 1
    kinds = [k.kind for k in lowered.kernels]
    assert kinds == ["dot", "elementwise"]
    assert {"add", "tanh"} <= set(lowered.kernels[1].primitives)


def test_outputs_sharing_an_iteration_space_share_a_loop(loader):
    x = np.linspace(-2, 2, 50)
    graph = traced(lambda x: (tnp.tanh(x), 1 - tnp.tanh(x) ** 2, tnp.sum(tnp.tanh(x))), x)
    lowered, _ = loader.check(graph, x)
    assert len(lowered.kernels) == 1
    assert calls_in_kernels(lowered, "tanh") == 1


def test_expensive_shared_value_is_materialized_once(loader):
    x = np.linspace(-2, 2, 60).reshape(6, 10)

    def f(x):
        e = tnp.exp(x)
        return e / tnp.sum(e, axis=1, keepdims=True)
    lowered, _ = loader.check(traced(f, x), x)
    assert calls_in_kernels(lowered, "exp") == 1


def test_source_names_user_lines_and_primitives(loader):
    x = np.ones(4)
    lowered, _ = loader.check(traced(lambda x: tnp.exp(x) * 2.0, x), x)
    assert "test_fusion.py:" in lowered.source
    assert "; kernel 1: elementwise[4]: exp mul" in lowered.source


GRAD_CASES = {
    "tanh_mean": (lambda x: tnp.mean(tnp.tanh(x) ** 2), (np.linspace(-2, 2, 12).reshape(3, 4),)),
    "softmax_ce": (softmax_cross_entropy,
                   (np.random.default_rng(2).standard_normal((6, 5)),
                    np.random.default_rng(3).random((6, 5)))),
    "mlp": (lambda w, x: tnp.sum(mlp_layer(x, w, 0.5) ** 2),
            (np.random.default_rng(4).standard_normal((8, 3)),
             np.random.default_rng(5).standard_normal((70, 8)))),
}


@pytest.mark.parametrize("case", sorted(GRAD_CASES))
def test_value_and_grad_programs(loader, case):
    f, args = GRAD_CASES[case]
    graph = tg.make_ir(tg.value_and_grad(f))(*args).graph
    loader.check(graph, *args, rtol=1e-10)


def test_lowering_twice_gives_the_same_module():
    """Fresh Value objects (other addresses, other hashes) must not change the text."""
    x, w = np.ones((16, 10)), np.ones((10, 4))
    sources = {tg.compile(tg.value_and_grad(
        lambda w, x: softmax_cross_entropy(x @ w, x[:, :4]))).lower(w, x).source
               for _ in range(4)}
    assert len(sources) == 1


def test_no_pass_recurses_over_the_graph_depth():
    """A scalar loop of 250 iterations (a dependence chain of ~1500 nodes, forward and
    backward) lowers with a recursion limit far below the chain's depth."""
    import sys

    def f(x):
        s = x[0]
        for i in range(250):
            s = tnp.sin(s) * 1.001 + x[i % 8] * 0.01
            s = s / (1 + s * s)
        return s
    x = np.linspace(0.1, 0.8, 8)
    compiled = tg.compile(tg.value_and_grad(f))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        lowering = compiled.lower(x)
    finally:
        sys.setrecursionlimit(limit)
    assert len(lowering.ir.nodes) > 1500
    value, grad = lowering.compile()(x)
    want_value, want_grad = tg.value_and_grad(f)(x)
    np.testing.assert_allclose(value, want_value, rtol=1e-12)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-10)


def test_a_fused_dot_operand_is_laid_out_along_its_producers_memory(loader):
    # a @ exp(h).T contracts exp(h)'s last axis: gemm's right operand, built by a fused
    # prologue, is stored transposed (and gemm told so), so the prologue runs along
    # exp(h)'s memory instead of across it.
    a = np.linspace(-1, 1, 24).reshape(3, 8)
    h = np.linspace(-1, 1, 40).reshape(5, 8)
    graph = traced(lambda a, h: tnp.einsum("ij,kj->ik", a, tnp.exp(h)), a, h)
    lowered, _ = loader.check(graph, a, h)
    assert "laid out as a matrix (transposed)" in lowered.source
