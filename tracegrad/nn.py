"""tracegrad.nn: neural-network activations and normalizations with jax.nn's
signatures, written with tracegrad.numpy so they work on NumPy arrays and traced values
alike. Forms are the numerically stable ones: softmax and log_softmax subtract the
maximum (held constant for differentiation), log_softmax never takes log(softmax), and
softplus is logaddexp(x, 0)."""
from __future__ import annotations

import math

import numpy as np

from . import lax
from . import numpy as tnp
from .ir import is_float
from .numpy._core import convert
from .scipy.special import logsumexp

__all__ = ["relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "swish",
           "sigmoid", "log_sigmoid", "softplus", "softmax", "log_softmax", "logsumexp",
           "one_hot", "standardize", "normalize"]


def _float(x):
    """Activations are defined on floats: integer inputs become float64."""
    x = tnp.asarray(x)
    return x if is_float(x.dtype) else convert(x, np.float64, weak=False)


def _stop_gradient(x):
    return lax.stop_gradient(x)


def relu(x):
    x = _float(x)
    # where() instead of maximum(x, 0): the derivative at 0 is 0 (as in JAX), NaN stays.
    return tnp.where(x <= 0, tnp.zeros_like(x), x)


def relu6(x):
    x = _float(x)
    return tnp.where(x <= 0, tnp.zeros_like(x), tnp.where(x >= 6, tnp.full_like(x, 6), x))


def leaky_relu(x, negative_slope=0.01):
    x = _float(x)
    return tnp.where(x >= 0, x, negative_slope * x)


def elu(x, alpha=1.0):
    x = _float(x)
    # expm1 only sees non-positive inputs, so large x cannot overflow it.
    safe = tnp.where(x > 0, tnp.zeros_like(x), x)
    return tnp.where(x > 0, x, alpha * tnp.expm1(safe))


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


def gelu(x, approximate=True):
    """approximate=True (jax.nn's default) or 'tanh' uses the tanh formula; False or
    'none' the exact erf form."""
    x = _float(x)
    if approximate in (True, "tanh"):
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * (x * x * x))
        return 0.5 * x * (1.0 + tnp.tanh(inner))
    if approximate in (False, "none"):
        return 0.5 * x * (1.0 + _erf(x * (1 / math.sqrt(2))))
    raise ValueError(f"gelu: approximate must be True, False, 'tanh' or 'none', got "
                     f"{approximate!r}")


def _erf(x):
    return lax.apply("erf", x)


def sigmoid(x):
    return lax.apply("logistic", _float(x))


def silu(x):
    x = _float(x)
    return x * sigmoid(x)


swish = silu


def softplus(x):
    return tnp.logaddexp(_float(x), 0.0)


def log_sigmoid(x):
    return -softplus(-_float(x))


def _shift_by_max(x, axis, where):
    if where is not None:
        x = tnp.where(where, x, -np.inf)
    peak = tnp.max(x, axis=axis, keepdims=True)
    peak = tnp.where(tnp.isfinite(peak), peak, tnp.zeros_like(peak))
    return x - _stop_gradient(peak)


def softmax(x, axis=-1, where=None):
    shifted = _shift_by_max(_float(x), axis, where)
    unnormalized = tnp.exp(shifted)
    result = unnormalized / tnp.sum(unnormalized, axis=axis, keepdims=True)
    return result if where is None else tnp.where(where, result, 0.0)


def log_softmax(x, axis=-1, where=None):
    shifted = _shift_by_max(_float(x), axis, where)
    total = tnp.sum(tnp.exp(shifted), axis=axis, keepdims=True)
    result = shifted - tnp.log(total)
    return result if where is None else tnp.where(where, result, -np.inf)


def one_hot(x, num_classes, *, dtype=np.float64, axis=-1):
    """x's integer labels as one-hot vectors along a new axis (default last). Labels
    outside [0, num_classes) give all-zero vectors, as in JAX. dtype defaults to
    float64, NumPy's default float."""
    x = tnp.asarray(x)
    nd = x.ndim + 1
    axis = axis % nd
    classes_shape = [1] * nd
    classes_shape[axis] = num_classes
    classes = np.arange(num_classes).reshape(classes_shape)
    labels = tnp.expand_dims(x, axis)
    return tnp.astype(labels == classes, dtype)


def standardize(x, axis=-1, mean=None, variance=None, epsilon=1e-5, where=None):
    """(x - mean) / sqrt(variance + epsilon) along axis. The variance is computed from
    centred values (more accurate than JAX's E[x^2] - E[x]^2, same in exact math)."""
    x = _float(x)
    kwargs = {} if where is None else {"where": where}
    if mean is None:
        mean = tnp.mean(x, axis=axis, keepdims=True, **kwargs)
    if variance is None:
        centred = x - mean
        variance = tnp.mean(centred * centred, axis=axis, keepdims=True, **kwargs)
    return (x - mean) / tnp.sqrt(variance + epsilon)


normalize = standardize      # jax.nn's older name
