"""erf_inv as LLVM IR helpers (float32 and float64): the branches and coefficients of
ir/special.py, in the same order of operations as its NumPy reference, every branch
computed and then selected (no control flow, so loops that call it can vectorize)."""
from __future__ import annotations

import math

import numpy as np

from ..ir.special import ERF_INV_BRANCHES
from .irtext import Function, const, reg
from .mathlib import PURE


def _erf_inv(dtype) -> Function:
    dtype = np.dtype(dtype)
    ty = reg(dtype)
    f = Function(f"_erf_inv_f{dtype.itemsize * 8}", ty, [(ty, "x")], PURE)
    e = f.emitter()

    def c(value):
        return const(value, dtype)
    x, one = "%x", c(1.0)
    w = e.fneg(ty, e.intrinsic("log", ty, e.fop("fmul", ty, e.fop("fsub", ty, one, x),
                                                 e.fop("fadd", ty, one, x))))
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
                   "_erf_inv_f64": lambda: _erf_inv(np.float64)}
