"""Op-table rows for the NumPy tail: r_/c_, einsum's interleaved form, append, diff,
ediff1d, the split shorthands, convolve/correlate, trapezoid, polyval, interp, cumprod,
piecewise and unwrap. Static arguments live in each row's function."""
import numpy as np

from .op_table import Row, unary

BOTH = (0, 1)
KNOTS = np.array([-1.5, -0.5, 0.0, 0.7, 1.8])       # interp's sample points (static)
NONSCALAR = [(0,), (1,), (5,), (3, 1), (2, 3, 4)]


def shapes(*shape_tuples, low=-2.0, high=2.0):
    """One case per tuple of shapes, each argument uniform in [low, high)."""
    def cases(rng, dtype):
        return [tuple(rng.uniform(low, high, s).astype(dtype) for s in case)
                for case in shape_tuples]
    return cases


def values(*arrays):
    """Fixed cases (edge values), each a tuple of lists."""
    def cases(rng, dtype):
        return [tuple(np.array(a, dtype=dtype) for a in case) for case in arrays]
    return cases


def sorted_points(rng, dtype):
    """(x, xp, fp) with traced, increasing sample points xp."""
    out = []
    for n in (2, 6):
        xp = np.sort(rng.uniform(-2, 2, n)).astype(dtype)
        out.append((rng.uniform(-2.5, 2.5, 7).astype(dtype), xp,
                    rng.uniform(-2, 2, n).astype(dtype)))
    return out


CONV_PAIRS = (((5,), (3,)), ((3,), (5,)), ((4,), (4,)), ((6,), (2,)), ((2,), (6,)),
              ((1,), (4,)), ((3,), (1,)), ((), (3,)))
CONV_SHAPES = shapes(*CONV_PAIRS)


def conv_row(name, mode):
    # convolve takes scalars as length-1 signals; correlate takes 1-D arrays only.
    cases = CONV_SHAPES if name == "convolve" else shapes(*CONV_PAIRS[:-1])
    return Row(f"{name}_{mode}", lambda xp, a, v: getattr(xp, name)(a, v, mode), cases,
               grad_argnums=BOTH)


def _interp_x_hits_knots(rng, dtype):
    """Samples exactly on the knots and both ends, outside points and NaN."""
    x = np.concatenate([KNOTS, [-3.0, 2.5, np.nan, 0.35]]).astype(dtype)
    return [(x, rng.uniform(-2, 2, 5).astype(dtype))]


ROWS = [
    # r_/c_: numpy.r_ cannot dispatch (it calls np.array on each item).
    Row("r_", lambda xp, x, y: xp.r_[x, 1.5, y], shapes(((3,), (2,)), ((0,), (1,))),
        grad_argnums=BOTH, dispatches=False),
    Row("r_slice_2d", lambda xp, x: xp.r_["0,2", x, 0:4, x * 2],
        shapes(((4,),)), dispatches=False),
    Row("r_axis_trans1d", lambda xp, x, y: xp.r_["1,3,0", x, y],
        shapes(((2, 3), (2, 1))), grad_argnums=BOTH, dispatches=False),
    Row("c_", lambda xp, x, y: xp.c_[x, y, x * 0.5], shapes(((4,), (4, 2)), ((0,), (0, 1))),
        grad_argnums=BOTH, dispatches=False),
    # einsum(op, sublist, ..., [sublistout])
    Row("einsum_interleaved", lambda xp, x, y: xp.einsum(x, [0, 1], y, [1, 2], [2, 0]),
        shapes(((2, 3), (3, 4))), grad_argnums=BOTH),
    Row("einsum_interleaved_implicit_ellipsis",
        lambda xp, x, y: xp.einsum(x, [Ellipsis, 30, 1], y, [1, 2]),
        shapes(((2, 3, 4), (4, 5)), ((3, 4), (4, 1))), grad_argnums=BOTH),
    Row("einsum_interleaved_trace", lambda xp, x: xp.einsum(x, [5, 5], []),
        shapes(((3, 3),), ((0, 0),))),
    # append, diff, ediff1d
    Row("append", lambda xp, x, y: xp.append(x, y),
        shapes(((2, 3), (4,)), ((0,), (3,)), ((), (2, 2))), grad_argnums=BOTH),
    Row("append_axis", lambda xp, x, y: xp.append(x, y, axis=0),
        shapes(((2, 3), (1, 3)), ((0, 2), (2, 2))), grad_argnums=BOTH),
    Row("diff", lambda xp, x: xp.diff(x), unary(shapes=NONSCALAR)),
    Row("diff_n2_axis0", lambda xp, x: xp.diff(x, 2, axis=0),
        shapes(((4, 3),), ((2, 2),), ((1, 3),))),
    Row("diff_n0", lambda xp, x: xp.diff(x, 0), unary()),
    Row("diff_prepend_append", lambda xp, x, y: xp.diff(x, prepend=0.5, append=y),
        shapes(((3, 4), (3, 1)), ((2, 0), (2, 2))), grad_argnums=BOTH),
    Row("diff_bool", lambda xp, x: xp.diff(x > 0, axis=0), unary(shapes=[(4,), (3, 2)]),
        grad_order=0),
    Row("ediff1d", lambda xp, x: xp.ediff1d(x), unary()),
    Row("ediff1d_edges", lambda xp, x, y: xp.ediff1d(x, to_end=y, to_begin=-1.0),
        shapes(((2, 3), (2,)), ((0,), ()), ((1,), (1, 2))), grad_argnums=BOTH),
    # split shorthands
    Row("hsplit", lambda xp, x: tuple(xp.hsplit(x, 2)), shapes(((3, 4),), ((4,),))),
    Row("vsplit", lambda xp, x: tuple(xp.vsplit(x, [1, 2])), shapes(((3, 2),), ((0, 2),))),
    Row("dsplit", lambda xp, x: tuple(xp.dsplit(x, 2)), shapes(((2, 1, 4),))),
    # convolve / correlate, every mode, both length orders
    *[conv_row(name, mode) for name in ("convolve", "correlate")
      for mode in ("full", "same", "valid")],
    # trapezoid
    Row("trapezoid", lambda xp, y: xp.trapezoid(y), unary(shapes=NONSCALAR)),
    Row("trapezoid_x", lambda xp, y, x: xp.trapezoid(y, x),
        shapes(((3, 5), (5,)), ((4,), (4,))),
        grad_argnums=BOTH),
    Row("trapezoid_x_nd_axis0", lambda xp, y, x: xp.trapezoid(y, x, axis=0),
        shapes(((3, 4), (3, 4))), grad_argnums=BOTH),
    Row("trapezoid_dx", lambda xp, y: xp.trapezoid(y, dx=0.3, axis=0), shapes(((3, 2),))),
    # polyval
    Row("polyval", lambda xp, p, x: xp.polyval(p, x),
        shapes(((4,), (3, 2)), ((1,), (5,)), ((3,), ()), ((0,), (2,))), grad_argnums=BOTH),
    # interp: gradients in x and fp; the sample points are constants or traced inputs
    Row("interp", lambda xp, x, fp: xp.interp(x, KNOTS, fp),
        shapes(((7,), (5,)), ((), (5,)), ((2, 3), (5,)), ((0,), (5,)), low=-2.5, high=2.5),
        grad_order=1, grad_argnums=BOTH),
    Row("interp_knots_nan", lambda xp, x, fp: xp.interp(x, KNOTS, fp), _interp_x_hits_knots,
        grad_order=0),
    Row("interp_repeated_points",
        lambda xp, x, fp: xp.interp(x, [-1.0, 0.0, 0.0, 1.0, 1.0], fp),
        values(([-1.0, 0.0, 0.5, 1.0, -0.25, 2.0], [0.5, 1.0, 2.0, -1.0, 3.0])),
        grad_order=0),
    Row("interp_left_right", lambda xp, x, fp: xp.interp(x, KNOTS, fp, left=-5.0, right=fp[2]),
        shapes(((9,), (5,)), low=-3.0, high=3.0), grad_order=1, grad_argnums=BOTH),
    Row("interp_traced_points", lambda xp, x, pts, fp: xp.interp(x, pts, fp), sorted_points,
        grad_order=1, grad_argnums=(0, 2)),
    Row("interp_single_point", lambda xp, x, fp: xp.interp(x, KNOTS[:1], fp),
        shapes(((6,), (1,))), grad_order=1, grad_argnums=(1,)),
    Row("interp_period", lambda xp, x, fp: xp.interp(x, [0.5, -1.0, 1.7, 3.1], fp, period=4.0),
        shapes(((8,), (4,)), low=-6.0, high=6.0), grad_order=1, grad_argnums=BOTH),
    # cumprod (zeros included: its gradient must not divide by x)
    Row("cumprod", lambda xp, x: xp.cumprod(x), unary()),
    Row("cumprod_axis0", lambda xp, x: xp.cumprod(x, axis=0), shapes(((4, 3),), ((0, 2),))),
    Row("cumprod_axis_neg_zeros", lambda xp, x: xp.cumprod(x, axis=-1),
        values(([[1.5, 0.0, 2.0, -1.0], [0.0, 0.0, 3.0, 0.5]],))),
    # piecewise: every function sees all of x; conditions of random floats avoid the kinks
    Row("piecewise", lambda xp, x: xp.piecewise(x, [x < -0.5, x > 0.5],
                                                [lambda v: v ** 2, lambda v: -v, 0.25]),
        unary(), grad_order=1),
    Row("piecewise_one_condition", lambda xp, x: xp.piecewise(x, x > 0, [lambda v: 2 * v,
                                                                          lambda v: v ** 3]),
        unary(shapes=[(), (1,), (5,)]), grad_order=1),   # NumPy reads 2-D as a list
    Row("piecewise_overlap_args", lambda xp, x: xp.piecewise(
        x, [x < 1.0, x > -1.0], [lambda v, k: v * k, lambda v, k: v + k], 3.0),
        unary(), grad_order=1),
    # unwrap
    Row("unwrap", lambda xp, x: xp.unwrap(x), unary(-8.0, 8.0, NONSCALAR), grad_order=1),
    Row("unwrap_axis0_period", lambda xp, x: xp.unwrap(x, discont=1.5, axis=0, period=4.0),
        shapes(((5, 3),), low=-6.0, high=6.0), grad_order=1),
    Row("unwrap_half_period", lambda xp, x: xp.unwrap(x),
        values(([0.0, np.pi, 0.0, -np.pi, 2 * np.pi],)), grad_order=0),
    Row("unwrap_int", lambda xp, x: xp.unwrap(x, period=6),
        lambda rng, dtype: [(rng.integers(-9, 10, (7,)).astype(dtype),)],
        dtypes=(np.int64, np.int32), grad_order=0),
]
