"""Shared machinery of the namespace: dispatch between NumPy (concrete arguments) and
tracing, dtype promotion by NumPy's own rules, conversions, axis normalization."""
from __future__ import annotations

import functools
import sys

import numpy as np

from .. import lax
from ..errors import ShapeError, UnsupportedError
from ..ir import Aval, Literal
from ..tracer import Tracer, is_python_scalar
from ..tracer.inputs import plain_array
from ..tracer.pytree import PLAIN_TYPES
from ..tracer.source import describe_location, user_location

# numpy function -> tracegrad function, for __array_function__ / __array_ufunc__.
HANDLED_FUNCTIONS: dict = {}


def is_traced(x) -> bool:
    if isinstance(x, Tracer):
        return True
    if isinstance(x, (list, tuple)):
        return any(is_traced(y) for y in x)
    return False


def from_nested(x):
    """A (nested) list or tuple holding tracers, as one traced array, as np.array builds
    it (Python scalars count with NumPy's default dtypes; equal shapes required);
    anything else unchanged. So every function that takes array-likes takes
    `[x, x + 2.0]` as NumPy does."""
    if not isinstance(x, (list, tuple)) or not is_traced(x):
        return x
    parts = [from_nested(p) for p in x]
    dtype = np.result_type(*[p.dtype if isinstance(p, Tracer) else np.asarray(p).dtype
                             for p in parts])
    shapes = {tuple(p.shape) if isinstance(p, Tracer) else np.shape(p) for p in parts}
    if len(shapes) != 1:
        raise ShapeError(f"setting an array element with a sequence: the parts have "
                         f"shapes {sorted(shapes)} (inhomogeneous), at "
                         f"{describe_location(user_location())}")
    (part_shape,) = shapes
    rows = [lax.reshape(lax.convert(p, dtype) if isinstance(p, Tracer)
                        else np.asarray(p, dtype), (1,) + part_shape) for p in parts]
    return rows[0] if len(rows) == 1 else lax.concatenate(rows, 0)


def plain(x):
    """x, refusing an ndarray subclass whose meaning would be lost (a masked array's
    mask, a matrix's algebra) with an error that says what to pass instead."""
    if isinstance(x, np.ndarray) and type(x) is not np.ndarray:
        return plain_array(x, "an array passed to a tracegrad.numpy function")
    return x


def is_array_wrapper(x) -> bool:
    """Whether x wraps an array that may be traced (its type has `__tracegrad_operand__`:
    the imperative API's Tensor). A tracer's operators leave mixed operations to its
    operators (NotImplemented), so `tracer * tensor` means `tensor * tracer`."""
    return getattr(type(x), "__tracegrad_operand__", None) is not None


def wrapped_operand(x):
    """What an array wrapper stands for in a computation (its tracer while one records
    it, else its array); anything else as it is."""
    found = getattr(type(x), "__tracegrad_operand__", None)
    return x if found is None else found(x)


def any_traced(args, kwargs=None) -> bool:
    # A plain loop: every tracegrad.numpy call (the eager backward pass makes many on
    # NumPy arrays) asks this first.
    for a in args:
        if isinstance(a, Tracer) or (isinstance(a, (list, tuple)) and is_traced(a)):
            return True
    if kwargs:
        for a in kwargs.values():
            if isinstance(a, Tracer) or (isinstance(a, (list, tuple)) and is_traced(a)):
                return True
    return False


def implements(numpy_fn, name: str | None = None):
    """Decorate the traced implementation of `numpy_fn`: concrete arguments go straight to
    NumPy (identical results), traced ones to the decorated function."""
    def wrap(traced_impl):
        @functools.wraps(traced_impl)
        def fn(*args, **kwargs):
            if not kwargs:
                for a in args:
                    if type(a) not in PLAIN_TYPES:
                        break
                else:
                    return numpy_fn(*args)
            if any_traced(args, kwargs):
                return traced_impl(*args, **kwargs)
            return numpy_fn(*args, **kwargs)
        fn.__name__ = name or getattr(numpy_fn, "__name__", traced_impl.__name__)
        fn.__qualname__ = fn.__name__
        fn.__doc__ = (f"tracegrad version of numpy.{fn.__name__}: identical on NumPy "
                      f"arrays, traceable and differentiable on traced values.")
        fn.numpy_function = numpy_fn
        HANDLED_FUNCTIONS[numpy_fn] = fn
        return fn
    return wrap


def unsupported(what: str, fix: str = "") -> UnsupportedError:
    loc = describe_location(user_location())
    return UnsupportedError(f"{what} is not supported on traced values (at {loc})."
                            + (f" {fix}" if fix else ""))


def ufunc_name(ufunc) -> str:
    """The ufunc as the user wrote it: 'scipy.special.gamma' for SciPy's ufuncs (which
    dispatch here too), 'numpy.exp' for NumPy's."""
    name = ufunc.__name__
    special = sys.modules.get("scipy.special")        # loaded if the user has SciPy's
    if getattr(np, name, None) is not ufunc and getattr(special, name, None) is ufunc:
        return f"scipy.special.{name}"
    return f"numpy.{name}"


def reject_kwargs(fn_name, **kwargs):
    """`out=`, `order=`, ... that tracegrad does not support on tracers; fn_name is
    NumPy's unless qualified (`scipy.special.erf`)."""
    label = fn_name if "." in fn_name else f"numpy.{fn_name}"
    for key, value in kwargs.items():
        default = {"out": None, "order": None, "casting": "same_kind", "subok": True,
                   "signature": None, "initial": None}.get(key, None)
        if value is not default and not (key == "where" and value is True):
            raise unsupported(f"{label}(..., {key}=...)",
                              "Compute without it and combine with tracegrad.numpy.where "
                              "or the .at[] updates." if key != "out" else
                              "Traced arrays are immutable: use the return value.")


# -- dtypes -----------------------------------------------------------------------------

def dtype_token(x):
    """What stands for x in NumPy's promotion: a dtype, or a Python type for weak values."""
    if isinstance(x, Tracer):
        a = x.aval
        return _python_kind(a.dtype) if a.weak else a.dtype
    if isinstance(x, Literal):
        return _python_kind(x.aval.dtype) if x.aval.weak else x.aval.dtype
    x = from_nested(x)
    if isinstance(x, Tracer):
        return x.dtype
    if is_python_scalar(x):
        return type(x)
    return np.asarray(x).dtype


def _python_kind(dtype):
    return {"b": bool, "i": int, "u": int, "f": float, "c": complex}[np.dtype(dtype).kind]


def is_weak(x) -> bool:
    if isinstance(x, Tracer):
        return x.aval.weak
    return is_python_scalar(x)


_WEAK_STAND_INS = {bool: False, int: 0, float: 0.0, complex: 0j}


def result_type(*args):
    """NumPy 2 promotion of the arguments (Python scalars and weak values are weak:
    np.result_type treats Python scalar *values*, not types, that way)."""
    tokens = [dtype_token(a) for a in args]
    return np.result_type(*[_WEAK_STAND_INS.get(t, t) if isinstance(t, type) else t
                            for t in tokens])


def shape(x) -> tuple:
    x = from_nested(x)
    return x.shape if isinstance(x, Tracer) else np.shape(x)


def ndim(x) -> int:
    return len(shape(x))


def convert(x, dtype, weak: bool | None = None):
    """x as dtype: a convert node on tracers, a literal for Python scalars, NumPy's
    astype on arrays (with NumPy's overflow errors)."""
    dtype = np.dtype(dtype)
    x = plain(from_nested(x))
    if isinstance(x, Tracer):
        w = x.aval.weak if weak is None else weak
        if x.dtype == dtype and x.aval.weak == w:
            return x
        return lax.convert(x, dtype, w)
    if is_python_scalar(x):
        return Literal(x, Aval((), dtype, weak=True if weak is None else weak))
    array = np.asarray(x)
    return array if array.dtype == dtype else array.astype(dtype)


def asarray_traced(x):
    """A tracer stays; anything else becomes a NumPy array (Python scalars get NumPy's
    default dtype)."""
    x = plain(from_nested(x))
    return x if isinstance(x, Tracer) else np.asarray(x)


# -- axes -------------------------------------------------------------------------------

def normalize_axis(axis: int, nd: int, name: str = "axis") -> int:
    if not -nd <= axis < nd:
        raise ShapeError(f"{name} {axis} is out of bounds for an array of dimension {nd}"
                         f" (at {describe_location(user_location())})")
    return axis % nd


def normalize_axes(axis, nd: int) -> tuple:
    if axis is None:
        return tuple(range(nd))
    if isinstance(axis, (tuple, list)):
        axes = tuple(normalize_axis(int(a), nd) for a in axis)
        if len(set(axes)) != len(axes):
            raise ShapeError(f"repeated axis in {tuple(axis)}")
        return axes
    return (normalize_axis(int(axis), nd),)


# -- small builders used across the namespace ----------------------------------------------

def resolve_shape(old_shape, new_shape) -> tuple:
    """NumPy's reshape target with one -1 filled in; ShapeError if sizes differ."""
    if isinstance(new_shape, (int, np.integer)):
        new_shape = (new_shape,)
    new_shape = [int(d) for d in new_shape]
    size = int(np.prod(old_shape, dtype=np.int64))
    if new_shape.count(-1) > 1:
        raise ShapeError("can only specify one unknown dimension (-1) in reshape")
    if -1 in new_shape:
        known = int(np.prod([d for d in new_shape if d != -1], dtype=np.int64))
        if known == 0 or size % known:
            raise ShapeError(f"cannot reshape array of size {size} into shape "
                             f"{tuple(new_shape)} (at {describe_location(user_location())})")
        new_shape[new_shape.index(-1)] = size // known
    if int(np.prod(new_shape, dtype=np.int64)) != size or any(d < 0 for d in new_shape):
        raise ShapeError(f"cannot reshape array of size {size} into shape "
                         f"{tuple(new_shape)} (at {describe_location(user_location())})")
    return tuple(new_shape)


def reshape(x, new_shape):
    if not isinstance(x, Tracer):
        return np.reshape(x, new_shape)
    new_shape = resolve_shape(x.shape, new_shape)
    if shape(x) == new_shape:
        return x
    if not isinstance(x, Tracer):
        return np.reshape(x, new_shape)
    return lax.reshape(x, new_shape)


def broadcast_to_shape(x, target):
    target = tuple(int(d) for d in target)
    xs = shape(x)
    if xs == target:
        return x
    if not isinstance(x, Tracer):
        return np.broadcast_to(x, target)
    lead = len(target) - len(xs)
    if lead < 0 or any(a != 1 and a != b for a, b in zip(xs, target[lead:])):
        raise ShapeError(f"cannot broadcast a traced array of shape {xs} to {target} "
                         f"(at {describe_location(user_location())})")
    return lax.broadcast_in_dim(x, target, range(lead, len(target)))
