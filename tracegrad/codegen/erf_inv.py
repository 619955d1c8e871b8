"""erf_inv as LLVM IR helpers (float32 and float64): the branches and coefficients of
ir/special.py, in the same order of operations as its NumPy reference, every branch
computed and then selected, and its logarithm computed here rather than by libm (which
PyPI's llvmlite cannot vectorize): no calls, no control flow, so loops of erf_inv —
normal draws — vectorize."""
from __future__ import annotations

import math

import numpy as np

from ..ir.special import ERF_INV_BRANCHES
from .irtext import Function, const, reg
from .mathlib import LN2_HI, LN2_LO, PURE, D, float64_function

MANTISSA = (1 << 52) - 1
ONE_BITS = 1023 << 52                # the exponent bits of 1.0
SQRT2 = math.sqrt(2.0)
# log(m) = 2 atanh(s) = 2 s (1 + z/3 + z^2/5 + ...), s = (m - 1)/(m + 1), z = s^2: with
# m in [sqrt(1/2), sqrt(2)], |s| < 0.172 and the terms through z^10 leave 1e-18 relative.
ATANH_SERIES = tuple(1.0 / (2 * k + 1) for k in range(10, -1, -1))   # highest degree first


def _log_positive(d: D, a):
    """log(a) for normal a > 0 (2 ULP): a = m 2^k from the bits; 0 gives -inf, negative
    numbers and NaN give NaN. (erf_inv's arguments (1 - x)(1 + x) are never subnormal.)"""
    e = d.e
    bits = d.bits(a)
    k = e.iop("sub", "i64", e.iop("lshr", "i64", bits, "52"), "1023")
    m = d.from_bits(e.iop("or", "i64", e.iop("and", "i64", bits, str(MANTISSA)),
                          str(ONE_BITS)))
    big = d.gt(m, d.c(SQRT2))
    m = d.select(big, d.mul(m, d.c(0.5)), m)
    k = e.select(big, "i64", e.iop("add", "i64", k, "1"), k)
    f = d.sub(m, d.c(1.0))                         # exact (Sterbenz)
    s = d.div(f, d.add(f, d.c(2.0)))
    log_m = d.mul(d.mul(d.c(2.0), s), d.horner(d.mul(s, s), ATANH_SERIES))
    kf = e.cast("sitofp", "i64", k, "double")
    y = d.add(d.mul(kf, d.c(LN2_HI)), d.add(d.mul(kf, d.c(LN2_LO)), log_m))
    y = d.select(e.fcmp("oeq", "double", a, d.c(0.0)), d.c(-math.inf), y)
    return d.select(e.fcmp("oge", "double", a, d.c(0.0)), y, d.c(math.nan))


def _erf_inv(dtype) -> Function:
    dtype = np.dtype(dtype)
    ty = reg(dtype)
    f = Function(f"_erf_inv_f{dtype.itemsize * 8}", ty, [(ty, "x")], PURE)
    e = f.emitter()

    def c(value):
        return const(value, dtype)
    x, one = "%x", c(1.0)
    product = e.fop("fmul", ty, e.fop("fsub", ty, one, x), e.fop("fadd", ty, one, x))
    if ty == "float":                  # float32: the float64 logarithm, rounded once
        wide = e.cast("fpext", "float", product, "double")
        log = e.cast("fptrunc", "double", e.helper("_log_positive", "double",
                                                   [("double", wide)]), "float")
    else:
        log = e.helper("_log_positive", "double", [("double", product)])
    w = e.fneg(ty, log)
    root = e.intrinsic("sqrt", ty, w)
    result = None
    for below, use_root, shift, coeffs in reversed(ERF_INV_BRANCHES[dtype]):
        t = e.fop("fsub", ty, root if use_root else w, c(shift))
        p = c(coeffs[0])
        for k in coeffs[1:]:
            p = e.fop("fadd", ty, c(k), e.fop("fmul", ty, p, t))
        result = p if result is None else \
            e.select(e.fcmp("olt", ty, w, c(below)), ty, p, result)
    unit = e.fcmp("oeq", ty, e.intrinsic("fabs", ty, x), one)     # erf_inv(+-1) = +-inf
    value = e.select(unit, ty, e.fop("fmul", ty, x, c(math.inf)), e.fop("fmul", ty, result, x))
    e.do(f"ret {ty} {value}")
    return f


ERF_INV_HELPERS = {"_erf_inv_f32": lambda: _erf_inv(np.float32),
                   "_erf_inv_f64": lambda: _erf_inv(np.float64),
                   "_log_positive": lambda: float64_function("_log_positive", _log_positive)}
