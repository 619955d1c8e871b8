"""Op-table rows for NumPy 2's array-API names (acos, ..., pow, concat, permute_dims,
cumulative_sum/prod, vecdot/matvec/vecmat), the NaN-ignoring reductions, the polynomial
helpers and cov/corrcoef (tracegrad/numpy/tail_more.py)."""
import numpy as np

from .op_table import Row, unary
from .rows_tail import BOTH, shapes


def with_nans(*shape_list):
    """Random values with some NaNs, and one all-NaN row."""
    def cases(rng, dtype):
        out = []
        for s in shape_list:
            a = rng.uniform(-2, 2, s)
            a[rng.uniform(size=s) < 0.25] = np.nan
            out.append((a.astype(dtype),))
        a = rng.uniform(-2, 2, (3, 4))
        a[1] = np.nan
        out.append((a.astype(dtype),))
        return out
    return cases


def few_nans(rng, dtype):
    """A NaN in some columns, at least two values left in each (a finite, smooth std)."""
    a = rng.uniform(-2, 2, (4, 5))
    a[0, 1] = a[2, 3] = a[3, 1] = np.nan
    return [(a.astype(dtype),)]


def clean(*shape_list):
    return shapes(*[(s,) for s in shape_list])


ROWS = [
    Row("acos_alias", lambda xp, x: (xp.acos(x), xp.asin(x), xp.atan(x), xp.asinh(x)),
        unary(-0.9, 0.9)),
    Row("acosh_alias", lambda xp, x: (xp.acosh(x), xp.atanh(1.0 / x)), unary(1.1, 3.0)),
    Row("atan2_pow_alias", lambda xp, x, y: (xp.atan2(x, y), xp.pow(xp.abs(x) + 0.5, y)),
        shapes(((3, 4), (4,)), ((5,), ())), grad_argnums=BOTH),
    Row("concat", lambda xp, x, y: xp.concat([x, y], axis=-1),
        shapes(((2, 3), (2, 1)), ((0,), (3,))), grad_argnums=BOTH),
    Row("permute_dims", lambda xp, x: xp.permute_dims(x, (2, 0, 1)), clean((2, 3, 4))),
    Row("cumulative_sum", lambda xp, x: xp.cumulative_sum(x, axis=-1, include_initial=True),
        clean((3, 4), (0, 2), (2, 3, 1))),
    Row("cumulative_sum_1d", lambda xp, x: xp.cumulative_sum(x), clean((5,), (0,))),
    Row("cumulative_prod",
        lambda xp, x: xp.cumulative_prod(x, axis=0, include_initial=True),
        clean((3, 4), (1, 2))),
    Row("vecdot", lambda xp, x, y: xp.vecdot(x, y),
        shapes(((2, 3, 5), (5,)), ((4,), (3, 4))), grad_argnums=BOTH),
    Row("vecdot_axis", lambda xp, x, y: xp.vecdot(x, y, axis=0), shapes(((3, 4), (3, 1))),
        grad_argnums=BOTH),
    Row("matvec", lambda xp, x, y: xp.matvec(x, y),
        shapes(((2, 3, 5), (5,)), ((3, 4), (2, 1, 4))), grad_argnums=BOTH),
    Row("vecmat", lambda xp, x, y: xp.vecmat(x, y),
        shapes(((3,), (2, 3, 4)), ((2, 3), (3, 5))), grad_argnums=BOTH),
    Row("nanprod", lambda xp, x: xp.nanprod(x, axis=-1), with_nans((5,), (3, 4)),
        grad_order=1),
    Row("nancumsum", lambda xp, x: xp.nancumsum(x, axis=0), with_nans((5,), (3, 4))),
    Row("nancumprod", lambda xp, x: xp.nancumprod(x), with_nans((5,), (3, 4)),
        grad_order=1),
    # (All-NaN slices give NaN, and dof <= 0 NaN, as NumPy; NumPy also warns.)
    Row("nanvar", lambda xp, x: (xp.nanvar(x, axis=-1), xp.nanvar(x, ddof=1)),
        with_nans((5,), (3, 4))),
    Row("nanstd", lambda xp, x: xp.nanstd(x, axis=0, keepdims=True), with_nans((3, 4)),
        grad_cases=few_nans),
    Row("polyadd_polysub", lambda xp, p, q: (xp.polyadd(p, q), xp.polysub(q, p)),
        shapes(((5,), (2,)), ((), (3,)), ((4,), (4,))), grad_argnums=BOTH),
    Row("polyder", lambda xp, p: (xp.polyder(p), xp.polyder(p, 3)), clean((5,), (6,))),
    Row("polyint", lambda xp, p, k: (xp.polyint(p), xp.polyint(p, 2, k=k)),
        shapes(((4,), (2,)), ((1,), (3,))), grad_argnums=BOTH),
    Row("vander", lambda xp, x: (xp.vander(x), xp.vander(x, 3, increasing=True)),
        clean((4,), (1,))),
    Row("cov", lambda xp, x: (xp.cov(x), xp.cov(x, rowvar=False, bias=True)),
        clean((3, 5), (2, 4))),
    Row("cov_y", lambda xp, x, y: xp.cov(x, y, ddof=0),
        shapes(((6,), (6,)), ((2, 5), (5,))), grad_argnums=BOTH),
    Row("corrcoef", lambda xp, x: xp.corrcoef(x), clean((3, 6), (2, 5))),
    Row("gradient", lambda xp, f: (xp.gradient(f), xp.gradient(f, 0.5, edge_order=2)),
        clean((6,), (4, 5), (3, 3, 4))),
    Row("gradient_axis", lambda xp, f: xp.gradient(f, 2.0, axis=-1), clean((3, 5))),
    # Coordinates: concrete (even ones take NumPy's scalar path), and traced.
    Row("gradient_coordinates", lambda xp, f: (
        xp.gradient(f, np.array([0.0, 0.3, 1.1, 1.5, 2.6, 3.0]), edge_order=2),
        xp.gradient(f, np.arange(6))), clean((6,))),
    Row("unstack_rollaxis", lambda xp, x: xp.unstack(xp.rollaxis(x, 2, 1), axis=1),
        clean((2, 3, 4))),
    Row("block", lambda xp, a, b, c: xp.block([[a, b], [c]]),
        shapes(((2, 2), (2, 1), (1, 3)), ((2,), (1, 3), (2, 5))), grad_argnums=(0, 1, 2)),
    Row("block_scalars", lambda xp, v: xp.block([[v, 1.5], [v * 2, -1.0]]),
        clean((3,))),
    Row("gradient_traced_coordinates",
        lambda xp, f, x: (xp.gradient(f, x), xp.gradient(f, x, edge_order=2)),
        lambda rng, dtype: [(rng.uniform(-2, 2, 7).astype(dtype),
                             np.sort(rng.uniform(0, 4, 7)).astype(dtype))],
        grad_argnums=BOTH),
]
