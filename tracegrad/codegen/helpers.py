"""Scalar helper functions that generated modules define when their kernels call them:
the vectorizable math library (mathlib.py, trig.py), NumPy's float floor-division and
remainder, integer power, logistic, lgamma, polygamma and erf_inv (erf_inv.py).

Each helper is a function `() -> irtext.Function`, so a module defines only the helpers
it uses, with the helpers those call (`module_helpers`)."""
from __future__ import annotations

import math

import numpy as np

from .erf_inv import ERF_INV_HELPERS
from .irtext import Function, convert, double_hex, is_float, is_signed, reg
from .mathlib import MATH_HELPERS, PURE, D, float64_function
from .trig import TRIG_HELPERS

INF = double_hex(float("inf"))
NAN = double_hex(float("nan"))


def _floordiv_float(d: D, a, b):
    # NumPy's npy_floor_divide: floor of the exact quotient; a / b when b == 0.
    e = d.e
    mod = e.fop("frem", "double", a, b)
    div = d.div(d.sub(a, mod), b)
    b_neg, mod_neg = d.lt(b, d.c(0.0)), d.lt(mod, d.c(0.0))
    adjust = e.iop("and", "i1", e.fcmp("une", "double", mod, d.c(0.0)),
                   e.iop("xor", "i1", b_neg, mod_neg))
    div = d.select(adjust, d.sub(div, d.c(1.0)), div)
    floor = e.intrinsic("floor", "double", div)
    floor = d.select(d.gt(d.sub(div, floor), d.c(0.5)), d.add(floor, d.c(1.0)), floor)
    quotient = d.div(a, b)
    zero = e.intrinsic("copysign", "double", d.c(0.0), quotient)
    result = d.select(e.fcmp("une", "double", div, d.c(0.0)), floor, zero)
    return d.select(e.fcmp("oeq", "double", b, d.c(0.0)), quotient, result)


def _remainder_float(d: D, a, b):
    # NumPy's npy_remainder: the result takes the sign of b.
    e = d.e
    mod = e.fop("frem", "double", a, b)
    nonzero = e.fcmp("une", "double", mod, d.c(0.0))
    flip = e.iop("xor", "i1", d.lt(b, d.c(0.0)), d.lt(mod, d.c(0.0)))
    adjusted = d.select(flip, d.add(mod, b), mod)
    signed_zero = e.intrinsic("copysign", "double", d.c(0.0), b)
    result = d.select(nonzero, adjusted, signed_zero)
    return d.select(e.fcmp("oeq", "double", b, d.c(0.0)), mod, result)


def _binary_float64(name, body):
    f = Function(name, "double", [("double", "a"), ("double", "b")], PURE)
    e = f.emitter()
    e.do(f"ret double {body(D(e), '%a', '%b')}")
    return f


def _logistic(d: D, x):
    # Stable in both tails: exp of a non-positive number only.
    e = d.e
    ex = e.helper("_exp_f64", "double", [("double", d.neg(d.fabs(x)))])
    one_plus = d.add(d.c(1.0), ex)
    return d.select(e.fcmp("oge", "double", x, d.c(0.0)), d.div(d.c(1.0), one_plus),
                    d.div(ex, one_plus))


def _lgamma() -> Function:
    # log|Gamma(x)|: +inf at the poles; -inf at -inf, as scipy.special.gammaln.
    # lgamma_r, not lgamma: lgamma writes the global `signgam` (a data race in threads).
    f = Function("_lgamma", "double", [("double", "x")], "nounwind")
    sign = f.alloca("i32", "sign")
    e = f.emitter()
    y = e.call("double", "lgamma_r", [("double", "%x"), ("ptr", sign)])
    minus_inf = e.fcmp("oeq", "double", "%x", double_hex(-math.inf))
    e.do(f"ret double {e.select(minus_inf, 'double', double_hex(-math.inf), y)}")
    return f


# Bernoulli numbers B_2, B_4, ..., B_18 for the asymptotic series of polygamma.
_BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510,
              43867 / 798]
_SHIFT_TO = 12.0


def _polygamma(n: int) -> Function:
    """psi^(n)(x) on float64: the upward recurrence to x >= 12, then the asymptotic
    series; digamma of x < 0.5 by reflection. Poles as scipy.special.polygamma."""
    f = Function(f"_polygamma_{n}", "double", [("double", "x")], "nounwind")
    acc_slot, y_slot = f.alloca("double", "acc"), f.alloca("double", "y")
    e = f.emitter()
    d = D(e)
    x = "%x"
    nan_or_minus_inf = e.iop("or", "i1", e.fcmp("uno", "double", x, x),
                             e.fcmp("oeq", "double", x, double_hex(-math.inf)))
    pole = e.iop("and", "i1", e.fcmp("ole", "double", x, d.c(0.0)),
                 e.fcmp("oeq", "double", x, e.intrinsic("floor", "double", x)))
    if n == 0:
        inf_signed = e.intrinsic("copysign", "double", INF, x)
        pole_value = d.select(e.fcmp("oeq", "double", x, d.c(0.0)), d.neg(inf_signed), NAN)
        reflect = d.lt(x, d.c(0.5))
    else:
        pole_value = INF if n % 2 == 1 else double_hex(-math.inf)
        reflect = "false"
    special = e.iop("or", "i1", nan_or_minus_inf, pole)
    start = d.select(reflect, d.sub(d.c(1.0), x), x)
    start = d.select(special, d.c(_SHIFT_TO), start)
    e.do(f"store double {start}, ptr {y_slot}")
    e.do(f"store double {d.c(0.0)}, ptr {acc_slot}")
    sign_n = math.factorial(n) * (1 if n % 2 == 0 else -1)
    head, body, done = f.label("shift"), f.label("step"), f.label("series")
    e.do(f"br label %{head}")
    f.block(head)
    y = e(f"load double, ptr {y_slot}")
    e.do(f"br i1 {d.lt(y, d.c(_SHIFT_TO))}, label %{body}, label %{done}")
    f.block(body)
    # psi^(n)(y) = psi^(n)(y + 1) - (-1)^n n! / y^(n+1)
    acc = e(f"load double, ptr {acc_slot}")
    term = d.div(d.c(sign_n), e.intrinsic("pow", "double", y, d.c(n + 1)))
    e.do(f"store double {d.sub(acc, term)}, ptr {acc_slot}")
    e.do(f"store double {d.add(y, d.c(1.0))}, ptr {y_slot}")
    e.do(f"br label %{head}")
    f.block(done)
    acc = e(f"load double, ptr {acc_slot}")

    def power(m):
        return e.intrinsic("pow", "double", y, d.c(m))
    if n == 0:
        total = d.sub(e.intrinsic("log", "double", y), d.div(d.c(0.5), y))
        for k, b in enumerate(_BERNOULLI, start=1):
            total = d.sub(total, d.div(d.c(b), d.mul(d.c(2 * k), power(2 * k))))
    else:
        total = d.add(d.div(d.c(math.gamma(n)), power(n)),
                      d.div(d.c(math.factorial(n)), d.mul(d.c(2.0), power(n + 1))))
        for k, b in enumerate(_BERNOULLI, start=1):
            coeff = b * math.gamma(2.0 * k + n) / math.gamma(2.0 * k + 1)
            total = d.add(total, d.div(d.c(coeff), power(2 * k + n)))
        if n % 2 == 0:
            total = d.neg(total)
    value = d.add(acc, total)
    if n == 0:
        pi = d.c(math.pi)
        reflected = d.sub(value, d.div(pi, e.call("double", "tan", [("double", d.mul(pi, x))])))
        value = d.select(reflect, reflected, value)
        value = d.select(e.fcmp("oeq", "double", x, INF), INF, value)
    else:
        value = d.select(e.fcmp("oeq", "double", x, INF), d.c(0.0), value)
    value = d.select(pole, pole_value, value)
    value = d.select(nan_or_minus_inf, NAN, value)
    e.do(f"ret double {value}")
    return f


def _power_int(ty: str, signed: bool) -> Function:
    """Square-and-multiply with wrapping integer arithmetic, as NumPy's integer power;
    a negative exponent gives 1 for a == 1 and 0 otherwise."""
    name = f"_power_{'i' if signed else 'u'}{ty[1:]}"
    f = Function(name, ty, [(ty, "a"), (ty, "b")], "nounwind willreturn memory(none)")
    result, base, exp = f.alloca(ty, "result"), f.alloca(ty, "base"), f.alloca(ty, "exp")
    e = f.emitter()
    negative, head, body, done = (f.label(h) for h in ("negative", "head", "body", "done"))
    if signed:
        e.do(f"br i1 {e.icmp('slt', ty, '%b', '0')}, label %{negative}, label %{head}.pre")
        f.block(negative)
        one = e.cast("zext", "i1", e.icmp("eq", ty, "%a", "1"), ty)
        e.do(f"ret {ty} {one}")
        f.block(f"{head}.pre")
    e.do(f"store {ty} 1, ptr {result}")
    e.do(f"store {ty} %a, ptr {base}")
    e.do(f"store {ty} %b, ptr {exp}")
    e.do(f"br label %{head}")
    f.block(head)
    b = e(f"load {ty}, ptr {exp}")
    e.do(f"br i1 {e.icmp('ne', ty, b, '0')}, label %{body}, label %{done}")
    f.block(body)
    r, x = e(f"load {ty}, ptr {result}"), e(f"load {ty}, ptr {base}")
    odd = e.icmp("ne", ty, e.iop("and", ty, b, "1"), "0")
    e.do(f"store {ty} {e.select(odd, ty, e.iop('mul', ty, r, x), r)}, ptr {result}")
    e.do(f"store {ty} {e.iop('mul', ty, x, x)}, ptr {base}")
    e.do(f"store {ty} {e.iop('lshr', ty, b, '1')}, ptr {exp}")
    e.do(f"br label %{head}")
    f.block(done)
    e.do(f"ret {ty} {e(f'load {ty}, ptr {result}')}")
    return f


def _sort_line(tag: str, index_tag: str) -> Function:
    """Stable bottom-up merge sort of one line: perm = argsort(line) (NaNs last), then
    values[t * stride] = line[perm[t]] and order[t * stride] = perm[t]."""
    dtype, index_dtype = _from_tag(tag), _from_tag(index_tag)
    f = Function(f"_sort_line_{tag}_{index_tag}", "void",
                 [("ptr", "line"), ("ptr", "perm"), ("ptr", "tmp"), ("i64", "n"),
                  ("ptr", "values"), ("ptr", "order"), ("i64", "stride")], "nounwind")
    slots = {name: f.alloca("ptr" if name in ("src", "dst") else "i64", name)
             for name in ("t", "width", "lo", "i", "j", "k", "src", "dst")}
    e = f.emitter()

    def get(name):
        return e(f"load {'ptr' if name in ('src', 'dst') else 'i64'}, ptr {slots[name]}",
                 name)

    def put(name, value):
        e.do(f"store {'ptr' if name in ('src', 'dst') else 'i64'} {value}, ptr {slots[name]}")

    def loop(name, test, body, after):
        """while test(): body()  (blocks named after `name`)."""
        head, inside, done = f.label(f"{name}.test"), f.label(name), f.label(f"{name}.end")
        f.branch(head)
        e.do(f"br i1 {test()}, label %{inside}, label %{done}")
        f.block(inside)
        body()
        e.do(f"br label %{head}")
        f.block(done)
        after()

    def key(src, position):
        return e.load(dtype, "%line", e.load(np.int64, src, position))

    def less(a, b):
        ty = reg(dtype)
        if is_float(dtype):
            nan_b = e.iop("and", "i1", e.fcmp("uno", ty, b, b), e.fcmp("ord", ty, a, a))
            return e.iop("or", "i1", e.fcmp("olt", ty, a, b), nan_b)
        return e.icmp("slt" if is_signed(dtype) else "ult", ty, a, b)

    put("t", "0")
    loop("init", lambda: e.icmp("slt", "i64", get("t"), "%n"),
         lambda: (e.store(np.int64, get("t"), "%perm", get("t")),
                  put("t", e.iop("add", "i64", get("t"), "1"))), lambda: None)
    put("src", "%perm")
    put("dst", "%tmp")
    put("width", "1")

    def merge_step():
        src, dst = get("src"), get("dst")
        i, j, k = get("i"), get("j"), get("k")
        lo, width = get("lo"), get("width")
        mid = e.call("i64", "llvm.smin.i64", [("i64", e.iop("add", "i64", lo, width)),
                                              ("i64", "%n")])
        hi = e.call("i64", "llvm.smin.i64", [("i64", e.iop("add", "i64", mid, width)),
                                             ("i64", "%n")])
        left_ok, right_ok = e.icmp("slt", "i64", i, mid), e.icmp("slt", "i64", j, hi)
        left = key(src, e.select(left_ok, "i64", i, lo))
        right = key(src, e.select(right_ok, "i64", j, lo))
        right_first = e.iop("and", "i1", right_ok, less(right, left))
        take_left = e.iop("and", "i1", left_ok, e.iop("xor", "i1", right_first, "true"))
        chosen = e.select(take_left, "i64", i, j)
        e.store(np.int64, e.load(np.int64, src, chosen), dst, k)
        step = e.cast("zext", "i1", take_left, "i64")
        put("i", e.iop("add", "i64", i, step))
        put("j", e.iop("add", "i64", j, e.iop("sub", "i64", "1", step)))
        put("k", e.iop("add", "i64", k, "1"))

    def merge_run():
        lo, width = get("lo"), get("width")
        mid = e.call("i64", "llvm.smin.i64", [("i64", e.iop("add", "i64", lo, width)),
                                              ("i64", "%n")])
        put("i", lo)
        put("j", mid)
        put("k", lo)

        def more():
            end = e.call("i64", "llvm.smin.i64",
                         [("i64", e.iop("add", "i64", get("lo"),
                                        e.iop("mul", "i64", get("width"), "2"))),
                          ("i64", "%n")])
            return e.icmp("slt", "i64", get("k"), end)
        loop("merge", more, merge_step,
             lambda: put("lo", e.iop("add", "i64", get("lo"),
                                     e.iop("mul", "i64", get("width"), "2"))))

    def one_pass():
        put("lo", "0")
        loop("runs", lambda: e.icmp("slt", "i64", get("lo"), "%n"), merge_run, lambda: None)
        src, dst = get("src"), get("dst")
        put("src", dst)
        put("dst", src)
        put("width", e.iop("mul", "i64", get("width"), "2"))

    loop("pass", lambda: e.icmp("slt", "i64", get("width"), "%n"), one_pass, lambda: None)
    put("t", "0")

    def write():
        t = get("t")
        p = e.load(np.int64, get("src"), t)
        at = e.iop("mul", "i64", t, "%stride")
        e.store(dtype, e.load(dtype, "%line", p), "%values", at)
        e.store(index_dtype, convert(e, p, np.int64, index_dtype), "%order", at)
        put("t", e.iop("add", "i64", t, "1"))
    loop("write", lambda: e.icmp("slt", "i64", get("t"), "%n"), write, lambda: None)
    e.do("ret void")
    return f


def _from_tag(tag: str) -> np.dtype:
    return np.dtype(np.bool_) if tag == "b" else np.dtype(f"{tag[0]}{int(tag[1:]) // 8}")


HELPERS = {
    "_floordiv_float": lambda: _binary_float64("_floordiv_float", _floordiv_float),
    "_remainder_float": lambda: _binary_float64("_remainder_float", _remainder_float),
    "_logistic": lambda: float64_function("_logistic", _logistic),
    "_lgamma": _lgamma,
}
HELPERS.update(MATH_HELPERS)     # exp, expm1, tanh that vectorize (see mathlib.py)
HELPERS.update(TRIG_HELPERS)     # sin, cos that vectorize (see trig.py)
HELPERS.update(ERF_INV_HELPERS)  # erf_inv without branches (see erf_inv.py)
for _bits in (8, 16, 32, 64):
    for _signed in (True, False):
        HELPERS[f"_power_{'i' if _signed else 'u'}{_bits}"] = (
            lambda ty, s: lambda: _power_int(ty, s))(f"i{_bits}", _signed)


def definition(name: str) -> Function:
    if name.startswith("_polygamma_"):          # one helper per derivative order
        return _polygamma(int(name[len("_polygamma_"):]))
    if name.startswith("_sort_line_"):          # one helper per value and index dtype
        return _sort_line(*name[len("_sort_line_"):].split("_"))
    if name not in HELPERS:
        raise KeyError(f"generated code calls an unknown helper {name!r}")
    return HELPERS[name]()


def module_helpers(used: set) -> list:
    """Definitions (text) of the helpers in `used` and of every helper they call, each
    once, in a stable order."""
    texts, seen = {}, set()
    pending = sorted(used)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        fn = definition(name)
        texts[name] = fn.text()
        pending.extend(sorted(fn.helpers - seen))
    return [texts[name] for name in sorted(texts)]
