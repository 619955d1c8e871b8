"""Op-table rows for the integer bit shifts (NumPy's left_shift/right_shift and the <<, >>
operators; counts beyond the width and negative counts included, where NumPy shifts every
bit out; JAX's shift_right_logical/_arithmetic, whose oracle is NumPy's shift of the bits
viewed as the other signedness) and for erf_inv (scipy.special.erfinv, the inverse CDF
behind normal draws)."""
import numpy as np
import scipy.special as sp

import tracegrad.scipy.special  # noqa: F401  (SciPy's ufuncs dispatch once it is loaded)
from tracegrad import lax

from .generators import arrays, one_arg
from .op_table import BINARY_SHAPES, UNARY_SHAPES, Row, unary
from .rows_dynamic import either
from .rows_full import with_edges

SHIFTED = (np.int32, np.int64, np.uint32, np.uint8)


def _words(rng, dtype, shape):
    """Any value of the integer dtype (all bits random, the sign bit included)."""
    info = np.iinfo(dtype)
    return np.asarray(rng.integers(info.min, info.max, shape, endpoint=True), dtype=dtype)


def _counts(rng, dtype, shape):
    """Shift counts in [0, bits) mostly, some at or past the width and, for signed
    types, negative ones."""
    bits = np.dtype(dtype).itemsize * 8
    low = -3 if np.dtype(dtype).kind == "i" else 0
    return np.asarray(rng.integers(low, bits + 4, shape), dtype=dtype)


def _shift_cases():
    return arrays(BINARY_SHAPES, _words, _counts)


def _viewed_as(kind):
    """NumPy's right_shift on the bits of x and n read as signed ("i") or unsigned."""
    def reference(x, n):
        as_kind = np.dtype(f"{kind}{x.dtype.itemsize}")
        return np.right_shift(x.astype(as_kind), n.astype(as_kind)).astype(x.dtype)
    return reference


ROWS = [
    Row("left_shift", lambda xp, x, n: xp.left_shift(x, n), _shift_cases(), dtypes=SHIFTED,
        grad_order=0),
    Row("right_shift", lambda xp, x, n: xp.right_shift(x, n), _shift_cases(),
        dtypes=SHIFTED, grad_order=0),
    Row("op_lshift", lambda xp, x, n: x << n, _shift_cases(), dtypes=SHIFTED, grad_order=0),
    Row("op_rshift_python", lambda xp, x: x >> 3, arrays(one_arg(UNARY_SHAPES), _words),
        dtypes=SHIFTED, grad_order=0),
    Row("op_rlshift_python", lambda xp, x: 1 << (x & 7), arrays(one_arg(UNARY_SHAPES), _words),
        dtypes=SHIFTED, grad_order=0),
    Row("lax_shift_right_logical",
        either(_viewed_as("u"), lax.shift_right_logical), _shift_cases(), dtypes=SHIFTED,
        grad_order=0),
    Row("lax_shift_right_arithmetic",
        either(_viewed_as("i"), lax.shift_right_arithmetic), _shift_cases(), dtypes=SHIFTED,
        grad_order=0),
    Row("sp_erfinv", lambda xp, x: sp.erfinv(x),
        with_edges([0.0, -0.0, 1.0, -1.0, 0.5, -0.999999, 0.9999999, 1.5, np.nan], -0.999,
                   0.999),
        grad_cases=unary(-0.9, 0.9)),
]
