"""Other libraries' spellings (HIPS autograd, JAX, PyTorch) fail with tracegrad's
spelling in the message, not a bare AttributeError or TypeError; the advice given runs."""
import numpy as np
import pytest

import tracegrad as tg
from tracegrad.aliases import ATTRIBUTES


@pytest.mark.parametrize("name", sorted(ATTRIBUTES))
def test_another_librarys_name_says_what_to_write(name):
    with pytest.raises(tg.SpellingError) as info:
        getattr(tg, name)
    assert isinstance(info.value, AttributeError)
    origin, instead = ATTRIBUTES[name]
    assert f"module 'tracegrad' has no attribute '{name}' ({origin})" in str(info.value)
    assert instead in str(info.value)
    assert not hasattr(tg, name)


@pytest.mark.parametrize("name", sorted(ATTRIBUTES))
def test_no_alias_hides_a_name_tracegrad_has(name):
    assert name not in vars(tg)


def test_an_unknown_name_is_a_plain_attribute_error():
    with pytest.raises(AttributeError) as info:
        tg.no_such_thing  # noqa: B018
    assert type(info.value) is AttributeError
    assert str(info.value) == "module 'tracegrad' has no attribute 'no_such_thing'"


def test_the_elementwise_grad_advice_computes_it():
    x = np.array([0.3, -1.2, 2.0])
    assert "tg.grad(lambda x: f(x).sum())" in ATTRIBUTES["elementwise_grad"][1]
    f = np.sin
    np.testing.assert_allclose(tg.grad(lambda x: f(x).sum())(x), np.cos(x), rtol=1e-14)
    y, f_vjp = tg.vjp(f, x)
    np.testing.assert_allclose(f_vjp(tg.numpy.ones_like(y))[0], np.cos(x), rtol=1e-14)


def test_the_hessian_vector_product_advice_computes_it():
    assert "tg.jvp(tg.grad(f), (x,), (v,))[1]" in ATTRIBUTES["hessian_vector_product"][1]
    x, v = np.array([0.5, -1.0, 2.0]), np.array([1.0, 2.0, -1.0])

    def f(x):
        return (x ** 3).sum()
    np.testing.assert_allclose(tg.jvp(tg.grad(f), (x,), (v,))[1], 6 * x * v, rtol=1e-14)


@pytest.mark.parametrize("transform", [tg.grad, tg.value_and_grad, tg.jacfwd, tg.jacrev,
                                       tg.hessian], ids=lambda t: t.__name__)
def test_argnum_names_argnums(transform):
    with pytest.raises(tg.ArgumentError) as info:
        transform(lambda x, y: (x * y).sum(), argnum=1)
    assert isinstance(info.value, TypeError)
    assert f"{transform.__name__}() got an unexpected keyword argument 'argnum' (HIPS " \
           f"autograd's argnum); tracegrad spells it argnums=" in str(info.value)
    # The spelling the message gives works.
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    assert transform(lambda x, y: (x * y).sum(), argnums=1)(x, y) is not None


def test_compile_static_argnum_names_static_argnums():
    with pytest.raises(tg.ArgumentError, match="tracegrad spells it static_argnums="):
        tg.compile(lambda x, n: x * n, static_argnum=1)


def test_an_unknown_keyword_is_still_a_type_error():
    with pytest.raises(TypeError, match=r"^grad\(\) got an unexpected keyword argument "
                                        r"'wrt'$"):
        tg.grad(lambda x: x, wrt=0)


def test_autograds_curried_check_grads_explains_the_signature():
    def f(x):
        return (x ** 2).sum()
    for call in (lambda: tg.check_grads(f, modes=["fwd", "rev"], order=2)(np.ones(2)),
                 lambda: tg.check_grads(f, ["fwd", "rev"])):
        with pytest.raises(tg.ArgumentError) as info:
            call()
        assert "check_grads(f, (x,), order=2, modes=('fwd', 'rev'))" in str(info.value)
        assert "curried form check_grads(f, modes=...)(x) is not supported" in \
            str(info.value)
    with pytest.raises(tg.ArgumentError, match="got args of type ndarray, not a tuple"):
        tg.check_grads(f, np.ones(2))
    tg.check_grads(f, (np.ones(2),), order=2, modes=("fwd", "rev"))   # as the message says
