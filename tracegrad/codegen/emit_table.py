"""The emit table: primitive name -> how code generation handles it.

Every primitive has a `Rule` with a `kind` that decides its place in a kernel:
  'elementwise'  a scalar expression of its operands at the same point (`expr` builds it)
  'view'         broadcast_in_dim/reshape/transpose/slice: index arithmetic, no arithmetic
  'load'         pad/concatenate/gather: a load at a computed index from materialized operands
  'iota'         a function of the loop index only
  'reduce', 'argreduce', 'scan', 'dot', 'scatter': kernels of their own kind
An elementwise rule may also carry a `Guarded` faster expression with a limited domain.
Elementwise `expr(args, dtype, out_dtype, params)` returns the source of a scalar expression
whose Numba type is exactly `out_dtype` (see scalars.cast)."""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional

import numpy as np

from ..errors import MissingRuleError
from .mathlib import FLOAT_FUNCTIONS
from .scalars import cast, literal, np_type
from .trig import TRIG_FUNCTIONS, outside_domain


@dataclasses.dataclass(frozen=True)
class Guarded:
    """A vectorizable expression that is right only where `outside(operand)` is false.
    Loops that use it count the operands outside and, if there were any, run again with
    the rule's plain `expr` (see LoopNest and build_loop). `expr` returns None for dtypes
    it does not handle."""
    expr: Callable
    outside: Callable                   # operand source -> condition source


@dataclasses.dataclass(frozen=True)
class Rule:
    kind: str
    expr: Optional[Callable] = None     # elementwise only
    guarded: Optional[Guarded] = None


def _typed(build):
    """Wrap a builder whose result has the operand dtype in the cast NumPy 2 requires."""
    return lambda a, dt, out, p: cast(build(a, dt), out)


def _float_or_int(float_build, int_build, bool_build=None):
    def build(a, dt, out, p):
        if dt.kind == "f":
            return cast(float_build(a), out)
        if dt == np.bool_ and bool_build is not None:
            return bool_build(a)
        return cast(int_build(a), out)
    return build


def _math(fn):
    return _typed(lambda a, dt: f"math.{fn}({a[0]})")


def _vector_math(fn, helper):
    """float32/float64: a helper from mathlib.py that vectorizes; other dtypes: libm."""
    def build(a, dt, out, p):
        if dt in (np.float32, np.float64):
            return cast(f"{helper}_f{dt.itemsize * 8}({a[0]})", out)
        return cast(f"math.{fn}({a[0]})", out)
    return build


def _float_helper(helper):
    """float32/float64 only: the helper from trig.py; None (not handled) otherwise."""
    def build(a, dt, out, p):
        if dt in (np.float32, np.float64):
            return cast(f"{helper}_f{dt.itemsize * 8}({a[0]})", out)
        return None
    return build


def _np(fn):
    return _typed(lambda a, dt: f"np.{fn}({', '.join(a)})")


def _sign(a, dt, out, p):
    x = a[0]
    if dt.kind == "f":
        one, zero = literal(1, dt), literal(0, dt)
        # NumPy: sign(nan) is nan and sign(-0.0) is +0.0.
        return (f"({one} if {x} > 0 else (-{one} if {x} < 0 else "
                f"({x} if {x} != {x} else {zero})))")
    if dt.kind == "u":
        return cast(f"(1 if {x} > 0 else 0)", out)
    return cast(f"(1 if {x} > 0 else (-1 if {x} < 0 else 0))", out)


def _maximum(larger):
    op = ">" if larger else "<"

    def build(a, dt, out, p):
        x, y = a
        if dt == np.bool_:
            return f"({x} | {y})" if larger else f"({x} & {y})"
        if dt.kind == "f":     # NaN propagates from either side, as np.maximum
            return f"({x} if ({x} {op} {y} or {x} != {x}) else {y})"
        return cast(f"({x} if {x} {op} {y} else {y})", out)
    return build


def _predicate(float_expr, int_value):
    def build(a, dt, out, p):
        return float_expr.format(a[0]) if dt.kind == "f" else str(int_value)
    return build


def _convert(a, dt, out, p):
    x = a[0]
    if out == np.bool_:
        return f"({x} != 0)"
    if dt == out:
        return x
    return f"{np_type(out)}({x})"


def _binop(op, bool_op=None):
    def build(a, dt, out, p):
        if dt == np.bool_ and bool_op is not None:
            return f"({a[0]} {bool_op} {a[1]})"
        return cast(f"({a[0]} {op} {a[1]})", out)
    return build


def _compare(op):
    return lambda a, dt, out, p: f"({a[0]} {op} {a[1]})"


_UNARY_MATH = ["exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "sin", "cos",
               "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh",
               "atanh", "erf", "erfc"]

ELEMENTWISE = {name: _math(name) for name in _UNARY_MATH}
ELEMENTWISE.update({name: _vector_math(name, helper) for name, helper in FLOAT_FUNCTIONS.items()})
ELEMENTWISE.update({
    "neg": _typed(lambda a, dt: f"(-{a[0]})"),
    "abs": _typed(lambda a, dt: f"abs({a[0]})"),
    "sign": _sign,
    "floor": _np("floor"), "ceil": _np("ceil"), "trunc": _np("trunc"),
    "round": _np("rint"),                    # round half to even, as np.round
    "exp2": _np("exp2"), "cbrt": _np("cbrt"),
    "logistic": _typed(lambda a, dt: f"_logistic({a[0]})"),
    "lgamma": _typed(lambda a, dt: f"_lgamma({a[0]})"),
    "polygamma": lambda a, dt, out, p: cast(f"_polygamma({a[0]}, {int(p['order'])})", out),
    "not": lambda a, dt, out, p: (f"(not {a[0]})" if dt == np.bool_ else cast(f"(~{a[0]})", out)),
    "isnan": _predicate("({0} != {0})", False),
    "isinf": _predicate("(abs({0}) == np.inf)", False),
    "isfinite": _predicate("(abs({0}) < np.inf)", True),
    "add": _binop("+", "|"), "sub": _binop("-"), "mul": _binop("*", "&"),
    "div": _binop("/"),
    "floordiv": _float_or_int(lambda a: f"_floordiv_float({a[0]}, {a[1]})",
                              lambda a: f"({a[0]} // {a[1]})"),
    "rem": _float_or_int(lambda a: f"_remainder_float({a[0]}, {a[1]})",
                         lambda a: f"({a[0]} % {a[1]})"),
    "fmod": _float_or_int(lambda a: f"np.fmod({a[0]}, {a[1]})",
                          lambda a: f"_fmod_int({a[0]}, {a[1]})"),
    "pow": _float_or_int(lambda a: f"({a[0]} ** {a[1]})",
                         lambda a: f"_power_int({a[0]}, {a[1]})"),
    "max": _maximum(True), "min": _maximum(False),
    "atan2": _typed(lambda a, dt: f"math.atan2({a[0]}, {a[1]})"),
    "copysign": _typed(lambda a, dt: f"math.copysign({a[0]}, {a[1]})"),
    "nextafter": _typed(lambda a, dt: f"np.nextafter({a[0]}, {a[1]})"),
    "and": _binop("&"), "or": _binop("|"), "xor": _binop("^"),
    "eq": _compare("=="), "ne": _compare("!="), "lt": _compare("<"),
    "le": _compare("<="), "gt": _compare(">"), "ge": _compare(">="),
    "select": lambda a, dt, out, p: cast(f"({a[1]} if {a[0]} else {a[2]})", out),
    "convert": _convert,
    "stop_gradient": lambda a, dt, out, p: a[0],
})

TABLE: dict[str, Rule] = {name: Rule("elementwise", fn) for name, fn in ELEMENTWISE.items()}
TABLE.update({name: Rule("elementwise", ELEMENTWISE[name],
                         Guarded(_float_helper(helper), outside_domain))
              for name, helper in TRIG_FUNCTIONS.items()})
TABLE.update({
    "broadcast_in_dim": Rule("view"), "reshape": Rule("view"),
    "transpose": Rule("view"), "slice": Rule("view"),
    "pad": Rule("load"), "concatenate": Rule("load"), "gather": Rule("load"),
    "iota": Rule("iota"),
    "reduce_sum": Rule("reduce"), "reduce_prod": Rule("reduce"),
    "reduce_max": Rule("reduce"), "reduce_min": Rule("reduce"),
    "argmax": Rule("argreduce"), "argmin": Rule("argreduce"),
    "cumsum": Rule("scan"), "cumprod": Rule("scan"),
    "dot_general": Rule("dot"),
    "scatter_add": Rule("scatter"),
    "sort": Rule("sort"),
})

# Fusible kinds: computed inside whatever loop needs them, unless materialized.
FUSIBLE = ("elementwise", "view", "load", "iota")


def rule(name: str) -> Rule:
    try:
        return TABLE[name]
    except KeyError:
        raise MissingRuleError(
            f"code generation has no rule for primitive {name!r}; add it to "
            f"tracegrad/codegen/emit_table.py") from None
