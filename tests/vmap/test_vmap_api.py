"""vmap's API (JAX's): in_axes/out_axes/axis_size, pytrees, keyword arguments, errors,
nesting, composition with the derivative transforms, control flow, custom rules,
callbacks and compile."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.errors import ArgumentError

rng = np.random.default_rng(0)
X = rng.normal(size=(4, 3))
W = rng.normal(size=(3, 2))


def _stack(fn, *columns):
    return np.stack([fn(*c) for c in zip(*columns)])


# ---- axes --------------------------------------------------------------------------------------

def test_in_axes_int_none_tuple_and_negative():
    f = lambda x, w: np.tanh(x @ w)
    np.testing.assert_allclose(tg.vmap(f, (0, None))(X, W), _stack(lambda x: f(x, W), X))
    np.testing.assert_allclose(tg.vmap(f, (1, None))(X.T.copy(), W),
                               _stack(lambda x: f(x, W), X))
    np.testing.assert_allclose(tg.vmap(f, (-1, None))(X.T.copy(), W),
                               _stack(lambda x: f(x, W), X))
    np.testing.assert_allclose(tg.vmap(f, [0, None])(X, W), _stack(lambda x: f(x, W), X))


def test_in_axes_as_a_pytree_prefix_and_keyword_arguments():
    params = {"w": W, "b": np.arange(2.0)}
    f = lambda p, x, scale: (x @ p["w"] + p["b"]) * scale
    scales = np.linspace(1, 2, 4)
    got = tg.vmap(f, in_axes=({"w": None, "b": None}, 0))(params, X, scale=scales)
    np.testing.assert_allclose(got, _stack(lambda x, s: f(params, x, s), X, scales))
    got = tg.vmap(f, in_axes=(None, 0))(params, X, scale=scales)
    np.testing.assert_allclose(got, _stack(lambda x, s: f(params, x, s), X, scales))


def test_unmapped_python_numbers_stay_static():
    got = tg.vmap(lambda x, n: x[:n] * 2, in_axes=(0, None))(X, 2)
    np.testing.assert_allclose(got, X[:, :2] * 2)
    got = tg.compile(tg.vmap(lambda x, n: np.reshape(x, (n, -1)), in_axes=(0, None)),
                     static_argnums=1)(X[:, :2], 2)
    np.testing.assert_allclose(got, X[:, :2].reshape(4, 2, 1))


def test_out_axes_and_pytree_outputs():
    f = lambda x: {"double": 2 * x, "const": np.float64(1.0) + 0 * W.sum(),
                   "pair": (x.sum(), x[0])}
    out = tg.vmap(f, out_axes={"double": 1, "const": None, "pair": 0})(X)
    np.testing.assert_allclose(out["double"], 2 * X.T)
    assert np.shape(out["const"]) == ()
    np.testing.assert_allclose(out["pair"][0], X.sum(1))
    np.testing.assert_allclose(out["pair"][1], X[:, 0])


def test_an_unbatched_output_is_broadcast_with_an_axis():
    out = tg.vmap(lambda x: np.ones(2), out_axes=-1)(X)
    np.testing.assert_array_equal(out, np.ones((2, 4)))


def test_axis_size_when_nothing_is_mapped():
    out = tg.vmap(lambda w: w.sum(), in_axes=None, axis_size=5)(W)
    np.testing.assert_allclose(out, np.full(5, W.sum()))
    out = tg.vmap(lambda w: w.sum(), None, 0, None, 5)(W)    # JAX's positional order
    np.testing.assert_allclose(out, np.full(5, W.sum()))


def test_named_axes_are_refused_clearly():
    with pytest.raises(tg.UnsupportedError, match="axis_name"):
        tg.vmap(lambda x: x, axis_name="batch")


def test_results_are_fresh_arrays():
    out = tg.vmap(lambda x: x)(X)
    assert not np.shares_memory(out, X) and out.flags.writeable


# ---- errors -------------------------------------------------------------------------------------

def test_inconsistent_sizes_name_the_arguments_and_sizes():
    with pytest.raises(ArgumentError, match=r"argument 0 has size 4 along axis 0.*"
                                            r"argument 1 has size 3 along axis 0"):
        tg.vmap(lambda x, w: x.sum() + w.sum())(X, W)


def test_out_axes_none_for_a_batched_output_is_an_error():
    with pytest.raises(ArgumentError, match="out_axes is None.*depends on the mapped"):
        tg.vmap(lambda x: 2 * x, out_axes=None)(X)


def test_mapping_a_scalar_and_mismatched_in_axes_are_errors():
    with pytest.raises(ArgumentError, match="scalar"):
        tg.vmap(lambda x, s: x * s)(X, 2.0)
    with pytest.raises(ArgumentError, match="2 entries.*1 positional"):
        tg.vmap(lambda x: x, in_axes=(0, 0))(X)
    with pytest.raises(ArgumentError, match="no argument"):
        tg.vmap(lambda x: x, in_axes=None)(X)
    with pytest.raises(ArgumentError, match="out of range"):
        tg.vmap(lambda x: x, in_axes=2)(X)


# ---- nesting and derivatives ----------------------------------------------------------------------

def test_nested_vmap_is_an_outer_product():
    a, b = np.arange(3.0), np.arange(4.0)
    got = tg.vmap(tg.vmap(lambda x, y: x * y + 1, (None, 0)), (0, None))(a, b)
    np.testing.assert_allclose(got, np.outer(a, b) + 1)


def _loss(w, x, y):
    return np.mean((np.tanh(x @ w) - y) ** 2)


def test_per_example_gradients_eager_and_compiled():
    y = rng.normal(size=(4, 2))
    per = tg.vmap(tg.grad(_loss), (None, 0, 0))
    expected = _stack(lambda x, t: tg.grad(_loss)(W, x[None], t[None]), X, y)
    np.testing.assert_allclose(per(W, X[:, None], y[:, None]), expected, rtol=1e-12)
    np.testing.assert_allclose(tg.compile(per)(W, X[:, None], y[:, None]), expected,
                               rtol=1e-12)


def test_a_per_example_gradient_program_has_no_loop_and_does_not_grow_with_the_batch():
    per = tg.vmap(tg.grad(_loss), (None, 0, 0))
    sizes = []
    for n in (2, 50):
        x, y = rng.normal(size=(n, 1, 3)), rng.normal(size=(n, 1, 2))
        graph = tg.make_ir(per)(W, x, y)
        text = str(graph)
        assert "scan" not in text and "while" not in text
        sizes.append(len(graph.graph.nodes))
    assert sizes[0] == sizes[1]


def test_grad_of_vmap_and_vmap_of_jacrev_and_jacfwd_of_vmap():
    f = lambda x: np.sin(x) * x.sum()
    g = tg.grad(lambda w: tg.vmap(lambda x: _loss(w, x[None], x[None, :2]))(X).sum())(W)
    expected = sum(tg.grad(_loss)(W, x[None], x[None, :2]) for x in X)
    np.testing.assert_allclose(g, expected, rtol=1e-12)
    jac = tg.vmap(tg.jacrev(f))(X)
    np.testing.assert_allclose(jac, _stack(tg.jacrev(f), X), rtol=1e-12)
    jac = tg.jacfwd(tg.vmap(f))(X)
    assert jac.shape == X.shape + X.shape
    full = np.zeros(X.shape + X.shape)
    for i, x in enumerate(X):
        full[i, :, i, :] = tg.jacfwd(f)(x)
    np.testing.assert_allclose(jac, full, rtol=1e-12)


def test_jacobians_and_hessian_are_one_traced_pass():
    f = lambda x: np.tanh(np.outer(x, x)).sum(0)
    x = rng.normal(size=5)
    graph_rev = tg.make_ir(tg.jacrev(f))(x)
    graph_fwd = tg.make_ir(tg.jacfwd(f))(x)
    # No per-element replay: the graph does not grow with the number of basis vectors.
    big = rng.normal(size=40)
    assert len(tg.make_ir(tg.jacrev(f))(big).graph.nodes) == len(graph_rev.graph.nodes)
    assert len(tg.make_ir(tg.jacfwd(f))(big).graph.nodes) == len(graph_fwd.graph.nodes)
    h = tg.hessian(lambda x: np.sum(np.sin(x) * x[::-1]))(x)
    eps = 1e-5
    g = tg.grad(lambda x: np.sum(np.sin(x) * x[::-1]))
    fd = np.stack([(g(x + eps * e) - g(x - eps * e)) / (2 * eps) for e in np.eye(5)], 1)
    np.testing.assert_allclose(h, fd, atol=1e-8)


# ---- control flow -------------------------------------------------------------------------------

def test_cond_with_a_per_example_predicate_takes_each_examples_branch():
    f = lambda x: tg.cond(x.sum() > 0, lambda v: v * 2, lambda v: -v, x)
    expected = _stack(lambda x: x * 2 if x.sum() > 0 else -x, X)
    np.testing.assert_allclose(tg.vmap(f)(X), expected)
    np.testing.assert_allclose(tg.compile(tg.vmap(f))(X), expected)


def test_scan_carry_becomes_batched_and_gradients_flow():
    def f(x):
        def step(c, xi):
            c = np.tanh(c * 0.5 + xi)
            return c, c * 2
        c, ys = tg.scan(step, 0.0, x)
        return c + ys.sum()
    expected = _stack(f, X)
    np.testing.assert_allclose(tg.vmap(f)(X), expected, rtol=1e-12)
    np.testing.assert_allclose(tg.compile(tg.vmap(f))(X), expected, rtol=1e-12)
    np.testing.assert_allclose(tg.vmap(tg.grad(f))(X), _stack(tg.grad(f), X), rtol=1e-12)
    np.testing.assert_allclose(tg.grad(lambda x: tg.vmap(f)(x).sum())(X),
                               _stack(tg.grad(f), X), rtol=1e-12)


def test_fori_loop_with_static_bounds_a_scan_without_xs():
    f = lambda x: tg.fori_loop(0, 5, lambda i, c: np.sin(c) * x + i, x)
    xs = np.linspace(0.1, 0.9, 4)
    np.testing.assert_allclose(tg.vmap(f)(xs), _stack(f, xs))
    np.testing.assert_allclose(tg.compile(tg.vmap(tg.grad(f)))(xs), _stack(tg.grad(f), xs))
    np.testing.assert_allclose(tg.hessian(lambda x: f(x).sum())(xs[:1]),
                               [[tg.grad(tg.grad(f))(xs[0])]])


def _halvings(x):
    """How many halvings bring x below 1: a different trip count per example."""
    def body(c):
        v, n = c
        return v / 2, n + 1
    v, n = tg.while_loop(lambda c: c[0] >= 1.0, body, (x, 0))
    return v, n


def test_while_loop_with_a_per_example_condition_runs_each_to_its_end():
    xs = np.array([0.5, 3.0, 17.0, 1000.0])
    v, n = tg.vmap(_halvings)(xs)
    np.testing.assert_array_equal(n, [0, 2, 5, 10])
    np.testing.assert_allclose(v, xs / 2.0 ** n)
    v2, n2 = tg.compile(tg.vmap(_halvings))(xs)
    np.testing.assert_array_equal(n2, n)
    np.testing.assert_allclose(v2, v)


def test_vmap_of_grad_through_a_while_loop():
    f = lambda x: _halvings(x)[0] ** 2
    xs = np.array([0.5, 3.0, 17.0])
    np.testing.assert_allclose(tg.vmap(tg.grad(f))(xs), _stack(tg.grad(f), xs))
    np.testing.assert_allclose(tg.compile(tg.vmap(tg.grad(f)))(xs), _stack(tg.grad(f), xs))


# ---- custom rules, callbacks, random ----------------------------------------------------------------

@tg.custom_vjp
def clipped_identity(x):
    return x


clipped_identity.defvjp(lambda x: (x, None), lambda _, g: (np.clip(g, -1.0, 1.0),))


def test_grad_of_vmap_uses_the_custom_vjp():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    loss = lambda x: (tg.vmap(clipped_identity)(x) * 5.0).sum()
    np.testing.assert_array_equal(tg.grad(loss)(x), np.ones_like(x))
    np.testing.assert_array_equal(tg.compile(tg.grad(loss))(x), np.ones_like(x))


@tg.custom_jvp
def soft_abs(x):
    return np.abs(x)


@soft_abs.defjvp
def _soft_abs_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return soft_abs(x), np.tanh(10 * x) * t


def test_jvp_and_grad_of_vmap_use_the_custom_jvp():
    x = np.array([-0.3, 0.0, 0.2])
    _, t = tg.jvp(tg.vmap(soft_abs), (x,), (np.ones(3),))
    np.testing.assert_allclose(t, np.tanh(10 * x))
    np.testing.assert_allclose(tg.grad(lambda x: tg.vmap(soft_abs)(x).sum())(x),
                               np.tanh(10 * x))


def test_pure_callback_runs_once_per_example():
    calls = []

    def host(v):
        calls.append(v.shape)
        return np.cumsum(v)
    f = lambda x: tg.pure_callback(host, tg.ShapeDtypeStruct((3,), np.float64), x) * 2
    np.testing.assert_allclose(tg.vmap(f)(X), 2 * np.cumsum(X, axis=1))
    assert calls == [(3,)] * 4
    np.testing.assert_allclose(tg.compile(tg.vmap(f))(X), 2 * np.cumsum(X, axis=1))


@pytest.mark.parametrize("method", ["expand_dims", "broadcast_all"])
def test_pure_callback_on_the_whole_batch(method):
    shapes = []

    def host(v, w):
        shapes.append((v.shape, w.shape))
        return v * w.sum(-1, keepdims=True)
    f = lambda x, w: tg.pure_callback(host, tg.ShapeDtypeStruct((3,), np.float64), x, w,
                                      vmap_method=method)
    w = np.arange(2.0)
    expected = X * w.sum()
    np.testing.assert_allclose(tg.vmap(f, (0, None))(X, w), expected)
    assert shapes == [((4, 3), (1, 2) if method == "expand_dims" else (4, 2))]
    np.testing.assert_allclose(tg.compile(tg.vmap(f, (0, None)))(X, w), expected)


def test_random_draws_under_vmap_match_per_key_draws():
    keys = tg.random.split(tg.random.PRNGKey(0), 3)
    got = tg.vmap(lambda k: tg.random.normal(k, (2,)))(keys)
    np.testing.assert_array_equal(got, _stack(lambda k: tg.random.normal(k, (2,)), keys))


def test_dynamic_slices_at_per_example_positions():
    starts = np.array([0, 1, 2, 5])
    f = lambda x, s: tg.lax.dynamic_slice(x, (s,), (2,))
    data = np.arange(24.0).reshape(4, 6)
    expected = _stack(lambda x, s: x[min(max(s, 0), 4):min(max(s, 0), 4) + 2], data, starts)
    np.testing.assert_array_equal(tg.vmap(f)(data, starts), expected)
    np.testing.assert_array_equal(tg.compile(tg.vmap(f))(data, starts), expected)
    g = lambda x, s: tg.lax.dynamic_update_slice(x, np.ones(2), (s,))
    expected = _stack(lambda x, s: g(x, s), data, starts)
    np.testing.assert_array_equal(tg.vmap(g)(data, starts), expected)
