"""The complex-number API: JAX's gradient convention on the documented examples,
holomorphic= and its errors, methods and predicates, and compiled programs' complex
arguments, results and constants."""
import warnings

import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.errors import ArgumentError, UnsupportedError

Z = 1.1 + 1.2j


def test_grad_of_abs_is_conj_over_abs():
    # df/dx - i df/dy for f = |z|: conj(z) / |z|, as jax.grad(jnp.abs)(1.1 + 1.2j).
    g = tg.grad(tnp.abs)(Z)
    assert np.isclose(g, np.conj(Z) / abs(Z), rtol=1e-15)
    assert np.isclose(g, 0.6757246285173464 - 0.7371541402007414j, rtol=1e-15)
    assert tg.grad(tnp.abs)(0j) == 0              # JAX's choice at the kink


def test_grad_of_abs_squared_is_twice_conj():
    assert np.isclose(tg.grad(lambda z: tnp.abs(z) ** 2)(Z), 2 * np.conj(Z), rtol=1e-15)
    assert np.isclose(tg.grad(lambda z: (z * z.conj()).real)(Z), 2 * np.conj(Z), rtol=1e-15)


def test_grad_of_a_real_part_of_a_holomorphic_function_is_its_derivative():
    # Re(g) for holomorphic g: df/dx - i df/dy = g'(z).
    assert np.isclose(tg.grad(lambda z: tnp.real(z ** 3))(Z), 3 * Z ** 2, rtol=1e-14)
    assert np.isclose(tg.grad(lambda z: tnp.imag(z ** 3))(Z), -1j * 3 * Z ** 2, rtol=1e-14)


def test_holomorphic_grad_is_the_complex_derivative():
    assert np.isclose(tg.grad(lambda z: z ** 3, holomorphic=True)(Z), 3 * Z ** 2, rtol=1e-14)
    value, g = tg.value_and_grad(tnp.exp, holomorphic=True)(Z)
    assert np.isclose(value, np.exp(Z)) and np.isclose(g, np.exp(Z))
    assert np.isclose(tg.hessian(lambda z: z ** 3, holomorphic=True)(Z), 6 * Z, rtol=1e-14)


def test_complex_output_needs_holomorphic():
    with pytest.raises(ArgumentError, match=r"needs a real output, got complex128 \(at .*"
                                            r"test_api.py.*holomorphic=True"):
        tg.grad(lambda z: z * z)(Z)


def test_holomorphic_needs_complex_inputs_and_outputs():
    with pytest.raises(ArgumentError, match="holomorphic=True needs complex inputs, got float64"):
        tg.grad(lambda x: x * 1j, holomorphic=True)(1.0)
    with pytest.raises(ArgumentError, match="holomorphic=True needs a complex output"):
        tg.grad(tnp.abs, holomorphic=True)(Z)


def test_jacobians():
    z = np.array([1 + 1j, 2 - 1j])
    expected = np.diag(2 * z)
    np.testing.assert_allclose(tg.jacrev(lambda z: z ** 2, holomorphic=True)(z), expected)
    np.testing.assert_allclose(tg.jacfwd(lambda z: z ** 2, holomorphic=True)(z), expected)
    # A real output of complex inputs: rows of df/dx - i df/dy.
    np.testing.assert_allclose(tg.jacrev(tnp.abs)(z), np.diag(np.conj(z) / np.abs(z)))
    # A complex output of real inputs: columns of tangents.
    np.testing.assert_allclose(tg.jacfwd(lambda x: x * (1 + 2j))(np.array([1.0, 2.0])),
                               np.eye(2) * (1 + 2j))
    with pytest.raises(ArgumentError, match="jacfwd of .* needs real inputs"):
        tg.jacfwd(tnp.abs)(z)
    with pytest.raises(ArgumentError, match="jacrev of .* needs a real output"):
        tg.jacrev(lambda z: z ** 2)(z)


def test_vjp_and_jvp_with_complex_in_and_out():
    z = np.array([1 + 1j, 2 - 1j])
    out, vjp_fn = tg.vjp(lambda z: z * tnp.conj(z) + z, z)
    ct = np.array([1 + 1j, 2j])
    # d(z conj z + z) transposed: ct conj(z) + conj(ct z) + ct
    np.testing.assert_allclose(vjp_fn(ct)[0], ct * np.conj(z) + np.conj(ct * z) + ct)
    _, t = tg.jvp(lambda z: tnp.abs(z) ** 2, (z,), (np.array([1j, 1 + 0j]),))
    np.testing.assert_allclose(t, 2 * np.real(np.conj(z) * np.array([1j, 1])))


def test_converting_complex_to_real_differentiates_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = tg.grad(lambda z: tnp.real(z).astype(np.float32).sum())(np.array([1 + 2j]))
        _, t = tg.jvp(lambda z: tnp.real(z) * 2.0, (np.array([1 + 2j]),), (np.array([1j]),))
    np.testing.assert_array_equal(g, [1 + 0j])
    np.testing.assert_array_equal(t, [0.0])


def test_var_of_a_complex_vector_is_numpy_s():
    x = np.array([1 + 2j, 3 - 1j, 0.5 + 4j])
    for dtype in (np.complex64, np.complex128):
        got = tg.make_ir(tnp.var)(x.astype(dtype)).evaluate(x.astype(dtype))
        expected = np.var(x.astype(dtype))
        assert got.dtype == expected.dtype and np.isclose(got, expected, rtol=1e-6)
    assert np.isclose(tg.compile(lambda x: x.var())(x), np.var(x), rtol=1e-14)


def test_methods_and_predicates_on_tracers():
    z = np.array([1 + 2j, 3 - 1j])

    def f(z):
        assert np.iscomplexobj(z) and tnp.iscomplexobj(z) and not np.isrealobj(z)
        assert not tnp.iscomplexobj(tnp.real(z))
        return z.real, z.imag, z.conj(), z.conjugate(), np.conj(z), np.real(z), np.imag(z)
    for result in (tg.compile(f)(z), tg.make_ir(f)(z).evaluate(z)):
        for got, expected in zip(result, [z.real, z.imag, z.conj(), z.conj(), z.conj(),
                                          z.real, z.imag]):
            np.testing.assert_array_equal(got, expected)
    x = np.array([1.0, -2.0])
    got = tg.compile(lambda x: (np.real(x), np.imag(x), np.conj(x), np.angle(x)))(x)
    for g, e in zip(got, (np.real(x), np.imag(x), np.conj(x), np.angle(x))):
        np.testing.assert_array_equal(g, e)


def test_compiled_arguments_results_and_constants():
    c = np.array([[1 + 1j, 2 - 1j], [0.5j, 3]])
    z = np.array([1 + 2j, 3 - 1j])
    np.testing.assert_allclose(tg.compile(lambda z: c @ z)(z), c @ z, rtol=1e-15)
    same, scalar = tg.compile(lambda z, s: (z, s * 2j))(z, 1j)
    np.testing.assert_array_equal(same, z)
    assert scalar == -2 and scalar.dtype == np.complex128
    strided = np.array([[1 + 2j, 5j, 3], [2, 1j, 4]])[:, ::2]
    np.testing.assert_array_equal(tg.compile(lambda z: z * 2)(strided), strided * 2)
    z64 = z.astype(np.complex64)
    out = tg.compile(lambda z: z * z)(z64)
    assert out.dtype == np.complex64
    np.testing.assert_allclose(out, z64 * z64, rtol=1e-6)
    grad = tg.compile(tg.grad(lambda z: tnp.sum(tnp.abs(z) ** 2)))(z)
    np.testing.assert_allclose(grad, 2 * np.conj(z), rtol=1e-15)


def test_compiled_complex_without_a_rule_names_the_primitive_and_line():
    z = np.array([1 + 2j, 3 - 1j])
    with pytest.raises(UnsupportedError, match=r"complex values in asin \(at .*test_api"):
        tg.compile(lambda z: tnp.arcsin(z))(z)
