"""grad / value_and_grad / vjp API: pytrees, argnums, has_aux, errors, stop_gradient."""
import collections

import numpy as np
import pytest

import tracegrad as tg


def test_grad_of_dict_params_has_their_structure_shapes_and_dtypes():
    params = {"w": np.ones((3, 2), np.float32), "b": np.zeros(2, np.float32)}
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    g = tg.grad(lambda p, x: np.sum(np.tanh(x @ p["w"] + p["b"])))(params, x)
    assert set(g) == {"w", "b"}
    assert g["w"].shape == (3, 2) and g["w"].dtype == np.float32
    assert g["b"].shape == (2,) and g["b"].dtype == np.float32


def test_argnums_tuple_and_negative():
    f = lambda x, y, z: x * y + z
    assert tg.grad(f, argnums=(0, 2))(2.0, 3.0, 4.0) == (3.0, 1.0)
    assert tg.grad(f, argnums=-2)(2.0, 3.0, 4.0) == 2.0


def test_has_aux():
    def f(x):
        return np.sum(x**2), {"norm": np.sqrt(np.sum(x**2))}
    (value, aux), g = tg.value_and_grad(f, has_aux=True)(np.array([3.0, 4.0]))
    assert value == 25.0 and aux["norm"] == 5.0
    np.testing.assert_array_equal(g, [6.0, 8.0])
    g2, aux2 = tg.grad(f, has_aux=True)(np.array([3.0, 4.0]))
    np.testing.assert_array_equal(g2, [6.0, 8.0])
    assert aux2["norm"] == 5.0


def test_namedtuple_and_list_arguments():
    Point = collections.namedtuple("Point", "x y")
    g = tg.grad(lambda p, l: p.x * p.y + l[0] * l[1])(Point(2.0, 3.0), [4.0, 5.0])
    assert isinstance(g, Point) and g == Point(3.0, 2.0)


def test_vjp_for_non_scalar_outputs():
    x = np.array([1.0, 2.0, 3.0])
    out, vjp_fn = tg.vjp(lambda x: x**2, x)
    np.testing.assert_array_equal(out, x**2)
    (ct,) = vjp_fn(np.array([1.0, 0.0, 2.0]))
    np.testing.assert_array_equal(ct, [2.0, 0.0, 12.0])


def test_grad_of_non_scalar_output_says_what_to_use():
    with pytest.raises(tg.ArgumentError, match="vjp") as err:
        tg.grad(lambda x: x * 2)(np.ones(3))
    assert "test_api.py" in str(err.value)


def test_grad_of_integer_output_and_input_raise():
    with pytest.raises(tg.ArgumentError, match="floating-point"):
        tg.grad(lambda x: np.argmax(x))(np.ones(3))
    with pytest.raises(tg.ArgumentError, match="integer|int64"):
        tg.grad(lambda n: n * 2.0)(np.int64(3))


def test_stop_gradient():
    f = lambda x: x * tg.stop_gradient(x)
    assert tg.grad(f)(3.0) == 3.0
    tree = tg.stop_gradient({"a": 1.0})
    assert tree == {"a": 1.0}


def test_unused_argument_gets_zero_gradient():
    g = tg.grad(lambda x, y: np.sum(x), argnums=(0, 1))(np.ones(2), np.ones(3))
    np.testing.assert_array_equal(g[1], np.zeros(3))


def test_python_scalar_keeps_float32_gradient_dtype():
    g = tg.grad(lambda x, s: np.sum(x * s))(np.ones(3, np.float32), 0.5)
    assert g.dtype == np.float32


def test_jacrev_shape():
    jac = tg.jacrev(lambda x: np.outer(x, x))(np.array([1.0, 2.0]))
    assert jac.shape == (2, 2, 2)
    np.testing.assert_allclose(jac[0, 1], [2.0, 1.0])


def test_missing_rule_names_the_primitive():
    from tracegrad.autodiff.rules import lookup
    with pytest.raises(tg.MissingRuleError, match="no_such_primitive"):
        lookup("no_such_primitive")


def test_backward_operations_carry_the_line_of_the_forward_operation():
    import inspect

    def f(x):
        y = np.sin(x)          # the cos of the backward pass belongs to this line
        return np.sum(y * y)

    graph = tg.make_ir(tg.grad(f))(np.ones(3)).graph
    first_line = inspect.getsourcelines(f)[1]
    (cos_node,) = [n for n in graph.nodes if n.prim.name == "cos"]
    assert cos_node.loc.endswith(f"test_api.py:{first_line + 1}"), cos_node.loc
