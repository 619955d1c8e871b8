"""The complex op table: one row per NumPy function on complex arrays. `fn(xp, *zs)` is
written once against a NumPy-like module; test_values.py runs it with NumPy, tracegrad
(eager, traced and interpreted, compiled) and test_gradients.py differentiates it.

`kind` says what a row's output is, which decides how it is differentiated:
  "holomorphic"  complex-analytic: grad(holomorphic=True) is f'(z), checked with JAX
  "real"         a real-valued function of complex inputs: grad is df/dx - i df/dy
  "complex"      complex but not holomorphic (conj, ...): vjp/jvp only
  "none"         bool or integer results: values only"""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

COMPLEX = (np.complex64, np.complex128)
SHAPES = [(), (0,), (3,), (2, 3)]


@dataclasses.dataclass(frozen=True)
class Row:
    name: str
    fn: Callable
    arity: int = 1
    kind: str = "holomorphic"
    compiled: bool = True          # False: compiled code raises UnsupportedError for it
    away_from_cut: bool = False    # inputs with re > 0.2 (log, sqrt, pow: branch cut on re < 0)
    finite_differences: bool = True   # False: rounds through float32 inside


ROWS = [
    Row("add", lambda xp, a, b: a + b, 2),
    Row("subtract", lambda xp, a, b: a - b, 2),
    Row("multiply", lambda xp, a, b: a * b, 2),
    Row("divide", lambda xp, a, b: a / b, 2),
    Row("power", lambda xp, a, b: xp.power(a, b), 2, away_from_cut=True),
    Row("power_int", lambda xp, a: a ** 3),
    Row("square", lambda xp, a: xp.square(a)),
    Row("reciprocal", lambda xp, a: xp.reciprocal(a)),
    Row("negative", lambda xp, a: -a),
    Row("python_scalars", lambda xp, a: 2 * a + (1 - 0.5j)),
    Row("real_times_complex", lambda xp, a: a * np.full(a.shape, 1.5) + xp.real(a)),
    Row("exp", lambda xp, a: xp.exp(a)),
    Row("exp2", lambda xp, a: xp.exp2(a)),
    Row("expm1", lambda xp, a: xp.expm1(a)),
    Row("log", lambda xp, a: xp.log(a), away_from_cut=True),
    Row("log2", lambda xp, a: xp.log2(a), away_from_cut=True),
    Row("log10", lambda xp, a: xp.log10(a), away_from_cut=True),
    Row("log1p", lambda xp, a: xp.log1p(a), away_from_cut=True),
    Row("sqrt", lambda xp, a: xp.sqrt(a), away_from_cut=True),
    Row("sin", lambda xp, a: xp.sin(a)),
    Row("cos", lambda xp, a: xp.cos(a)),
    Row("tan", lambda xp, a: xp.tan(a)),
    Row("sinh", lambda xp, a: xp.sinh(a)),
    Row("cosh", lambda xp, a: xp.cosh(a)),
    Row("tanh", lambda xp, a: xp.tanh(a)),
    Row("arcsin", lambda xp, a: xp.arcsin(a * 0.3), compiled=False),
    Row("arctan", lambda xp, a: xp.arctan(a * 0.3), compiled=False),
    Row("sum", lambda xp, a: xp.sum(a, axis=-1) if a.ndim else xp.sum(a)),
    Row("mean", lambda xp, a: xp.mean(a)),
    Row("cumsum", lambda xp, a: xp.cumsum(a)),
    Row("matmul", lambda xp, a, b: xp.outer(a, b) @ xp.ravel(b)[:, None], 2),
    Row("dot", lambda xp, a, b: xp.dot(xp.ravel(a * b), xp.ravel(a + b)), 2),
    Row("indexing", lambda xp, a: xp.ravel(a)[::-1][1:] * 2 if a.size else a * 2),
    Row("where", lambda xp, a, b: xp.where(xp.real(a) > 0, a, b), 2),
    Row("stack", lambda xp, a, b: xp.stack([a * b, b * 1j + a], axis=-1), 2),
    Row("conj", lambda xp, a: xp.conj(a), kind="complex"),
    Row("conj_method", lambda xp, a: a.conj() * a, kind="complex"),
    Row("complex_from_parts", lambda xp, a: xp.real(a) * 2 + 1j * xp.imag(a) ** 2, kind="complex"),
    Row("real", lambda xp, a: xp.real(a), kind="real"),
    Row("imag", lambda xp, a: xp.imag(a), kind="real"),
    Row("real_attribute", lambda xp, a: (a * a).real + a.imag, kind="real"),
    Row("abs", lambda xp, a: xp.abs(a), kind="real"),
    Row("abs_squared", lambda xp, a: xp.abs(a) ** 2, kind="real"),
    Row("angle", lambda xp, a: xp.angle(a), kind="real"),
    Row("angle_deg", lambda xp, a: xp.angle(a, deg=True), kind="real"),
    Row("var", lambda xp, a: xp.var(a, axis=-1) if a.ndim else xp.var(a), kind="real"),
    Row("std", lambda xp, a: xp.std(a), kind="real"),
    Row("abs_of_exp", lambda xp, a: xp.abs(xp.exp(a) / (a + 3)), kind="real"),
    Row("astype_float", lambda xp, a: xp.real(a).astype(np.float32).astype(a.real.dtype), kind="real",
        finite_differences=False),
    Row("astype_complex64", lambda xp, a: a.astype(np.complex64), kind="complex",
        finite_differences=False),
    Row("fft", lambda xp, a: xp.fft.fft(xp.ravel(a), n=4)),
    Row("ifft2", lambda xp, a: xp.fft.ifft2(xp.reshape(a, (1, -1)), s=(2, 3), norm="ortho")),
    Row("rfft_of_parts", lambda xp, a: xp.fft.rfft(xp.ravel(xp.real(a) * xp.imag(a)), n=5),
        kind="complex"),
    Row("irfft", lambda xp, a: xp.fft.irfft(xp.concatenate([xp.ravel(a), xp.ones(1, a.dtype)]),
                                            n=5), kind="real"),
    Row("hfft", lambda xp, a: xp.fft.hfft(xp.concatenate([xp.ones(1, a.dtype), xp.ravel(a)]),
                                          n=4, norm="forward"), kind="real"),
    Row("equal", lambda xp, a, b: (a == b, a != a), 2, kind="none"),
    Row("less", lambda xp, a, b: (a < b, a <= b, a > b, a >= b), 2, kind="none"),
    Row("maximum", lambda xp, a, b: (xp.maximum(a, b), xp.minimum(a, b)), 2, kind="none"),
    Row("isfinite", lambda xp, a: (xp.isfinite(a), xp.isnan(a), xp.isinf(a)), kind="none"),
    Row("sign", lambda xp, a: xp.sign(a), kind="none"),
    Row("astype_bool", lambda xp, a: a.astype(bool), kind="none"),
    Row("iscomplex", lambda xp, a: (xp.iscomplex(a), xp.isreal(a)), kind="none"),
]


def sample(rng, dtype, shape, away_from_cut=False):
    re = rng.uniform(0.2 if away_from_cut else -2.0, 2.0, shape)
    im = rng.uniform(-2.0, 2.0, shape)
    return np.asarray(re + 1j * im, dtype)


def cases(row, rng, dtype):
    """Argument tuples: every shape, binary rows with broadcasting (an array and a
    scalar), and exact zeros and real values (abs, sign, angle at their edges)."""
    out = [tuple(sample(rng, dtype, s, row.away_from_cut) for _ in range(row.arity))
           for s in SHAPES]
    if row.arity == 2:
        out.append((sample(rng, dtype, (3,), row.away_from_cut),
                    sample(rng, dtype, (), row.away_from_cut)))
    if not row.away_from_cut and row.name not in ("divide", "reciprocal", "abs_of_exp"):
        edge = np.array([0, 1.5, -1.5, 2j, -0.5 - 0j], dtype)
        out.append((edge,) * row.arity)
    return out


def tolerance(dtype):
    return (2e-5, 2e-6) if np.dtype(dtype) == np.complex64 else (1e-12, 1e-13)
