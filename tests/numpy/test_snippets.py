"""Real-world snippets written with plain `import numpy as np`, unchanged: traced with
make_ir, the graph evaluates to what NumPy computes."""
import numpy as np
import pytest

import tracegrad as tg


def softmax_cross_entropy(W, b, x, labels):
    logits = x @ W + b
    logits = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    # (np.eye(k)[labels] would index a NumPy array with a traced one: see docs/numpy.md)
    one_hot = labels[:, None] == np.arange(W.shape[1])
    return -np.mean(np.sum(one_hot * log_probs, axis=1)) + 1e-3 * np.sum(W ** 2)


def gaussian_log_likelihood(mu, log_sigma, x):
    sigma = np.exp(log_sigma)
    z = (x - mu) / sigma
    return np.sum(-0.5 * z ** 2 - log_sigma - 0.5 * np.log(2 * np.pi))


def laplacian_stencil(u, h):
    # Five-point finite-difference Laplacian with periodic boundaries.
    return (np.roll(u, 1, axis=0) + np.roll(u, -1, axis=0) + np.roll(u, 1, axis=1) +
            np.roll(u, -1, axis=1) - 4 * u) / h ** 2


def interior_gradient(u, h):
    du_dx = (u[2:, 1:-1] - u[:-2, 1:-1]) / (2 * h)
    du_dy = (u[1:-1, 2:] - u[1:-1, :-2]) / (2 * h)
    return np.sqrt(du_dx ** 2 + du_dy ** 2)


def pairwise_distances(x, y):
    sq = (np.sum(x ** 2, axis=1)[:, None] + np.sum(y ** 2, axis=1)[None, :]
          - 2 * x @ y.T)
    return np.sqrt(np.maximum(sq, 0.0))


def pairwise_distances_broadcast(x):
    diff = x[:, np.newaxis, :] - x[np.newaxis, :, :]
    return np.linalg.norm(diff, axis=-1)


def robust_standardize(x):
    med = np.median(x, axis=0)
    spread = np.percentile(x, 75, axis=0) - np.percentile(x, 25, axis=0)
    return np.clip((x - med) / spread, -3, 3)


def moving_average(x, width):
    padded = np.pad(x, (width // 2, width - 1 - width // 2), mode="edge")
    kernel = np.ones(width) / width
    windows = np.stack([padded[i:i + len(x)] for i in range(width)])
    return kernel @ windows


rng = np.random.default_rng(0)
SNIPPETS = {
    "softmax_classifier": (softmax_cross_entropy,
                           (rng.normal(size=(5, 3)), rng.normal(size=3),
                            rng.normal(size=(8, 5)), rng.integers(0, 3, 8))),
    "gaussian_loglik": (gaussian_log_likelihood,
                        (np.float64(0.3), np.float64(-0.2), rng.normal(size=50))),
    "laplacian": (laplacian_stencil, (rng.normal(size=(6, 7)), 0.1)),
    "interior_gradient": (interior_gradient, (rng.normal(size=(6, 7)), 0.1)),
    "pairwise": (pairwise_distances, (rng.normal(size=(4, 3)), rng.normal(size=(5, 3)))),
    "pairwise_broadcast": (pairwise_distances_broadcast, (rng.normal(size=(4, 3)),)),
    "robust_standardize": (robust_standardize, (rng.normal(size=(9, 2)),)),
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_traces_and_matches_numpy(name):
    fn, args = SNIPPETS[name]
    static = tuple(i for i, a in enumerate(args) if isinstance(a, float))
    traced = tg.make_ir(fn, static_argnums=static)(*args)
    np.testing.assert_allclose(traced.evaluate(*args), fn(*args), rtol=1e-12, atol=1e-12)


def test_moving_average_with_static_width():
    x = rng.normal(size=10)
    traced = tg.make_ir(moving_average, static_argnums=(1,))(x, 3)
    np.testing.assert_allclose(traced.evaluate(x, 3), moving_average(x, 3), rtol=1e-12)
