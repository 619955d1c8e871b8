"""The dtype checks of grad, jacfwd and jacrev around complex numbers, as JAX makes them.

Without `holomorphic=True` a gradient is of a real-valued function (of real or complex
inputs: grad(f)(z) = df/dx - i df/dy); a complex output has no such gradient, so it is an
error that says what to use. With `holomorphic=True` inputs and outputs are complex and
the result is the complex derivative f'(z). jacfwd pushes real tangents through, so
without `holomorphic=True` its inputs must be real."""
from __future__ import annotations

import numpy as np

from ..errors import ArgumentError
from ..tracer.source import describe_location, user_location


def _is_complex(dtype) -> bool:
    return np.dtype(dtype).kind == "c"


def _at() -> str:
    return f"(at {describe_location(user_location())})"


def check_holomorphic_inputs(name: str, fn_name: str, dtypes) -> None:
    """With holomorphic=True every differentiated input must be complex."""
    for dtype in dtypes:
        if not _is_complex(dtype):
            raise ArgumentError(
                f"{name} of {fn_name} with holomorphic=True needs complex inputs, got "
                f"{np.dtype(dtype)} {_at()}. Convert it (x.astype(complex)) or drop "
                f"holomorphic=True for a real function.")


def check_real_inputs_jacfwd(fn_name: str, dtypes) -> None:
    for dtype in dtypes:
        if _is_complex(dtype):
            raise ArgumentError(
                f"jacfwd of {fn_name} needs real inputs without holomorphic=True, got "
                f"{np.dtype(dtype)} {_at()}. For the complex derivative of a holomorphic "
                f"function pass holomorphic=True; for other functions of complex inputs "
                f"use jvp with the tangents 1 and 1j, or jacrev.")


def check_output(name: str, fn_name: str, dtype, holomorphic: bool) -> None:
    """A real output without holomorphic, a complex one with it."""
    if holomorphic and not _is_complex(dtype):
        raise ArgumentError(
            f"{name} of {fn_name} with holomorphic=True needs a complex output, got "
            f"{np.dtype(dtype)} {_at()}. Drop holomorphic=True: the gradient of a real "
            f"function of complex inputs is df/dx - i df/dy.")
    if not holomorphic and _is_complex(dtype) and name != "jacfwd":
        raise ArgumentError(
            f"{name} of {fn_name} needs a real output, got {np.dtype(dtype)} {_at()}. "
            f"For the complex derivative f'(z) of a holomorphic function pass "
            f"holomorphic=True; for a real function of complex values return its real "
            f"part or abs; for other complex outputs use vjp.")
