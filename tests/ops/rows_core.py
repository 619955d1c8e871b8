"""Op-table rows for the core namespace: creation, elementwise math, comparisons,
reductions, shape manipulation, products, indexing and operators.

grad_order: 2 for smooth functions (and linear ones), 1 for piecewise-linear ones
(abs, maximum, clip, max, ...: checked on grids away from their kinks), 0 for
integer-valued or boolean results."""
import numpy as np

from .generators import (SPECIAL, arrays, bools, grid, index, join, nonzero, of_dtype,
                         one_arg, uniform, values)
from .op_table import BINARY_SHAPES, FLOATS, UNARY_SHAPES, Row, binary, unary

INTS = (np.int32, np.int64)
BOOL = (np.bool_,)
ANY = FLOATS + (np.int32,)
BOTH = (0, 1)

# Shapes for reductions along axes 0, 1 and -1 (size-0 and size-1 axes included).
REDUCE = [(2, 3, 4), (1, 3, 1), (3, 0, 2), (4, 5)]
REDUCE_ALL = [(), (0,), (5,), (2, 3, 4)]
# max/min/argmax have no identity: size-0 only along axes that are not reduced.
EXTREMA_ALL = [(), (5,), (2, 3, 4)]
NONEMPTY = [(2, 3, 4), (1, 3, 1), (4, 5)]
KINKED = grid()                       # never exactly 0, ±0.5, ±1, ...
TIES = grid(step=0.5, offset=0.0)     # many equal values


def kinked_binary(shapes=BINARY_SHAPES):
    """x on a grid offset from y's grid: x != y everywhere (maximum, minimum)."""
    return arrays(shapes, grid(offset=0.25), grid(offset=0.0))


def rows_creation():
    same = [((), ()), ((3,), (3,)), ((0,), (0,)), ((2, 3), (2, 3))]
    return [
        Row("array", lambda xp, x: xp.array(x), unary(), dispatches=False),
        Row("array_dtype", lambda xp, x: xp.array(x, dtype=np.float64), unary(),
            dispatches=False),
        Row("array_nested", lambda xp, x, y: xp.array([x, y]), arrays(same),
            grad_argnums=BOTH, dispatches=False),
        Row("array_nested_python_floats", lambda xp, x: xp.array([x, 1.0, 2.0]),
            arrays([((),)]), dispatches=False),
        Row("asarray", lambda xp, x: xp.asarray(x), unary(), dispatches=False),
        # Rounding to float32 makes float64 finite differences meaningless: no grad check.
        Row("asarray_dtype", lambda xp, x: xp.asarray(x, dtype=np.float32), unary(),
            dispatches=False, grad_order=0),
        Row("zeros", lambda xp, x: xp.zeros(x.shape, dtype=x.dtype), unary(), grad_order=0),
        Row("zeros_default_dtype", lambda xp, x: xp.zeros((2, 3)), unary(), grad_order=0),
        Row("ones", lambda xp, x: xp.ones(x.shape, dtype=x.dtype), unary(), grad_order=0),
        Row("full", lambda xp, x: xp.full(x.shape, 1.5, dtype=x.dtype), unary(),
            grad_order=0),
        Row("full_traced_fill", lambda xp, v: xp.full((2, 3), v),
            arrays(one_arg([(), (3,), (1, 3)])), dispatches=False),
        Row("zeros_like", lambda xp, x: xp.zeros_like(x), unary(), grad_order=0),
        Row("ones_like", lambda xp, x: xp.ones_like(x), unary(), grad_order=0),
        Row("zeros_like_dtype", lambda xp, x: xp.zeros_like(x, dtype=np.int32), unary(),
            grad_order=0),
        Row("full_like", lambda xp, x: xp.full_like(x, 3.5), unary(), grad_order=0),
        Row("full_like_traced_fill", lambda xp, x, v: xp.full_like(x, v),
            arrays([((3,), ()), ((2, 3), ()), ((0,), ()), ((), ())]), grad_argnums=(1,),
            dispatches=False),
        Row("linspace", lambda xp, x: xp.linspace(0.0, 1.0, 5, dtype=x.dtype), unary(),
            grad_order=0),
        Row("linspace_traced", lambda xp, a, b: xp.linspace(a, b, 7),
            arrays([((), ()), ((3,), ()), ((2, 1), (3,))]), grad_argnums=BOTH),
        Row("linspace_no_endpoint", lambda xp, a, b: xp.linspace(a, b, 4, endpoint=False),
            arrays([((), ()), ((3,), (3,))]), grad_argnums=BOTH),
        Row("linspace_num1", lambda xp, a, b: xp.linspace(a, b, 1),
            arrays([((), ())]), grad_argnums=BOTH),
        Row("linspace_int_dtype", lambda xp, a, b: xp.linspace(a, b, 6, dtype=np.int32),
            arrays([((), ()), ((2,), ())], uniform(-5.0, 0.0), uniform(0.0, 5.0)),
            grad_order=0),
        Row("eye", lambda xp, x: xp.eye(3, 4, k=1, dtype=x.dtype), unary(), grad_order=0),
    ]


def rows_arithmetic():
    divisor = arrays(BINARY_SHAPES, uniform(), nonzero())
    return [
        Row("add", lambda xp, x, y: xp.add(x, y), binary(), grad_argnums=BOTH),
        Row("add_int", lambda xp, x, y: xp.add(x, y), binary(), dtypes=INTS, grad_order=0),
        Row("add_bool", lambda xp, x, y: xp.add(x, y), binary(), dtypes=BOOL, grad_order=0),
        Row("add_mixed_int32", lambda xp, x, y: xp.add(x, y),
            arrays(BINARY_SHAPES, uniform(), of_dtype(np.int32)), grad_argnums=(0,)),
        Row("add_f32_f64", lambda xp, x, y: xp.add(x, y),
            arrays(BINARY_SHAPES, of_dtype(np.float32), uniform()), grad_argnums=BOTH),
        Row("subtract", lambda xp, x, y: xp.subtract(x, y), binary(), grad_argnums=BOTH),
        Row("subtract_int", lambda xp, x, y: xp.subtract(x, y), binary(), dtypes=INTS,
            grad_order=0),
        Row("multiply", lambda xp, x, y: xp.multiply(x, y), binary(), grad_argnums=BOTH),
        Row("multiply_int", lambda xp, x, y: xp.multiply(x, y), binary(), dtypes=INTS,
            grad_order=0),
        Row("multiply_python_float", lambda xp, x: xp.multiply(x, 2.5), unary()),
        Row("add_numpy_scalar", lambda xp, x: xp.add(x, np.float64(2.0)), unary()),
        Row("divide", lambda xp, x, y: xp.divide(x, y), divisor, grad_argnums=BOTH),
        Row("divide_int", lambda xp, x, y: xp.divide(x, y), divisor, dtypes=INTS,
            grad_order=0),
        Row("divide_by_zero", lambda xp, x, y: xp.divide(x, y),
            values([1.0, -1.0, 0.0, np.inf], [0.0, 0.0, 0.0, 0.0]), grad_order=0),
        Row("negative", lambda xp, x: xp.negative(x), unary()),
        Row("negative_int", lambda xp, x: xp.negative(x), unary(), dtypes=INTS, grad_order=0),
        Row("power", lambda xp, x, y: xp.power(x, y), binary(0.5, 2.0, -2.0, 2.0),
            grad_argnums=BOTH),
        Row("power_int", lambda xp, x, y: xp.power(x, y),
            arrays(BINARY_SHAPES, uniform(-3, 3), uniform(0, 3)), dtypes=INTS, grad_order=0),
        Row("power_negative_base", lambda xp, x: xp.power(x, 3.0), unary()),
        Row("square", lambda xp, x: xp.square(x), unary()),
        Row("square_int", lambda xp, x: xp.square(x), unary(), dtypes=INTS, grad_order=0),
        Row("sqrt", lambda xp, x: xp.sqrt(x), join(unary(0.0, 4.0), values(SPECIAL)),
            grad_cases=unary(0.5, 4.0)),
        Row("abs", lambda xp, x: xp.abs(x), join(unary(), values(SPECIAL)), grad_order=1,
            grad_cases=arrays(one_arg(UNARY_SHAPES), KINKED)),
        Row("abs_int", lambda xp, x: xp.abs(x), unary(), dtypes=INTS + BOOL, grad_order=0),
        Row("sign", lambda xp, x: xp.sign(x), join(unary(), values(SPECIAL)), grad_order=0),
        Row("sign_int", lambda xp, x: xp.sign(x), unary(), dtypes=INTS, grad_order=0),
        Row("maximum", lambda xp, x, y: xp.maximum(x, y),
            join(binary(), values([1.0, np.nan, 2.0, -0.0], [1.0, 1.0, np.nan, 0.0])),
            grad_order=1, grad_argnums=BOTH, grad_cases=kinked_binary()),
        Row("minimum", lambda xp, x, y: xp.minimum(x, y),
            join(binary(), values([1.0, np.nan, 2.0, -0.0], [1.0, 1.0, np.nan, 0.0])),
            grad_order=1, grad_argnums=BOTH, grad_cases=kinked_binary()),
        Row("maximum_int", lambda xp, x, y: xp.maximum(x, y), binary(), dtypes=INTS,
            grad_order=0),
        Row("clip", lambda xp, x: xp.clip(x, -0.5, 0.5), unary(), grad_order=1,
            grad_cases=arrays(one_arg(UNARY_SHAPES), KINKED)),
        Row("clip_upper_only", lambda xp, x: xp.clip(x, None, 0.5), unary(), grad_order=1,
            grad_cases=arrays(one_arg(UNARY_SHAPES), KINKED)),
        Row("clip_arrays", lambda xp, x, lo, hi: xp.clip(x, lo, hi),
            arrays([((3, 4), (4,), ()), ((), (), ()), ((0,), (1,), ())],
                   uniform(), uniform(-2.0, -0.1), uniform(0.1, 2.0)),
            grad_order=1, grad_argnums=(0, 1, 2),
            grad_cases=arrays([((3, 4), (4,), ()), ((), (), ())],
                              KINKED, grid(-2.0, 0.0, offset=0.0), grid(0.0, 2.0, offset=0.0))),
    ]


def rows_transcendental():
    return [
        Row("exp", lambda xp, x: xp.exp(x),
            join(unary(), values(SPECIAL), values([88.0, 89.0, 100.0, -100.0, -110.0])),
            grad_cases=unary()),
        Row("expm1", lambda xp, x: xp.expm1(x),
            join(unary(), values([1e-10, -1e-10, 0.0, -np.inf, np.inf])), grad_cases=unary()),
        Row("log", lambda xp, x: xp.log(x), join(unary(0.01, 4.0), values(SPECIAL)),
            grad_cases=unary(0.5, 4.0)),
        Row("log1p", lambda xp, x: xp.log1p(x),
            join(unary(-0.9, 3.0), values([-1.0, -2.0, 1e-10, 0.0, np.inf])),
            grad_cases=unary(-0.5, 3.0)),
        Row("sin", lambda xp, x: xp.sin(x), unary(-4.0, 4.0)),
        Row("cos", lambda xp, x: xp.cos(x), unary(-4.0, 4.0)),
        Row("tan", lambda xp, x: xp.tan(x), unary(-1.3, 1.3)),
        Row("tanh", lambda xp, x: xp.tanh(x), join(unary(-4.0, 4.0), values(SPECIAL)),
            grad_cases=unary(-4.0, 4.0)),
        Row("arctan", lambda xp, x: xp.arctan(x), join(unary(-4.0, 4.0), values(SPECIAL)),
            grad_cases=unary(-4.0, 4.0)),
        Row("sinh", lambda xp, x: xp.sinh(x), unary(-3.0, 3.0)),
        Row("cosh", lambda xp, x: xp.cosh(x), unary(-3.0, 3.0)),
        Row("arctan2", lambda xp, y, x: xp.arctan2(y, x),
            join(binary(), values([0.0, -0.0, 0.0, -0.0, 1.0, -1.0],
                                  [0.0, 0.0, -0.0, -0.0, 0.0, -0.0])),
            grad_argnums=BOTH, grad_cases=arrays(BINARY_SHAPES, nonzero(), nonzero())),
    ]


def rows_where_and_logic():
    cond_shapes = [((3, 4), (3, 4), (4,)), ((), (5,), ()), ((2, 1), (1, 3), (2, 3)),
                   ((0,), (0,), ())]
    compare = join(arrays(BINARY_SHAPES, TIES, TIES),
                   values([1.0, np.nan, np.nan, 2.0], [1.0, 1.0, np.nan, np.inf]))
    rows = [
        Row("where", lambda xp, c, x, y: xp.where(c, x, y),
            arrays(cond_shapes, bools(), uniform(), uniform()), grad_argnums=(1, 2)),
        Row("where_python_scalars", lambda xp, x: xp.where(x > 0, 1.0, 0.0) * x, unary(),
            grad_order=1, grad_cases=arrays(one_arg(UNARY_SHAPES), KINKED)),
        Row("where_int_condition", lambda xp, c, x, y: xp.where(c, x, y),
            arrays(cond_shapes, of_dtype(np.int32, uniform(-1, 1)), uniform(), uniform()),
            grad_argnums=(1, 2)),
        Row("where_python_scalar", lambda xp, x: xp.where(x > 0, x, 0.0), unary(),
            grad_order=1, grad_cases=arrays(one_arg(UNARY_SHAPES), KINKED)),
        Row("logical_and", lambda xp, x, y: xp.logical_and(x, y),
            arrays(BINARY_SHAPES, uniform(-1, 1), uniform(-1, 1)), dtypes=BOOL + ANY,
            grad_order=0),
        Row("logical_or", lambda xp, x, y: xp.logical_or(x, y),
            arrays(BINARY_SHAPES, uniform(-1, 1), uniform(-1, 1)), dtypes=BOOL + ANY,
            grad_order=0),
        Row("logical_not", lambda xp, x: xp.logical_not(x),
            arrays(one_arg(UNARY_SHAPES), uniform(-1, 1)), dtypes=BOOL + ANY, grad_order=0),
    ]
    for name in ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal"):
        rows.append(Row(name, lambda xp, x, y, name=name: getattr(xp, name)(x, y), compare,
                        dtypes=ANY, grad_order=0))
    return rows


def reduction_rows(name, fn, data=uniform(), dtypes=FLOATS, grad_order=2, every_axis=True,
                   grad_cases=None):
    """`name`, `name_axis0`, `name_axis_neg_keepdims`, `name_axis_tuple` and
    `name_axis_tuple_keepdims` for a reduction fn(xp, x, axis=..., keepdims=...)."""
    all_shapes = REDUCE_ALL if every_axis else EXTREMA_ALL
    axis_shapes = REDUCE if every_axis else NONEMPTY
    variants = [
        ("", dict(), all_shapes),
        ("_axis0", dict(axis=0), axis_shapes if every_axis else NONEMPTY + [(3, 0)]),
        ("_axis_neg_keepdims", dict(axis=-1, keepdims=True),
         axis_shapes if every_axis else NONEMPTY + [(0, 3)]),
        ("_axis_tuple", dict(axis=(0, -1)), axis_shapes),
        ("_axis_tuple_keepdims", dict(axis=(-1, 0), keepdims=True), axis_shapes),
    ]
    return [Row(name + suffix, lambda xp, x, kw=kw: fn(xp, x, **kw),
                arrays(one_arg(shapes), data), dtypes=dtypes, grad_order=grad_order,
                grad_cases=grad_cases)
            for suffix, kw, shapes in variants]


def rows_reductions():
    rows = []
    rows += reduction_rows("sum", lambda xp, x, **kw: xp.sum(x, **kw))
    # mean/var/std of nothing is nan: no derivative there.
    nonempty = arrays(one_arg(NONEMPTY))
    rows += reduction_rows("mean", lambda xp, x, **kw: xp.mean(x, **kw), grad_cases=nonempty)
    rows += reduction_rows("prod", lambda xp, x, **kw: xp.prod(x, **kw), uniform(0.5, 1.5))
    rows += reduction_rows("max", lambda xp, x, **kw: xp.max(x, **kw), grad_order=1,
                           every_axis=False)
    rows += reduction_rows("min", lambda xp, x, **kw: xp.min(x, **kw), grad_order=1,
                           every_axis=False)
    rows += reduction_rows("var", lambda xp, x, **kw: xp.var(x, **kw), grad_cases=nonempty)
    std = reduction_rows("std", lambda xp, x, **kw: xp.std(x, **kw))
    # sqrt at a zero variance (a size-1 reduction) has no derivative.
    rows += [Row(r.name, r.fn, r.cases, grad_cases=arrays(one_arg([(2, 3, 4), (4, 5)])))
             for r in std]
    rows += [
        Row("sum_int8", lambda xp, x: xp.sum(x, axis=0), arrays(one_arg(REDUCE)),
            dtypes=(np.int8,), grad_order=0),
        Row("sum_bool", lambda xp, x: xp.sum(x, axis=-1), arrays(one_arg(REDUCE)),
            dtypes=BOOL, grad_order=0),
        Row("sum_keepdims", lambda xp, x: xp.sum(x, keepdims=True), arrays(one_arg(REDUCE))),
        Row("sum_axis_empty_tuple", lambda xp, x: xp.sum(x, axis=()), arrays(one_arg(REDUCE)),
            dtypes=FLOATS + (np.int8,), grad_order=0),
        Row("sum_dtype", lambda xp, x: xp.sum(x, axis=1, dtype=np.float64),
            arrays(one_arg(REDUCE))),
        Row("mean_int", lambda xp, x: xp.mean(x, axis=-1), arrays(one_arg(NONEMPTY)),
            dtypes=INTS, grad_order=0),
        Row("max_nan", lambda xp, x: xp.max(x), values([1.0, np.nan, 3.0]), grad_order=0),
        Row("max_int", lambda xp, x: xp.max(x, axis=0), arrays(one_arg(NONEMPTY)),
            dtypes=INTS, grad_order=0),
        Row("var_ddof1", lambda xp, x: xp.var(x, axis=-1, ddof=1),
            arrays(one_arg([(2, 3, 4), (4, 5)]))),
        Row("var_int", lambda xp, x: xp.var(x, axis=0), arrays(one_arg(NONEMPTY)),
            dtypes=INTS, grad_order=0),
        Row("cumsum", lambda xp, x: xp.cumsum(x), arrays(one_arg(REDUCE_ALL))),
        Row("cumsum_axis0", lambda xp, x: xp.cumsum(x, axis=0), arrays(one_arg(REDUCE))),
        Row("cumsum_axis_neg", lambda xp, x: xp.cumsum(x, axis=-1), arrays(one_arg(REDUCE))),
        Row("cumsum_int8", lambda xp, x: xp.cumsum(x, axis=-1), arrays(one_arg(REDUCE)),
            dtypes=(np.int8,), grad_order=0),
    ]
    for name in ("argmax", "argmin"):
        fn = lambda xp, x, name=name, **kw: getattr(xp, name)(x, **kw)
        rows += [
            Row(name, fn, join(arrays(one_arg(EXTREMA_ALL), TIES),
                               values([1.0, np.nan, 3.0, np.nan])), dtypes=ANY, grad_order=0),
            Row(f"{name}_axis_neg", lambda xp, x, fn=fn: fn(xp, x, axis=-1),
                arrays(one_arg(NONEMPTY + [(0, 3)]), TIES), dtypes=ANY, grad_order=0),
            Row(f"{name}_axis0_keepdims", lambda xp, x, fn=fn: fn(xp, x, axis=0, keepdims=True),
                arrays(one_arg(NONEMPTY), TIES), dtypes=ANY, grad_order=0),
            Row(f"{name}_keepdims", lambda xp, x, fn=fn: fn(xp, x, keepdims=True),
                arrays(one_arg(NONEMPTY + [()]), TIES), dtypes=ANY, grad_order=0),
        ]
    return rows


def rows_shape():
    one = lambda *shapes: arrays(one_arg(shapes))
    take_cases = arrays([((4, 5), (3,)), ((4, 5), (2, 2)), ((4, 5), ())],
                        uniform(), index(4))
    along_cases = lambda idx_shape, n: arrays([((3, 4, 5), idx_shape)], uniform(), index(n))
    return [
        Row("reshape", lambda xp, x: xp.reshape(x, (4, 6)), one((2, 3, 4))),
        Row("reshape_neg1", lambda xp, x: xp.reshape(x, (3, -1)), one((2, 3, 4), (3,), (3, 0))),
        Row("reshape_scalar", lambda xp, x: xp.reshape(x, (1, 1)), one((), (1,))),
        Row("reshape_method", lambda xp, x: x.reshape(6, -1), one((2, 3, 4))),
        Row("ravel", lambda xp, x: xp.ravel(x), one(*UNARY_SHAPES)),
        Row("transpose", lambda xp, x: xp.transpose(x), one(*UNARY_SHAPES)),
        Row("transpose_axes", lambda xp, x: xp.transpose(x, (1, -1, 0)),
            one((2, 3, 4), (1, 0, 2))),
        Row("transpose_T", lambda xp, x: x.T, one((2, 3), (2, 3, 4))),
        Row("swapaxes", lambda xp, x: xp.swapaxes(x, 0, -1), one((2, 3, 4), (1, 0, 2))),
        Row("expand_dims", lambda xp, x: xp.expand_dims(x, 0), one((), (3,), (2, 3))),
        Row("expand_dims_neg", lambda xp, x: xp.expand_dims(x, -1), one((), (3,), (2, 3))),
        Row("expand_dims_tuple", lambda xp, x: xp.expand_dims(x, (0, 2)), one((3,), (2, 3))),
        Row("squeeze", lambda xp, x: xp.squeeze(x), one((1, 3, 1), (1,), (), (2, 3))),
        Row("squeeze_axis_neg", lambda xp, x: xp.squeeze(x, axis=-1), one((1, 3, 1), (2, 1))),
        Row("broadcast_to", lambda xp, x: xp.broadcast_to(x, (2, 4, 3)),
            one((), (3,), (1, 3), (2, 1, 1), (4, 1))),
        Row("broadcast_to_empty", lambda xp, x: xp.broadcast_to(x, (0, 3)), one((1, 3), ())),
        Row("concatenate", lambda xp, x, y: xp.concatenate([x, y]),
            arrays([((2, 3), (4, 3)), ((3,), (0,)), ((0, 2), (1, 2))]), grad_argnums=BOTH),
        Row("concatenate_axis_neg", lambda xp, x, y: xp.concatenate((x, y, x), axis=-1),
            arrays([((2, 3), (2, 1)), ((2, 1, 0), (2, 1, 2))]), grad_argnums=BOTH),
        Row("concatenate_axis_none", lambda xp, x, y: xp.concatenate([x, y], axis=None),
            arrays([((2, 3), (4,)), ((), (2, 2))]), grad_argnums=BOTH),
        Row("concatenate_mixed", lambda xp, x, y: xp.concatenate([x, y]),
            arrays([((2,), (3,))], uniform(), of_dtype(np.int32)), grad_argnums=(0,)),
        Row("stack", lambda xp, x, y: xp.stack([x, y]),
            arrays([((3,), (3,)), ((), ()), ((2, 3), (2, 3)), ((0,), (0,))]),
            grad_argnums=BOTH),
        Row("stack_axis_neg", lambda xp, x, y: xp.stack((x, y, x), axis=-1),
            arrays([((3,), (3,)), ((2, 3), (2, 3))]), grad_argnums=BOTH),
        Row("take", lambda xp, x: xp.take(x, [0, -1, 2]), one((2, 3), (5,))),
        Row("take_axis_neg", lambda xp, x: xp.take(x, np.array([[0, 2], [1, 1]]), axis=-1),
            one((2, 3), (4, 3, 3))),
        Row("take_traced_indices", lambda xp, x, i: xp.take(x, i, axis=0), take_cases),
        Row("take_along_axis", lambda xp, x, i: xp.take_along_axis(x, i, axis=1),
            along_cases((3, 2, 5), 4)),
        Row("take_along_axis_neg", lambda xp, x, i: xp.take_along_axis(x, i, axis=-1),
            along_cases((3, 4, 1), 5)),
        Row("take_along_axis_broadcast", lambda xp, x, i: xp.take_along_axis(x, i, axis=0),
            along_cases((2, 1, 5), 3)),
    ]


def rows_products():
    def pair(*shapes):
        return arrays(shapes)
    einsum = lambda spec: (lambda xp, *ops: xp.einsum(spec, *ops))
    return [
        Row("dot", lambda xp, x, y: xp.dot(x, y),
            pair(((3,), (3,)), ((2, 3), (3, 4)), ((2, 3), (3,)), ((3,), (3, 4)),
                 ((2, 3, 4), (4,)), ((2, 3, 4), (5, 4, 2)), ((), (3,)), ((2, 0), (0, 3))),
            grad_argnums=BOTH),
        Row("dot_int", lambda xp, x, y: xp.dot(x, y), pair(((2, 3), (3, 4)), ((3,), (3,))),
            dtypes=INTS, grad_order=0),
        Row("matmul", lambda xp, x, y: xp.matmul(x, y),
            pair(((3,), (3,)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
                 ((2, 1, 2, 3), (3, 3, 2)), ((3,), (2, 3, 4)), ((2, 3, 4), (4,)),
                 ((2, 0), (0, 3)), ((0, 2, 3), (3, 1))),
            grad_argnums=BOTH),
        Row("outer", lambda xp, x, y: xp.outer(x, y),
            pair(((3,), (4,)), ((2, 2), (3,)), ((), (3,)), ((0,), (3,))), grad_argnums=BOTH),
        Row("einsum_matmul", einsum("ij,jk->ik"), pair(((2, 3), (3, 4)), ((0, 3), (3, 2))),
            grad_argnums=BOTH),
        Row("einsum_implicit", einsum("ij,jk"), pair(((2, 3), (3, 4))), grad_argnums=BOTH),
        Row("einsum_implicit_transpose", einsum("ji"), pair(((2, 3),))),
        Row("einsum_batch", einsum("bij,bjk->bik"), pair(((5, 2, 3), (5, 3, 4))),
            grad_argnums=BOTH),
        Row("einsum_ellipsis", einsum("...ij,...jk->...ik"),
            pair(((2, 3, 4), (4, 5)), ((5, 2, 3), (5, 3, 1)), ((3, 4), (4, 2))),
            grad_argnums=BOTH),
        Row("einsum_ellipsis_implicit", einsum("...i,i"), pair(((2, 3, 4), (4,)), ((4,), (4,))),
            grad_argnums=BOTH),
        Row("einsum_trace", einsum("ii"), pair(((3, 3),), ((1, 1),), ((0, 0),))),
        Row("einsum_diagonal", einsum("ii->i"), pair(((3, 3),), ((1, 1),))),
        Row("einsum_inner", einsum("i,i"), pair(((3,), (3,)), ((0,), (0,))), grad_argnums=BOTH),
        Row("einsum_outer", einsum("i,j->ij"), pair(((3,), (4,))), grad_argnums=BOTH),
        Row("einsum_elementwise", einsum("ij,ij->ij"), pair(((2, 3), (2, 3))),
            grad_argnums=BOTH),
        Row("einsum_output_transposed", einsum("ij,jk->ki"), pair(((2, 3), (3, 4))),
            grad_argnums=BOTH),
        Row("einsum_sum", einsum("ij->"), pair(((2, 3),), ((0, 3),))),
        Row("einsum_three", einsum("ij,jk,kl->il"), pair(((2, 3), (3, 4), (4, 5))),
            grad_argnums=(0, 1, 2)),
        Row("einsum_broadcast_size1", einsum("ij,ij->i"), pair(((2, 1), (2, 3))),
            grad_argnums=BOTH),
    ]


def rows_indexing():
    x = lambda *shapes: arrays(one_arg(shapes or [(4, 5, 6)]))
    keys = {
        "int": lambda x: x[1],
        "neg_int": lambda x: x[-1],
        "ints": lambda x: x[1, -2],
        "slice": lambda x: x[1:3],
        "slice_neg_step": lambda x: x[::-1],
        "slice_neg_step2": lambda x: x[3:0:-2],
        "slice_multi": lambda x: x[1:, ::-2, 2:5],
        "slice_empty": lambda x: x[3:1],
        "slice_out_of_range": lambda x: x[-10:10],
        "none": lambda x: x[None, :, None],
        "ellipsis": lambda x: x[..., 0],
        "ellipsis_int_none": lambda x: x[0, ..., None],
        "int_array": lambda x: x[np.array([0, 2, -1])],
        "list": lambda x: x[[1, 1, 0]],
        "array_2d": lambda x: x[np.array([[0, 1], [3, 2]])],
        "array_axis1": lambda x: x[:, [0, 4, 2]],
        "array_empty": lambda x: x[:, np.array([], dtype=np.intp)],
        "adjacent_arrays": lambda x: x[:, [0, 1], [2, -3]],
        "nonadjacent_arrays": lambda x: x[[0, 1], :, [2, 3]],
        "int_array_nonadjacent": lambda x: x[0, :, [1, 2]],
        "int_array_adjacent": lambda x: x[:, 1, [0, 2]],
        "array_broadcast": lambda x: x[np.array([[0], [1]]), :, np.array([0, 1, 2])],
        "none_array": lambda x: x[None, [0, 1]],
        "ellipsis_array": lambda x: x[..., [1, 0]],
        "bool_mask_concrete": lambda x: x[np.array([True, False, True, False])],
    }
    rows = [Row(f"index_{name}", lambda xp, x, key=key: key(x), x()) for name, key in keys.items()]
    rows += [
        Row("index_scalar_of_1d", lambda xp, x: x[2], x((5,))),
        Row("index_traced_int_array", lambda xp, x, i: x[i],
            arrays([((4, 5), (3,)), ((4, 5), (2, 2)), ((4,), ())], uniform(), index(4))),
        Row("index_traced_mixed", lambda xp, x, i: x[1:, i, None],
            arrays([((4, 5), (3,)), ((3, 5, 2), (2, 2))], uniform(), index(5))),
    ]
    return rows


def rows_operators():
    floor_cases = arrays(BINARY_SHAPES, uniform(-5.0, 5.0), nonzero())
    bool_pair = arrays(BINARY_SHAPES, bools(), bools())
    # x % y jumps where x/y is an integer; on these grids |x/y - n| >= 1/14.
    mod_grad = arrays(BINARY_SHAPES, grid(), lambda rng, dt, s: np.asarray(
        np.where(rng.random(s) < 0.5, -0.7, 0.7), dtype=dt))
    return [
        Row("op_add", lambda xp, x, y: x + y, binary(), grad_argnums=BOTH),
        Row("op_radd_python", lambda xp, x: 1 + x, unary()),
        Row("op_rmul_python", lambda xp, x: 2.0 * x, unary()),
        Row("op_rsub_python", lambda xp, x: 1.0 - x, unary()),
        Row("op_sub", lambda xp, x, y: x - y, binary(), grad_argnums=BOTH),
        Row("op_mul", lambda xp, x, y: x * y, binary(), grad_argnums=BOTH),
        Row("op_truediv", lambda xp, x, y: x / y, arrays(BINARY_SHAPES, uniform(), nonzero()),
            grad_argnums=BOTH),
        Row("op_rtruediv_python", lambda xp, x: 1.0 / x, arrays(one_arg(UNARY_SHAPES),
                                                              nonzero())),
        Row("op_truediv_int", lambda xp, x, y: x / y,
            arrays(BINARY_SHAPES, uniform(), nonzero()), dtypes=INTS, grad_order=0),
        Row("op_pow_python", lambda xp, x: x ** 2, unary()),
        Row("op_pow_int_python", lambda xp, x: x ** 2, unary(), dtypes=INTS, grad_order=0),
        Row("op_rpow_python", lambda xp, x: 2.0 ** x, unary()),
        Row("op_pow", lambda xp, x, y: x ** y, binary(0.5, 2.0), grad_argnums=BOTH),
        Row("op_floordiv", lambda xp, x, y: x // y, floor_cases, grad_order=0),
        Row("op_floordiv_int", lambda xp, x, y: x // y, floor_cases, dtypes=INTS, grad_order=0),
        Row("op_mod", lambda xp, x, y: x % y, floor_cases, grad_order=1, grad_argnums=BOTH,
            grad_cases=mod_grad),
        Row("op_mod_int", lambda xp, x, y: x % y, floor_cases, dtypes=INTS, grad_order=0),
        Row("op_neg", lambda xp, x: -x, unary()),
        Row("op_pos", lambda xp, x: +x, unary()),
        Row("op_abs", lambda xp, x: abs(x), unary(), grad_order=1,
            grad_cases=arrays(one_arg(UNARY_SHAPES), KINKED)),
        Row("op_matmul", lambda xp, x, y: x @ y,
            arrays([((2, 3), (3, 4)), ((3,), (3,)), ((5, 2, 3), (3,))]), grad_argnums=BOTH),
        Row("op_lt", lambda xp, x, y: x < y, arrays(BINARY_SHAPES, TIES, TIES), dtypes=ANY,
            grad_order=0),
        Row("op_le_python", lambda xp, x: x <= 0.5, arrays(one_arg(UNARY_SHAPES), TIES),
            dtypes=ANY, grad_order=0),
        Row("op_eq", lambda xp, x, y: x == y, arrays(BINARY_SHAPES, TIES, TIES), dtypes=ANY,
            grad_order=0),
        Row("op_ne", lambda xp, x, y: x != y, arrays(BINARY_SHAPES, TIES, TIES), dtypes=ANY,
            grad_order=0),
        Row("op_gt_reflected", lambda xp, x: 0.5 > x, arrays(one_arg(UNARY_SHAPES), TIES),
            dtypes=ANY, grad_order=0),
        Row("op_invert_bool", lambda xp, x: ~x, arrays(one_arg(UNARY_SHAPES)), dtypes=BOOL,
            grad_order=0),
        Row("op_invert_int", lambda xp, x: ~x, arrays(one_arg(UNARY_SHAPES)), dtypes=INTS,
            grad_order=0),
        Row("op_and_bool", lambda xp, x, y: x & y, bool_pair, dtypes=BOOL, grad_order=0),
        Row("op_or_bool", lambda xp, x, y: x | y, bool_pair, dtypes=BOOL, grad_order=0),
        Row("op_xor_bool", lambda xp, x, y: x ^ y, bool_pair, dtypes=BOOL, grad_order=0),
        Row("op_bool_plus_python_int", lambda xp, x: x + 1, arrays(one_arg(UNARY_SHAPES)),
            dtypes=BOOL, grad_order=0),
        Row("op_and_comparisons", lambda xp, x, y: (x > 0) & (y < x), binary(),
            grad_order=0),
    ]


def rows_methods():
    x = arrays(one_arg([(2, 3, 4), (1, 3, 1)]))
    methods = {
        "sum": lambda x: x.sum(axis=-1, keepdims=True),
        "mean": lambda x: x.mean(axis=(0, 2)),
        "var": lambda x: x.var(),
        "max": lambda x: x.max(axis=1),
        "prod": lambda x: x.prod(axis=0),
        "cumsum": lambda x: x.cumsum(axis=-2),
        "astype": lambda x: x.astype(np.float64),
        "clip": lambda x: x.clip(-0.5, 0.5),
        "flatten": lambda x: x.flatten(),
        "squeeze": lambda x: x.squeeze(),
        "swapaxes": lambda x: x.swapaxes(0, 2),
        "transpose": lambda x: x.transpose(1, 0, 2),
        "transpose_tuple": lambda x: x.transpose((2, 0, 1)),
        "take": lambda x: x.take([1, 0], axis=1),
        "dot": lambda x: x.dot(np.ones((4 if x.shape[-1] == 4 else 1, 2), x.dtype)),
    }
    kinked = {"max": 1, "clip": 1}
    rows = [Row(f"method_{name}", lambda xp, x, m=m: m(x), x, grad_order=kinked.get(name, 2),
                grad_cases=arrays(one_arg([(2, 3, 4), (1, 3, 1)]), KINKED))
            for name, m in methods.items()]
    rows.append(Row("method_argmax", lambda xp, x: x.argmax(axis=-1),
                    arrays(one_arg([(2, 3, 4)]), TIES), grad_order=0))
    return rows


ROWS = (rows_methods() + rows_creation() + rows_arithmetic() + rows_transcendental() +
        rows_where_and_logic() + rows_reductions() + rows_shape() + rows_products() +
        rows_indexing() + rows_operators())
