"""Without compile, differentiation is eager: Python control flow on values works."""
import numpy as np

import tracegrad as tg


def test_if_on_a_value():
    def f(x):
        if x.sum() > 0:
            return np.sum(x**2)
        return np.sum(-x)
    np.testing.assert_allclose(tg.grad(f)(np.array([1.0, 2.0])), [2.0, 4.0])
    np.testing.assert_allclose(tg.grad(f)(np.array([-1.0, -2.0])), [-1.0, -1.0])


def test_while_loop_with_value_dependent_trip_count():
    def f(x):
        steps = 0
        while x < 100.0:       # doubles until large: x * 2**k
            x = x * 2.0
            steps += 1
        return x
    # 3.0 -> 6 -> ... -> 192 after 6 doublings: derivative 2**6
    assert tg.grad(f)(3.0) == 64.0
    assert tg.grad(f)(60.0) == 2.0


def test_float_and_printing_work_eagerly():
    seen = []
    def f(x):
        seen.append(float(np.sum(x)))
        seen.append(repr(x))
        return np.sum(x * x)
    tg.grad(f)(np.array([1.0, 2.0]))
    assert seen[0] == 3.0 and "1." in seen[1]


def test_nested_grad_inside_python_loop_inside_grad():
    """Bilevel: the inner problem min_y (y - x)^2 solved by K gradient steps (a Python
    loop of inner grads); the outer loss y_K^2 differentiated through all of it."""
    lr, K, y0 = 0.1, 5, 2.0

    def inner_solution(x):
        y = y0
        for _ in range(K):
            y = y - lr * tg.grad(lambda y: (y - x) ** 2)(y)
        return y

    def outer(x):
        return inner_solution(x) ** 2

    x = 0.7
    decay = (1 - 2 * lr) ** K
    y_k = x + (y0 - x) * decay
    assert np.isclose(tg.grad(outer)(x), 2 * y_k * (1 - decay), rtol=1e-12)


def test_saddle_point_gradient_through_inner_ascent():
    """max_y min_x style: x's gradient through a few steps of ascent in y."""
    def objective(x, y):
        return x * y - 0.5 * y**2

    def outer(x):
        y = 0.0
        for _ in range(3):
            y = y + 0.5 * tg.grad(objective, argnums=1)(x, y)
        return objective(x, y)

    # y_k follows y <- y + 0.5 (x - y) = 0.5 y + 0.5 x: y_3 = x (1 - 0.125)
    x = 1.3
    c = 1 - 0.125
    expected = 2 * x * c - c * c * x            # d/dx [x * (c x) - 0.5 (c x)^2]
    assert np.isclose(tg.grad(outer)(x), expected, rtol=1e-12)
