"""check_grads catches a wrong derivative and says where."""
import numpy as np
import pytest

import tracegrad as tg


@tg.custom_vjp
def wrong_square(x):
    return x * x


wrong_square.defvjp(lambda x: (x * x, x), lambda x, g: (3.0 * g * x,))   # true: 2 g x


def test_wrong_first_derivative_is_reported_with_argument_and_numbers():
    with pytest.raises(AssertionError, match=r"argument 1 .*vjp gives .*finite differences"):
        tg.check_grads(lambda a, x: np.sum(a * wrong_square(x)),
                       (np.ones(3), np.array([0.5, 1.0, 2.0])))


def test_wrong_second_derivative_is_reported():
    @tg.custom_vjp
    def cube(x):
        return x**3
    # Right first derivative, but its own derivative is wrong (constant in x).
    cube.defvjp(lambda x: (x**3, x), lambda x, g: (g * 3.0 * tg.stop_gradient(x) ** 2,))
    tg.check_grads(lambda x: np.sum(cube(x)), (np.array([0.5, 1.5]),), order=1)
    with pytest.raises(AssertionError, match="first_derivative"):
        tg.check_grads(lambda x: np.sum(cube(x)), (np.array([0.5, 1.5]),), order=2)


def test_forward_mode_is_checked_too():
    tg.check_grads(lambda x: np.sin(x) * x, (np.array([0.3, -1.2]),), order=2,
                   modes=("rev", "fwd"))
