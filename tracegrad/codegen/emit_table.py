"""The emit table: elementwise primitive name -> the LLVM IR that computes it.

A primitive's place in a kernel follows from its kind (ir/kinds.py): views are index
arithmetic in nest.py, loads at computed indices too, reductions, scans, dots, scatters
and sorts are kernels of their own (kernels.py). Elementwise primitives need a `Rule`
here; one may also carry a `Guarded` faster computation with a limited domain.

Elementwise `expr(e, args, dtype, out_dtype, params, in_loop)` emits LLVM IR through the
Emitter `e` for operands `args` (register values of `dtype`) and returns the result, a
register value of exactly `out_dtype`. `in_loop` says whether the value is computed
inside a loop, where the vectorizable helpers pay off; outside loops libm is smaller."""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional

import numpy as np

from ..errors import MissingRuleError
from ..ir.elementwise import ROWS
from ..ir.kinds import CALLBACK, CONTROL, DOT, LINALG, LOOP, SCATTER, SORT
from ..ir.kinds import ELEMENTWISE as ELEMENTWISE_KIND
from .irtext import (Emitter, FLOAT_FLAGS, const, convert, extreme, is_float, is_signed,
                     reg)
from .mathlib import FLOAT_FUNCTIONS
from .threefry import emit_threefry
from .trig import TRIG_FUNCTIONS, outside_domain


@dataclasses.dataclass(frozen=True)
class Guarded:
    """A vectorizable computation that is right only where `outside(e, ty, operand)`
    (an i1) is false. Loops that use it count the operands outside and, if there were
    any, run again with the rule's plain `expr` (see LoopNest and build_loop). `expr`
    returns None for dtypes it does not handle."""
    expr: Callable
    outside: Callable


@dataclasses.dataclass(frozen=True)
class Rule:
    expr: Callable
    guarded: Optional[Guarded] = None
    cost: float = 1.0                   # per element, for the cost model


def _finish(e: Emitter, value, dt, out):
    return convert(e, value, dt, out)


def _libm(name):
    """A C math library function (float32: its `f` variant); ints go through float64."""
    def build(e, a, dt, out, p, in_loop):
        x, ty = a[0], reg(dt)
        if not is_float(dt):
            x, dt, ty = convert(e, x, dt, np.float64), np.dtype(np.float64), "double"
        fn = name + ("f" if ty == "float" else "")
        return _finish(e, e.call(ty, fn, [(ty, x)]), dt, out)
    return build


def _llvm(name):
    """An LLVM intrinsic (libm underneath, but known to the optimizer)."""
    def build(e, a, dt, out, p, in_loop):
        x, ty = a[0], reg(dt)
        if not is_float(dt):
            x, dt, ty = convert(e, x, dt, np.float64), np.dtype(np.float64), "double"
        return _finish(e, e.intrinsic(name, ty, x), dt, out)
    return build


def _vector_math(name, helper):
    """Inside loops the vectorizable helper of mathlib.py; elsewhere libm."""
    scalar = _llvm(name) if name in ("exp",) else _libm(name)

    def build(e, a, dt, out, p, in_loop):
        if in_loop and dt in (np.float32, np.float64):
            ty = reg(dt)
            fn = f"{helper}_f{dt.itemsize * 8}"
            return _finish(e, e.helper(fn, ty, [(ty, a[0])]), dt, out)
        return scalar(e, a, dt, out, p, in_loop)
    return build


def _float_helper(helper):
    """float32/float64 only: the helper from trig.py; None (not handled) otherwise."""
    def build(e, a, dt, out, p, in_loop):
        if dt in (np.float32, np.float64) and in_loop:
            ty = reg(dt)
            return _finish(e, e.helper(f"{helper}_f{dt.itemsize * 8}", ty, [(ty, a[0])]),
                           dt, out)
        return None
    return build


def _via_float64_helper(helper):
    """A float64 helper of helpers.py; float32 widens and rounds once."""
    def build(e, a, dt, out, p, in_loop):
        x = convert(e, a[0], dt, np.float64)
        return convert(e, e.helper(helper(p), "double", [("double", x)]), np.float64, out)
    return build


def _neg(e, a, dt, out, p, in_loop):
    ty = reg(dt)
    y = e.fneg(ty, a[0]) if is_float(dt) else e.iop("sub", ty, "0", a[0])
    return _finish(e, y, dt, out)


def _abs(e, a, dt, out, p, in_loop):
    ty, x = reg(dt), a[0]
    if is_float(dt):
        y = e.intrinsic("fabs", ty, x)
    elif is_signed(dt):
        y = e.select(e.icmp("slt", ty, x, "0"), ty, e.iop("sub", ty, "0", x), x)
    else:
        y = x
    return _finish(e, y, dt, out)


def _sign(e, a, dt, out, p, in_loop):
    ty, x = reg(dt), a[0]
    one, zero = const(1, dt), const(0, dt)
    if is_float(dt):
        # NumPy: sign(nan) is nan and sign(-0.0) is +0.0.
        neg_one = const(-1, dt)
        y = e.select(e.fcmp("olt", ty, x, zero), ty, neg_one,
                     e.select(e.fcmp("uno", ty, x, x), ty, x, zero))
        y = e.select(e.fcmp("ogt", ty, x, zero), ty, one, y)
    elif is_signed(dt):
        y = e.select(e.icmp("slt", ty, x, "0"), ty, "-1", zero)
        y = e.select(e.icmp("sgt", ty, x, "0"), ty, one, y)
    else:
        y = e.cast("zext", "i1", e.icmp("ne", ty, x, "0"), ty)
    return _finish(e, y, dt, out)


def _rounding(name):
    """floor/ceil/trunc/rint: an LLVM intrinsic on floats; integers are unchanged."""
    def build(e, a, dt, out, p, in_loop):
        y = e.intrinsic(name, reg(dt), a[0]) if is_float(dt) else a[0]
        return _finish(e, y, dt, out)
    return build


def _not(e, a, dt, out, p, in_loop):
    return _finish(e, e.iop("xor", reg(dt), a[0], "true" if dt == np.bool_ else "-1"),
                   dt, out)


def _predicate(float_build, int_value):
    def build(e, a, dt, out, p, in_loop):
        return float_build(e, reg(dt), a[0]) if is_float(dt) else int_value
    return build


def _isinf(e, ty, x):
    return e.fcmp("oeq", ty, e.intrinsic("fabs", ty, x), const(np.inf, np.float64))


def _isfinite(e, ty, x):
    return e.fcmp("olt", ty, e.intrinsic("fabs", ty, x), const(np.inf, np.float64))


def _arith(float_op, int_op, bool_op=None):
    def build(e, a, dt, out, p, in_loop):
        ty = reg(dt)
        if dt == np.bool_:
            y = e.iop(bool_op, "i1", a[0], a[1])
        elif is_float(dt):
            y = e.fop(float_op, ty, a[0], a[1])
        else:
            y = e.iop(int_op, ty, a[0], a[1])
        return _finish(e, y, dt, out)
    return build


def _div(e, a, dt, out, p, in_loop):
    x, y = a
    if not is_float(dt):
        x, y = (convert(e, v, dt, np.float64) for v in a)
        dt = np.dtype(np.float64)
    return _finish(e, e.fop("fdiv", reg(dt), x, y), dt, out)


def _safe_divisor(e, ty, b, signed):
    """b with 0 (and -1 for signed types, whose INT_MIN / -1 traps) replaced by 1."""
    bad = e.icmp("eq", ty, b, "0")
    if signed:
        bad = e.iop("or", "i1", bad, e.icmp("eq", ty, b, "-1"))
    return e.select(bad, ty, "1", b)


def _int_floordiv(e, ty, a, b, signed):
    # Floor division; x // 0 is 0 and x // -1 wraps, as NumPy.
    if not signed:
        q = e.iop("udiv", ty, a, _safe_divisor(e, ty, b, False))
        return e.select(e.icmp("eq", ty, b, "0"), ty, "0", q)
    safe = _safe_divisor(e, ty, b, True)
    q = e.iop("sdiv", ty, a, safe)
    r = e.iop("srem", ty, a, safe)
    adjust = e.iop("and", "i1", e.icmp("ne", ty, r, "0"),
                   e.iop("xor", "i1", e.icmp("slt", ty, r, "0"), e.icmp("slt", ty, b, "0")))
    q = e.select(adjust, ty, e.iop("sub", ty, q, "1"), q)
    q = e.select(e.icmp("eq", ty, b, "-1"), ty, e.iop("sub", ty, "0", a), q)
    return e.select(e.icmp("eq", ty, b, "0"), ty, "0", q)


def _int_remainder(e, ty, a, b, signed):
    # Python's modulo (the sign of b); x % 0 is 0, as NumPy.
    if not signed:
        r = e.iop("urem", ty, a, _safe_divisor(e, ty, b, False))
        return e.select(e.icmp("eq", ty, b, "0"), ty, "0", r)
    r = e.iop("srem", ty, a, _safe_divisor(e, ty, b, True))
    adjust = e.iop("and", "i1", e.icmp("ne", ty, r, "0"),
                   e.iop("xor", "i1", e.icmp("slt", ty, r, "0"), e.icmp("slt", ty, b, "0")))
    r = e.select(adjust, ty, e.iop("add", ty, r, b), r)
    bad = e.iop("or", "i1", e.icmp("eq", ty, b, "0"), e.icmp("eq", ty, b, "-1"))
    return e.select(bad, ty, "0", r)


def _int_fmod(e, ty, a, b, signed):
    # C remainder (the sign of a); 0 when b == 0, as NumPy.
    if not signed:
        r = e.iop("urem", ty, a, _safe_divisor(e, ty, b, False))
    else:
        r = e.iop("srem", ty, a, _safe_divisor(e, ty, b, True))
        r = e.select(e.icmp("eq", ty, b, "-1"), ty, "0", r)
    return e.select(e.icmp("eq", ty, b, "0"), ty, "0", r)


def _float_or_int(float_build, int_build):
    def build(e, a, dt, out, p, in_loop):
        ty = reg(dt)
        if is_float(dt):
            y = float_build(e, ty, a[0], a[1])
        else:
            y = int_build(e, ty, a[0], a[1], is_signed(dt))
        return _finish(e, y, dt, out)
    return build


def _float64_helper2(name):
    """A (double, double) -> double helper; float32 widens and rounds once."""
    def build(e, ty, x, y):
        if ty == "float":
            x, y = (e.cast("fpext", "float", v, "double") for v in (x, y))
        r = e.helper(name, "double", [("double", x), ("double", y)])
        return e.cast("fptrunc", "double", r, "float") if ty == "float" else r
    return build


def _int_power(e, ty, x, y, signed):
    return e.helper(f"_power_{'i' if signed else 'u'}{ty[1:]}", ty, [(ty, x), (ty, y)])


def _maximum(larger):
    return lambda e, a, dt, out, p, in_loop: _finish(e, extreme(e, larger, dt, *a), dt, out)


def _binary_libm(name):
    def build(e, a, dt, out, p, in_loop):
        ty = reg(dt)
        fn = name + ("f" if ty == "float" else "")
        return _finish(e, e.call(ty, fn, [(ty, a[0]), (ty, a[1])]), dt, out)
    return build


def _copysign(e, a, dt, out, p, in_loop):
    return _finish(e, e.intrinsic("copysign", reg(dt), a[0], a[1]), dt, out)


def _bitwise(op):
    return lambda e, a, dt, out, p, in_loop: _finish(e, e.iop(op, reg(dt), a[0], a[1]),
                                                     dt, out)


def _shift(direction):
    """NumPy's shifts ("left", or "right": arithmetic for signed types). LLVM's shifts
    are poison for counts outside [0, bits); NumPy shifts every bit out there (0, or
    the sign for a signed right shift). An unsigned compare catches negative counts."""
    def build(e, a, dt, out, p, in_loop):
        ty, (x, n) = reg(dt), a
        bits = dt.itemsize * 8
        inside = e.icmp("ult", ty, n, str(bits))
        count = e.select(inside, ty, n, "0")
        if direction == "left":
            y, spill = e.iop("shl", ty, x, count), "0"
        elif is_signed(dt):
            y, spill = e.iop("ashr", ty, x, count), e.iop("ashr", ty, x, str(bits - 1))
        else:
            y, spill = e.iop("lshr", ty, x, count), "0"
        return _finish(e, e.select(inside, ty, y, spill), dt, out)
    return build


def _erf_inv(e, a, dt, out, p, in_loop):
    ty = reg(dt)
    return _finish(e, e.helper(f"_erf_inv_f{dt.itemsize * 8}", ty, [(ty, a[0])]), dt, out)


_FLOAT_COMPARE = {"eq": "oeq", "ne": "une", "lt": "olt", "le": "ole", "gt": "ogt",
                  "ge": "oge"}
_INT_COMPARE = {"eq": ("eq", "eq"), "ne": ("ne", "ne"), "lt": ("slt", "ult"),
                "le": ("sle", "ule"), "gt": ("sgt", "ugt"), "ge": ("sge", "uge")}


def _compare(name):
    def build(e, a, dt, out, p, in_loop):
        ty = reg(dt)
        if is_float(dt):
            return e.fcmp(_FLOAT_COMPARE[name], ty, a[0], a[1])
        signed, unsigned = _INT_COMPARE[name]
        return e.icmp(signed if is_signed(dt) else unsigned, ty, a[0], a[1])
    return build


def _select(e, a, dt, out, p, in_loop):
    return _finish(e, e.select(a[0], reg(dt), a[1], a[2]), dt, out)


def _convert(e, a, dt, out, p, in_loop):
    return convert(e, a[0], dt, out)


def _pow(e, a, dt, out, p, in_loop):
    ty = reg(dt)
    if is_float(dt):
        return _finish(e, e.intrinsic("pow", ty, a[0], a[1]), dt, out)
    return _finish(e, _int_power(e, ty, a[0], a[1], is_signed(dt)), dt, out)


# C math functions LLVM knows as intrinsics (it can fold and widen them).
_LLVM_INTRINSICS = {"log", "log2", "log10", "sqrt", "exp2", "sin", "cos", "exp"}


def _c_library(row):
    """The default rule of a row that names a C function: call it (float operands)."""
    if row.arity == 2:
        return _binary_libm(row.libm)
    return _llvm(row.libm) if row.libm in _LLVM_INTRINSICS else _libm(row.libm)


# Primitives the C library default does not cover, or covers less well.
RULES = {name: _vector_math(name, helper) for name, helper in FLOAT_FUNCTIONS.items()}
RULES.update({
    "neg": _neg, "abs": _abs, "sign": _sign,
    "floor": _rounding("floor"), "ceil": _rounding("ceil"), "trunc": _rounding("trunc"),
    "round": _rounding("rint"),                    # round half to even, as np.round
    "logistic": _via_float64_helper(lambda p: "_logistic"),
    "lgamma": _via_float64_helper(lambda p: "_lgamma"),
    "polygamma": _via_float64_helper(lambda p: f"_polygamma_{int(p['order'])}"),
    "not": _not,
    "isnan": _predicate(lambda e, ty, x: e.fcmp("uno", ty, x, x), "false"),
    "isinf": _predicate(_isinf, "false"),
    "isfinite": _predicate(_isfinite, "true"),
    "add": _arith("fadd", "add", "or"), "sub": _arith("fsub", "sub"),
    "mul": _arith("fmul", "mul", "and"), "div": _div,
    "floordiv": _float_or_int(_float64_helper2("_floordiv_float"), _int_floordiv),
    "rem": _float_or_int(_float64_helper2("_remainder_float"), _int_remainder),
    "fmod": _float_or_int(lambda e, ty, x, y: e.fop("frem", ty, x, y, ""), _int_fmod),
    "pow": _pow,
    "max": _maximum(True), "min": _maximum(False),
    "copysign": _copysign,
    "and": _bitwise("and"), "or": _bitwise("or"), "xor": _bitwise("xor"),
    "shift_left": _shift("left"), "shift_right": _shift("right"),
    "threefry2x32": emit_threefry, "erf_inv": _erf_inv,
    "select": _select, "convert": _convert,
    "stop_gradient": lambda e, a, dt, out, p, in_loop: a[0],
})
RULES.update({name: _compare(name) for name in _FLOAT_COMPARE})

# Per-element cost (rough cycles; only ratios matter) where it differs from the default:
# a C library call costs C_CALL, anything else CHEAP. Read by cost.py.
CHEAP, C_CALL = 1.0, 20.0
COST = {
    "div": 4.0, "floordiv": 8.0, "rem": 8.0, "fmod": 8.0, "sqrt": 4.0, "pow": 30.0,
    "exp": 12.0, "exp2": 15.0, "expm1": 20.0, "log": 15.0, "log2": 15.0,
    "log10": 15.0, "log1p": 20.0, "sin": 20.0, "cos": 20.0, "tan": 25.0, "asin": 25.0,
    "acos": 25.0, "atan": 20.0, "sinh": 20.0, "cosh": 20.0, "tanh": 15.0, "asinh": 30.0,
    "acosh": 30.0, "atanh": 30.0, "logistic": 15.0, "erf": 20.0, "erfc": 20.0,
    "cbrt": 20.0, "atan2": 30.0, "nextafter": 5.0, "stop_gradient": 0.0,
    "erf_inv": 40.0, "threefry2x32": 60.0,      # a log and polynomials; 20 cipher rounds
}


def _rule(name, expr, default_cost):
    helper = dict(TRIG_FUNCTIONS).get(name)
    guarded = Guarded(_float_helper(helper), outside_domain) if helper else None
    return Rule(expr, guarded, COST.get(name, default_cost))


TABLE: dict[str, Rule] = {row.name: _rule(row.name, _c_library(row), C_CALL)
                          for row in ROWS if row.libm and row.name not in RULES}
TABLE.update({name: _rule(name, expr, CHEAP) for name, expr in RULES.items()})

# The kinds code generation has kernels or index arithmetic for (a CALL is inlined first).
SUPPORTED_KINDS = LOOP + (DOT, SCATTER, SORT, CONTROL, CALLBACK, LINALG)


def rule(name: str) -> Rule:
    try:
        return TABLE[name]
    except KeyError:
        raise MissingRuleError(
            f"code generation has no rule for primitive {name!r}; add it to "
            f"tracegrad/codegen/emit_table.py") from None


def check_supported(node) -> None:
    """MissingRuleError unless code generation can compile this node."""
    if node.prim.kind == ELEMENTWISE_KIND:
        rule(node.prim.name)
    elif node.prim.kind not in SUPPORTED_KINDS:
        raise MissingRuleError(
            f"code generation has no kernel for primitive {node.prim.name!r} "
            f"(kind {node.prim.kind!r})")


__all__ = ["Rule", "Guarded", "TABLE", "COST", "rule", "check_supported", "FLOAT_FLAGS"]
