"""Forward mode (jvp, jacfwd, hessian) with its own JVP rule table (the op-table rows
run in both modes in test_grad_op_table.py): agreement with reverse mode, JAX's conventions,
NaN-free `where`, and mixing with reverse mode at higher order."""
import numpy as np
import pytest

import tracegrad as tg

tnp = tg.numpy


def test_forward_mode_through_convert_keeps_dtypes():
    x = np.array([0.5, 2.0], np.float32)
    f = lambda x: x.astype(np.float64) ** 2
    np.testing.assert_allclose(tg.jacfwd(f)(x), np.diag([1.0, 4.0]))
    assert tg.jvp(f, (x,), (np.ones(2, np.float32),))[1].dtype == np.float64
    t = tg.jvp(lambda x: (x * 3.0).astype(np.float32), (np.ones(2),), (np.ones(2),))[1]
    assert t.dtype == np.float32


# -- agreement with reverse mode --------------------------------------------------------

def _log_softmax_first(x, w):
    z = x @ w
    z = z - np.max(z, axis=-1, keepdims=True)
    return np.log(np.sum(np.exp(z), axis=-1)) - z[..., 0]


def _scans_and_extrema(a, b):
    return np.cumsum(a, axis=0) * np.prod(b) + np.max(a * b, axis=1, keepdims=True)


def _data_movement(a, b):
    a_flat = np.transpose(a).reshape(-1)
    return np.concatenate([a_flat[::2], np.sort(b)[1:], np.pad(a, 1)[:2, 1], a_flat[3:]])


def _scatter_gather(a, b):
    idx = np.array([0, 2, 2])
    return np.cumprod(tnp.at(a)[idx].add(b), axis=0) * b[idx]


FUNCTIONS = {
    "broadcast_arith": (lambda a, b: a * b + a / (b * b + 1.0) - b ** 3 + np.abs(a - b),
                        [(3, 1), (1, 4)]),
    "log_softmax": (_log_softmax_first, [(2, 3), (3, 4)]),
    "scans_and_extrema": (_scans_and_extrema, [(3, 2), (2,)]),
    "data_movement": (_data_movement, [(5, 1), (4,)]),
    "scatter_gather": (_scatter_gather, [(3,), (3,)]),
}


def _args(shapes, rng):
    return tuple(rng.uniform(0.5, 1.5, s) for s in shapes)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_jvp_equals_transposed_vjp(name, rng):
    # <u, J v> from forward mode == <J^T u, v> from reverse mode.
    f, shapes = FUNCTIONS[name]
    args = _args(shapes, rng)
    tangents = tuple(rng.standard_normal(s) for s in shapes)
    out, t_out = tg.jvp(f, args, tangents)
    np.testing.assert_allclose(out, f(*args), rtol=1e-15)
    u = rng.standard_normal(np.shape(out))
    _, vjp_fn = tg.vjp(f, *args)
    reverse = sum(np.sum(c * t) for c, t in zip(vjp_fn(u), tangents))
    np.testing.assert_allclose(np.sum(u * t_out), reverse, rtol=1e-12)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_jacfwd_equals_jacrev(name, rng):
    f, shapes = FUNCTIONS[name]
    args = _args(shapes, rng)
    fwd = tg.jacfwd(f, argnums=(0, 1))(*args)
    rev = tg.jacrev(f, argnums=(0, 1))(*args)
    for a, b in zip(fwd, rev):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_jacfwd_shapes_pytree_output_and_empty_input():
    f = lambda x, y: {"prod": np.outer(x, y), "sum": np.sum(x)}
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])
    jac = tg.jacfwd(f, argnums=(0, 1))(x, y)
    assert jac["prod"][0].shape == (2, 3, 2) and jac["prod"][1].shape == (2, 3, 3)
    np.testing.assert_array_equal(jac["sum"][0], [1.0, 1.0])
    np.testing.assert_array_equal(jac["sum"][1], [0.0, 0.0, 0.0])
    assert tg.jacfwd(lambda x: x * 2.0)(np.zeros((0, 2))).shape == (0, 2, 0, 2)


def test_jvp_pytrees_dtypes_and_integer_inputs():
    params = {"w": np.ones(3, np.float32), "n": np.int32(2)}
    tangent = {"w": np.array([1.0, 2.0, 3.0]), "n": np.int32(0)}
    out, t_out = tg.jvp(lambda p: (np.sum(p["w"] ** 2) * 2.0, p["n"] * 2),
                        (params,), (tangent,))
    assert out[0] == 6.0 and t_out[0] == pytest.approx(2 * 2 * 6.0)
    assert t_out[0].dtype == np.float32
    assert t_out[1] == 0        # integer output: zero tangent


def test_jvp_argument_errors():
    with pytest.raises(tg.ArgumentError, match="same structure"):
        tg.jvp(np.sin, (1.0,), (1.0, 2.0))
    with pytest.raises(tg.ArgumentError, match="tangent of shape"):
        tg.jvp(np.sin, (np.ones(3),), (np.ones(2),))


def test_custom_vjp_in_forward_mode_raises_and_suggests_reverse_mode():
    @tg.custom_vjp
    def clipped(x):
        return x * x
    clipped.defvjp(lambda x: (x * x, x), lambda x, g: (np.clip(2.0 * x * g, -1, 1),))
    with pytest.raises(tg.ArgumentError, match="custom_vjp function clipped.*reverse mode"):
        tg.jvp(lambda x: np.sum(clipped(x)), (np.ones(2),), (np.ones(2),))
    # Forward over reverse only differentiates what the custom backward computes.
    np.testing.assert_allclose(tg.hessian(lambda x: np.sum(clipped(x)))(np.array([0.1])),
                               [[2.0]])


# -- conventions and NaN-free where ------------------------------------------------------

def _tangent(f, *args, tangents=None):
    tangents = tangents or tuple(np.ones_like(a) for a in args)
    return tg.jvp(f, args, tangents)[1]


def test_conventions_at_kinks_as_in_jax():
    assert _tangent(np.abs, 0.0) == 1.0 and _tangent(np.abs, -0.0) == 1.0
    assert _tangent(np.maximum, 1.0, 1.0, tangents=(1.0, 0.0)) == 0.5
    assert _tangent(np.minimum, 1.0, 1.0, tangents=(0.0, 1.0)) == 0.5
    x = np.array([1.0, 3.0, 3.0, 2.0])
    assert _tangent(np.max, x, tangents=(np.array([9.0, 1.0, 2.0, 9.0]),)) == 1.5
    assert _tangent(np.sqrt, 0.0) == np.inf


def test_where_untaken_branch_gives_zero_not_nan():
    x = np.array([-1.0, 0.0, 0.5, 4.0])
    t = _tangent(lambda x: np.where(x > 0, np.sqrt(x), 0.0), x)
    np.testing.assert_allclose(t, [0.0, 0.0, 1 / np.sqrt(2.0), 0.25])
    t = _tangent(lambda x: np.where(x > 0, np.log(x), 0.0), x)
    np.testing.assert_array_equal(t, [0.0, 0.0, 2.0, 0.25])
    t = _tangent(lambda x: np.where(x != 0, 1.0 / x, 0.0), x)
    np.testing.assert_array_equal(t, [-1.0, 0.0, -4.0, -0.0625])
    t = _tangent(lambda x: np.where(x < 100, np.exp(x), 0.0), np.array([1.0, 1000.0]))
    np.testing.assert_allclose(t, [np.e, 0.0])


def test_where_does_not_hide_nan_of_the_taken_branch():
    t = _tangent(lambda x: np.where(x > -5, np.sqrt(x), 0.0), np.array([-1.0, 4.0]))
    assert np.isnan(t[0]) and t[1] == 0.25


def test_zero_tangent_columns_stay_zero_at_infinite_derivatives():
    # Column j of jacfwd has zero tangents off j: 0 * sqrt'(0) must be 0, as in jacrev.
    x = np.array([0.0, 4.0])
    np.testing.assert_array_equal(tg.jacfwd(np.sqrt)(x), [[np.inf, 0.0], [0.0, 0.25]])
    np.testing.assert_array_equal(tg.jacfwd(np.sqrt)(x), tg.jacrev(np.sqrt)(x))


def test_where_nan_free_hessian_forward_over_reverse():
    f = lambda x: np.sum(np.where(x > 0, np.sqrt(x), 0.0))
    h = tg.hessian(f)(np.array([-1.0, 0.0, 4.0]))
    np.testing.assert_allclose(h, np.diag([0.0, 0.0, -1 / 32]), atol=0)


# -- higher order and mixing with reverse mode ---------------------------------------------

def test_jvp_of_grad_is_the_hessian_vector_product():
    f = lambda x: np.exp(x[0] * x[1]) + np.sum(x ** 3)
    x, v = np.array([0.5, -0.3]), np.array([1.0, 2.0])
    _, hvp = tg.jvp(tg.grad(f), (x,), (v,))
    np.testing.assert_allclose(hvp, tg.jacrev(tg.grad(f))(x) @ v, rtol=1e-12)


def test_grad_of_jvp():
    f = lambda x: np.sin(x) * np.sum(x ** 2)
    x, v = np.array([0.3, -1.2, 0.7]), np.array([1.0, -1.0, 2.0])
    # d/dv of sum(J v) is J^T 1; d/dx of sum(J v) is the Hessian-vector product's sum.
    g_v = tg.grad(lambda v: np.sum(tg.jvp(f, (x,), (v,))[1]))(v)
    np.testing.assert_allclose(g_v, tg.jacrev(f)(x).sum(axis=0), rtol=1e-12)
    g_x = tg.grad(lambda x: np.sum(tg.jvp(f, (x,), (v,))[1]))(x)
    hess_sum = sum(tg.hessian(lambda x, i=i: f(x)[i])(x) for i in range(3))
    np.testing.assert_allclose(g_x, hess_sum @ v, rtol=1e-12)


def test_jvp_of_jvp_is_the_second_directional_derivative():
    f = lambda x: np.sin(x) ** 3
    x = 0.4
    df = lambda x: tg.jvp(f, (x,), (1.0,))[1]
    _, d2 = tg.jvp(df, (x,), (1.0,))
    s, c = np.sin(x), np.cos(x)
    assert np.isclose(d2, 6 * s * c * c - 3 * s ** 3, rtol=1e-12)


def test_hessian_is_forward_over_reverse_with_tuple_argnums():
    f = lambda x, y: np.sum(x ** 2 * y) + np.sum(y ** 3)
    x, y = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    (hxx, hxy), (hyx, hyy) = tg.hessian(f, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(hxx, np.diag(2 * y))
    np.testing.assert_allclose(hxy, np.diag(2 * x))
    np.testing.assert_allclose(hyx, np.diag(2 * x))
    np.testing.assert_allclose(hyy, np.diag(6 * y))


def test_jvp_is_recorded_under_make_ir():
    f = lambda x: tg.jvp(lambda x: np.where(x > 0, np.sqrt(x), 0.0), (x,),
                         (np.ones_like(x),))[1]
    x = np.array([-1.0, 4.0])
    np.testing.assert_array_equal(tg.make_ir(f)(x).evaluate(x), [0.0, 0.25])
