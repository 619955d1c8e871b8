"""Op-table rows for the full NumPy namespace, tracegrad.scipy.special (through SciPy's
own ufuncs, which dispatch on traced values) and the sorting/special primitives.

Static arguments (axes, orders, modes) live in the row's function, so `cases` yields
arrays only; several rows per function cover different static arguments."""
import numpy as np
import scipy.special as sp

import tracegrad.scipy.special  # noqa: F401  (SciPy's ufuncs dispatch once it is loaded)

from .op_table import UNARY_SHAPES, Row, binary, unary

NAN, INF = np.nan, np.inf


def with_edges(edges, low=-3.0, high=3.0, shapes=UNARY_SHAPES):
    """Random cases plus one case made of the given special values."""
    def cases(rng, dtype):
        out = [(rng.uniform(low, high, s).astype(dtype),) for s in shapes]
        out.append((np.array(edges, dtype=dtype),))
        return out
    return cases


def edges_only(*edge_lists):
    """Only the given special values, for rows that pair an array with its reverse."""
    def cases(rng, dtype):
        return [(np.array(e, dtype=dtype),) for e in edge_lists]
    return cases


def matrices(shapes=((3, 4), (4, 4), (1, 5), (2, 3, 3), (0, 3)), low=-2.0, high=2.0):
    def cases(rng, dtype):
        return [(rng.uniform(low, high, s).astype(dtype),) for s in shapes]
    return cases


def ties(shapes=((6,), (3, 4), (2, 3, 4))):
    """Small integers as floats: many ties, for max/argmax/sort style rows."""
    def cases(rng, dtype):
        return [(rng.integers(-2, 3, s).astype(dtype),) for s in shapes]
    return cases


def with_nans(shapes=((7,), (3, 4), (2, 3, 4))):
    def cases(rng, dtype):
        out = []
        for s in shapes:
            x = rng.uniform(-2, 2, s).astype(dtype)
            x.flat[::3] = np.nan
            out.append((x,))
        out.append((np.full((2, 3), np.nan, dtype),))        # all-NaN slices
        return out
    return cases


def distinct(shapes=((7,), (3, 4), (2, 3, 4), (1,))):
    """Values without ties (argsort order is then unique)."""
    def cases(rng, dtype):
        return [(rng.permutation(int(np.prod(s))).reshape(s).astype(dtype) * 0.5,)
                for s in shapes]
    return cases


def pair(shape_a, shape_b, low=-2.0, high=2.0):
    def cases(rng, dtype):
        return [(rng.uniform(low, high, shape_a).astype(dtype),
                 rng.uniform(low, high, shape_b).astype(dtype))]
    return cases


EDGE_SIGNED = [-0.0, 0.0, -1.5, 2.5, 0.5, -0.5, NAN, INF, -INF]
POSITIVE = dict(low=0.1, high=4.0)

ROWS = [
    # -- unary math ------------------------------------------------------------------
    Row("deg2rad", lambda xp, x: xp.deg2rad(x), unary(-400, 400)),
    # Unary primitives with domain edges: grads away from them (test_grad_op_table.py).
    Row("arcsin", lambda xp, x: xp.arcsin(x), with_edges([-1.0, 1.0, 0.0, 2.0], -0.9, 0.9)),
    Row("arccos", lambda xp, x: xp.arccos(x), with_edges([-1.0, 1.0, 0.0, 2.0], -0.9, 0.9)),
    Row("arcsinh", lambda xp, x: xp.arcsinh(x), unary(-3.0, 3.0)),
    Row("arccosh", lambda xp, x: xp.arccosh(x), with_edges([1.0, 0.5], 1.1, 4.0)),
    Row("arctanh", lambda xp, x: xp.arctanh(x), with_edges([-1.0, 1.0, 0.0], -0.9, 0.9)),
    Row("cbrt", lambda xp, x: xp.cbrt(x), with_edges([0.0, -8.0, 27.0]),
        grad_cases=unary(0.2, 3.0)),
    Row("log2", lambda xp, x: xp.log2(x), with_edges([0.0, 1.0, -1.0, 8.0], 0.1, 4.0)),
    Row("log10", lambda xp, x: xp.log10(x), with_edges([0.0, 1.0, -1.0, 100.0], 0.1, 4.0)),
    Row("floor", lambda xp, x: xp.floor(x), with_edges([-0.5, 0.5, -0.0, 2.0]), grad_order=0),
    Row("ceil", lambda xp, x: xp.ceil(x), with_edges([-0.5, 0.5, -0.0, 2.0]), grad_order=0),
    Row("trunc", lambda xp, x: xp.trunc(x), with_edges([-1.5, 1.5, -0.0, 2.0]), grad_order=0),
    Row("fmod", lambda xp, x, y: xp.fmod(x, y), binary(-3.0, 3.0, 0.5, 2.0),
        grad_argnums=(0, 1), grad_order=1),
    Row("nextafter", lambda xp, x, y: xp.nextafter(x, y), binary(), grad_order=0),
    Row("copysign", lambda xp, x, y: xp.copysign(x, y), binary(0.3, 2.0, 0.3, 2.0),
        grad_argnums=(0, 1)),
    Row("rad2deg", lambda xp, x: xp.rad2deg(x), unary()),
    Row("degrees", lambda xp, x: xp.degrees(x), unary()),
    Row("radians", lambda xp, x: xp.radians(x), unary(-400, 400)),
    Row("signbit", lambda xp, x: xp.signbit(x), with_edges(EDGE_SIGNED), grad_order=0),
    Row("round", lambda xp, x: xp.round(x), with_edges([0.5, 1.5, 2.5, -0.5, -2.5, NAN]),
        grad_order=0),
    Row("round_decimals2", lambda xp, x: xp.round(x, 2), unary(-50, 50), grad_order=0),
    Row("round_decimals_neg1", lambda xp, x: xp.round(x, -1), unary(-500, 500),
        grad_order=0),
    Row("around", lambda xp, x: xp.around(x, 1), unary(-5, 5), grad_order=0),
    Row("round_method", lambda xp, x: x.round(1), unary(-5, 5), grad_order=0),
    Row("sinc", lambda xp, x: xp.sinc(x), with_edges([0.0, 1.0, -2.0, 0.5])),
    Row("nan_to_num", lambda xp, x: xp.nan_to_num(x), with_edges(EDGE_SIGNED),
        grad_order=1),
    Row("nan_to_num_values", lambda xp, x: xp.nan_to_num(x, nan=-1.0, posinf=9.0,
                                                          neginf=-9.0),
        with_edges(EDGE_SIGNED), grad_order=1),
    # -- binary math ------------------------------------------------------------------
    Row("float_power", lambda xp, x, y: xp.float_power(x, y), binary(0.2, 3.0, -2.0, 2.0),
        grad_argnums=(0, 1), rtol=1e-6, atol=1e-12),
    Row("fmax", lambda xp, x, y: xp.fmax(x, y), binary(), grad_order=1,
        grad_argnums=(0, 1)),
    Row("fmin", lambda xp, x, y: xp.fmin(x, y), binary(), grad_order=1,
        grad_argnums=(0, 1)),
    Row("fmax_nan", lambda xp, x: xp.fmax(x, x[::-1]), edges_only(EDGE_SIGNED),
        grad_order=0),
    Row("hypot", lambda xp, x, y: xp.hypot(x, y), binary(), grad_order=1,
        grad_argnums=(0, 1)),
    Row("hypot_edges", lambda xp, x: xp.hypot(x, x[::-1]),
        edges_only([0.0, 3.0, INF, -4.0, 1e300, -1e-300]), grad_order=0),
    Row("logaddexp", lambda xp, x, y: xp.logaddexp(x, y), binary(-30, 30),
        grad_argnums=(0, 1)),
    Row("logaddexp_edges", lambda xp, x: xp.logaddexp(x, x[::-1]),
        edges_only([-INF, 0.0, INF, 800.0, -800.0, INF, -INF]), grad_order=0),
    Row("logaddexp2", lambda xp, x, y: xp.logaddexp2(x, y), binary(-30, 30),
        grad_argnums=(0, 1)),
    Row("heaviside", lambda xp, x, y: xp.heaviside(x, y), binary(), grad_order=0),
    Row("heaviside_zero", lambda xp, x: xp.heaviside(x, 0.5),
        with_edges([0.0, -0.0, 1.0, -1.0, NAN]), grad_order=0),
    # -- comparison and logic -----------------------------------------------------------
    Row("isclose", lambda xp, x, y: xp.isclose(x, y), binary(), grad_order=0),
    Row("isclose_edges", lambda xp, x: xp.isclose(x, x[::-1] + 1e-9, equal_nan=True),
        edges_only([INF, NAN, 1.0, NAN, INF]), grad_order=0),
    Row("select", lambda xp, x, y: xp.select([x > 0.5, y < 0], [x, y * 2], default=-1.0),
        binary(), grad_order=1, grad_argnums=(0, 1)),
    # -- reductions -------------------------------------------------------------------
    Row("ptp", lambda xp, x: xp.ptp(x, axis=-1), matrices(), grad_order=1),
    Row("average", lambda xp, x: xp.average(x, axis=0), matrices()),
    Row("average_weights", lambda xp, x, w: xp.average(x, axis=1, weights=w),
        pair((3, 4), (4,), 0.5, 2.0), grad_argnums=(0, 1)),
    Row("average_weights_full", lambda xp, x, w: xp.average(x, weights=w),
        pair((2, 5), (2, 5), 0.5, 2.0), grad_argnums=(0, 1)),
    Row("count_nonzero", lambda xp, x: xp.count_nonzero(x, axis=1), ties(((3, 4),)),
        dtypes=(np.float64, np.int64, np.bool_), grad_order=0),
    Row("count_nonzero_all", lambda xp, x: xp.count_nonzero(x), ties(),
        grad_order=0),
    Row("nansum", lambda xp, x: xp.nansum(x, axis=-1), with_nans(), grad_order=1),
    Row("nanmean", lambda xp, x: xp.nanmean(x, axis=0), with_nans(), grad_order=1),
    Row("nanmax", lambda xp, x: xp.nanmax(x, axis=-1), with_nans(), grad_order=1),
    Row("nanmin", lambda xp, x: xp.nanmin(x), with_nans(), grad_order=1),
    Row("median", lambda xp, x: xp.median(x), distinct(), grad_order=1),
    Row("median_axis", lambda xp, x: xp.median(x, axis=-1, keepdims=True), distinct(),
        grad_order=1),
    Row("median_nan", lambda xp, x: xp.median(x, axis=0), with_nans(), grad_order=0),
    Row("quantile", lambda xp, x: xp.quantile(x, [0.0, 0.25, 0.5, 0.9, 1.0], axis=-1),
        distinct(), grad_order=1),
    Row("quantile_scalar", lambda xp, x: xp.quantile(x, 0.3, axis=(0, -1)),
        distinct(((3, 4), (2, 3, 4))), grad_order=1),
    Row("percentile", lambda xp, x: xp.percentile(x, [10.0, 50.0, 95.0]), distinct(),
        grad_order=1),
    # Sorting is not differentiable at ties: gradients are checked on distinct values.
    Row("sort", lambda xp, x: xp.sort(x), ties(), grad_order=1, grad_cases=distinct()),
    Row("sort_axis0", lambda xp, x: xp.sort(x, axis=0), distinct(), grad_order=1),
    Row("sort_flat_nan", lambda xp, x: xp.sort(x, axis=None), with_nans(), grad_order=0),
    Row("sort_int", lambda xp, x: xp.sort(x), ties(), dtypes=(np.int32, np.int64),
        grad_order=0),
    Row("argsort", lambda xp, x: xp.argsort(x), distinct(), grad_order=0),
    Row("argsort_axis0", lambda xp, x: xp.argsort(x, axis=0), distinct(), grad_order=0),
    # -- shape and indexing -----------------------------------------------------------
    Row("atleast_1d", lambda xp, x: xp.atleast_1d(x), unary()),
    Row("atleast_2d", lambda xp, x: xp.atleast_2d(x), unary()),
    Row("atleast_3d", lambda xp, x: xp.atleast_3d(x), unary()),
    Row("hstack", lambda xp, x, y: xp.hstack([x, y, x]), pair((3, 2), (3, 4)),
        grad_argnums=(0, 1)),
    Row("hstack_1d", lambda xp, x, y: xp.hstack([x, y]), pair((3,), (5,)),
        grad_argnums=(0, 1)),
    Row("vstack", lambda xp, x, y: xp.vstack([x, y]), pair((4,), (2, 4)),
        grad_argnums=(0, 1)),
    Row("dstack", lambda xp, x, y: xp.dstack([x, y]), pair((2, 3), (2, 3, 2)),
        grad_argnums=(0, 1)),
    Row("column_stack", lambda xp, x, y: xp.column_stack([x, y]), pair((4,), (4, 3)),
        grad_argnums=(0, 1)),
    Row("split", lambda xp, x: tuple(xp.split(x, 2, axis=1)), matrices(((3, 4), (0, 2)))),
    Row("split_points", lambda xp, x: tuple(xp.split(x, [1, 3])), matrices(((5, 2),))),
    Row("array_split", lambda xp, x: tuple(xp.array_split(x, 3, axis=-1)),
        matrices(((2, 7), (3, 4)))),
    Row("tile", lambda xp, x: xp.tile(x, (2, 1, 3)), unary()),
    Row("tile_int", lambda xp, x: xp.tile(x, 2), unary()),
    Row("repeat", lambda xp, x: xp.repeat(x, 2), unary()),
    Row("repeat_axis", lambda xp, x: xp.repeat(x, [1, 0, 2], axis=0), matrices(((3, 2),))),
    Row("repeat_method", lambda xp, x: x.repeat(3, axis=-1), matrices(((2, 3),))),
    Row("flip", lambda xp, x: xp.flip(x), unary()),
    Row("flip_axis", lambda xp, x: xp.flip(x, axis=(0, -1)), matrices()),
    Row("fliplr", lambda xp, x: xp.fliplr(x), matrices()),
    Row("flipud", lambda xp, x: xp.flipud(x), matrices()),
    Row("roll", lambda xp, x: xp.roll(x, 3), unary()),
    Row("roll_axis", lambda xp, x: xp.roll(x, (1, -5), axis=(0, 1)), matrices()),
    Row("rot90", lambda xp, x: xp.rot90(x), matrices()),
    Row("rot90_k3", lambda xp, x: xp.rot90(x, 3, axes=(-1, -2)), matrices()),
    Row("rot90_k2", lambda xp, x: xp.rot90(x, 2), matrices()),
    Row("diagonal", lambda xp, x: xp.diagonal(x), matrices()),
    Row("diagonal_offset", lambda xp, x: xp.diagonal(x, -1, axis1=-1, axis2=0),
        matrices()),
    Row("diagonal_method", lambda xp, x: x.diagonal(1), matrices()),
    Row("diag_1d", lambda xp, x: xp.diag(x), unary(shapes=[(0,), (1,), (4,)])),
    Row("diag_1d_k", lambda xp, x: xp.diag(x, -2), unary(shapes=[(1,), (4,)])),
    Row("diag_2d", lambda xp, x: xp.diag(x, 1), matrices(((3, 4), (4, 4)))),
    Row("diagflat", lambda xp, x: xp.diagflat(x, 1), matrices(((2, 2), (3,)))),
    Row("trace", lambda xp, x: xp.trace(x), matrices()),
    Row("trace_method", lambda xp, x: x.trace(offset=1), matrices(((3, 4),))),
    Row("triu", lambda xp, x: xp.triu(x), matrices()),
    Row("triu_k", lambda xp, x: xp.triu(x, -1), matrices()),
    Row("tril", lambda xp, x: xp.tril(x, 1), matrices()),
    Row("pad_constant", lambda xp, x: xp.pad(x, ((1, 2), (0, 3))), matrices(((3, 4),))),
    Row("pad_constant_value", lambda xp, x: xp.pad(x, 2, constant_values=7.0), unary()),
    Row("pad_constant_sides", lambda xp, x: xp.pad(x, 1, constant_values=((1, 2), (3, 4))),
        matrices(((2, 3),))),
    Row("pad_edge", lambda xp, x: xp.pad(x, (2, 1), mode="edge"), matrices(((3, 4),))),
    Row("pad_reflect", lambda xp, x: xp.pad(x, ((3, 1), (0, 5)), mode="reflect"),
        matrices(((3, 4),))),
    Row("pad_symmetric", lambda xp, x: xp.pad(x, 2, mode="symmetric"), unary(shapes=[(4,)])),
    Row("pad_wrap", lambda xp, x: xp.pad(x, 3, mode="wrap"), unary(shapes=[(4,)])),
    Row("kron", lambda xp, x, y: xp.kron(x, y), pair((2, 3), (3, 2)), grad_argnums=(0, 1)),
    Row("kron_mixed", lambda xp, x, y: xp.kron(x, y), pair((3,), (2, 2)),
        grad_argnums=(0, 1)),
    Row("searchsorted", lambda xp, a, v: xp.searchsorted(xp.sort(a), v),
        pair((6,), (3, 2)), grad_order=0),
    Row("searchsorted_right", lambda xp, a, v: xp.searchsorted(a, v, side="right"),
        lambda rng, dtype: [(np.array([0, 1, 1, 2, 3], dtype), np.array([1, 2.5, -1, 3, 9],
                                                                       dtype))],
        grad_order=0),
    Row("searchsorted_nan", lambda xp, a, v: xp.searchsorted(a, v),
        lambda rng, dtype: [(np.array([0, 1, 2, NAN], dtype),
                             np.array([NAN, 1.5, INF], dtype))], grad_order=0),
    Row("at_set", lambda xp, x: _at(xp, x, np.array([0, 2, 0]), "set",
                                    np.array([[1.0], [2.0], [3.0]])), matrices(((3, 4),)),
        grad_order=1),
    Row("at_add", lambda xp, x: _at(xp, x, (slice(None), np.array([1, 1, 3])), "add",
                                    np.array(0.5)), matrices(((3, 4),))),
    Row("at_mul", lambda xp, x: _at(xp, x, np.array([[0, 1], [0, 0]]), "mul", 2.0),
        matrices(((3, 4),))),
    Row("at_set_slice", lambda xp, x: _at(xp, x, (slice(1, None), 0), "set", x[0, :2]),
        matrices(((3, 4),)), grad_order=1),
    # -- products ---------------------------------------------------------------------
    Row("cross", lambda xp, x, y: xp.cross(x, y), pair((4, 3), (3,)), grad_argnums=(0, 1)),
    Row("cross_axis", lambda xp, x, y: xp.cross(x, y, axis=0), pair((3, 2), (3, 2)),
        grad_argnums=(0, 1)),
    Row("cross_mixed", lambda xp, x, y: xp.cross(x, y), pair((2, 3), (2, 2)),
        grad_argnums=(0, 1)),
    Row("matrix_transpose", lambda xp, x: xp.matrix_transpose(x), matrices()),
    Row("linalg_matrix_transpose", lambda xp, x: xp.linalg.matrix_transpose(x),
        matrices()),
    Row("norm", lambda xp, x: xp.linalg.norm(x), matrices(), grad_order=1),
    Row("norm_axis", lambda xp, x: xp.linalg.norm(x, axis=-1), matrices(), grad_order=1),
    Row("norm_ord1", lambda xp, x: xp.linalg.norm(x, 1, axis=0), matrices(), grad_order=1),
    Row("norm_inf", lambda xp, x: xp.linalg.norm(x, np.inf, axis=-1, keepdims=True),
        matrices(((3, 4),)), grad_order=1),
    Row("norm_neginf", lambda xp, x: xp.linalg.norm(x, -np.inf, axis=-1),
        matrices(((3, 4),)), grad_order=1),
    Row("norm_p3", lambda xp, x: xp.linalg.norm(x, 3, axis=-1), matrices(((3, 4),)),
        grad_order=1),
    Row("norm_ord0", lambda xp, x: xp.linalg.norm(x, 0, axis=-1), ties(((3, 4),)),
        grad_order=0),
    Row("norm_fro", lambda xp, x: xp.linalg.norm(x, "fro", axis=(-2, -1)), matrices(),
        grad_order=1),
    Row("norm_matrix_1", lambda xp, x: xp.linalg.norm(x, 1), matrices(((3, 4), (4, 4))),
        grad_order=1),
    Row("norm_matrix_inf", lambda xp, x: xp.linalg.norm(x, np.inf, axis=(1, 2),
                                                        keepdims=True),
        matrices(((2, 3, 3),)), grad_order=1),
    # -- creation and dtypes ------------------------------------------------------------
    Row("meshgrid", lambda xp, x, y: tuple(xp.meshgrid(x, y)), pair((3,), (4,)),
        grad_argnums=(0, 1)),
    Row("meshgrid_ij", lambda xp, x, y: tuple(xp.meshgrid(x, y, x, indexing="ij")),
        pair((3,), (2,)), grad_argnums=(0, 1)),
    Row("logspace", lambda xp, x: xp.logspace(x, x + 1.0, num=5), unary(-1, 1, [(), (2,)]),
        rtol=1e-6, atol=1e-12),
    # Rounding to float32 makes float64 finite differences meaningless: no grad check.
    Row("astype", lambda xp, x: xp.astype(x, np.float32), unary(), grad_order=0),
    Row("astype_int", lambda xp, x: xp.astype(x, np.int32), unary(-5, 5), grad_order=0),
    # -- scipy.special (SciPy's ufuncs dispatch on traced values) -----------------------
    Row("sp_expit", lambda xp, x: sp.expit(x), with_edges([-800.0, 800.0, 0.0, NAN], -30, 30)),
    Row("sp_logit", lambda xp, x: sp.logit(x), with_edges([0.0, 1.0, 0.5, 2.0, -1.0], 0.01,
                                                           0.99),
        grad_cases=unary(0.05, 0.95)),
    Row("sp_erf", lambda xp, x: sp.erf(x), unary(-3, 3), rtol=1e-6, atol=1e-7),
    Row("sp_erfc", lambda xp, x: sp.erfc(x), unary(-3, 3), rtol=1e-6, atol=1e-7),
    Row("sp_gammaln", lambda xp, x: sp.gammaln(x),
        with_edges([0.0, -1.0, -2.5, 1.0, 2.0, 0.5, 150.0, INF], 0.1, 20.0),
        rtol=1e-5, atol=1e-6, grad_cases=unary(0.2, 10.0)),
    Row("sp_digamma", lambda xp, x: sp.digamma(x),
        with_edges([-2.5, -0.3, 0.0, 1.0, 1e-3, 30.0], 0.1, 20.0), rtol=1e-5, atol=1e-6,
        grad_cases=unary(0.2, 10.0)),
    Row("sp_xlogy", lambda xp, x, y: sp.xlogy(x, y), binary(-2, 2, 0.1, 3.0),
        grad_argnums=(0, 1)),
    Row("sp_xlogy_zero", lambda xp, x: sp.xlogy(x * 0.0, x), with_edges([0.0, -1.0, NAN]),
        grad_order=0),
    Row("sp_xlog1py", lambda xp, x, y: sp.xlog1py(x, y), binary(-2, 2, -0.5, 3.0),
        grad_argnums=(0, 1)),
    Row("sp_entr", lambda xp, x: sp.entr(x), with_edges([0.0, -1.0, 1.0, NAN, INF], 0.1, 3),
        grad_cases=unary(0.1, 3.0)),
]


def _at(xp, x, index, how, values):
    """The same functional update written for NumPy (copy, then update in place) and for
    tracegrad (.at[] on tracers, tracegrad.numpy.at on arrays)."""
    if xp is np and isinstance(x, np.ndarray):
        out = x.copy()
        if how == "set":
            out[index] = values
        else:
            (np.add if how == "add" else np.multiply).at(out, index, values)
        return out
    return getattr((x.at if hasattr(x, "at") else xp.at(x))[index], how)(values)
