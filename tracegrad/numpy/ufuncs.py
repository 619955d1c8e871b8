"""Elementwise functions. Dtypes are resolved by NumPy's own ufunc loop resolution
(`ufunc.resolve_dtypes`, NEP 50 weak Python scalars included), so results carry exactly
the dtype NumPy would give."""
from __future__ import annotations

import functools
import operator

import numpy as np

from .. import lax
from ..errors import DTypeError
from ..ir.elementwise import ROWS, quiet_state
from ..ir import PRIMITIVES, Aval, Literal, is_float
from ..tracer import Tracer, bind
from ..tracer.trace import ARRAY_OPERAND, aval_of, out_avals_of
from ._core import (HANDLED_FUNCTIONS, PLAIN_TYPES, _python_kind, convert, dtype_token,
                    implements, is_array_wrapper, is_python_scalar, is_weak, reject_kwargs,
                    result_type, ufunc_name, unsupported, wrapped_operand)


_DEFAULT = {bool: np.dtype(bool), int: np.dtype(np.int64), float: np.dtype(np.float64),
            complex: np.dtype(np.complex128)}


@functools.lru_cache(maxsize=None)
def _resolve(ufunc, tokens):
    if all(t in _DEFAULT for t in tokens):
        # Only Python scalars (e.g. a weakly typed loop counter compared with a bound):
        # NumPy picks its object loop for some ufuncs; use the default dtypes, as
        # np.less(3, 10) does.
        tokens = tuple(_DEFAULT[t] for t in tokens)
    # resolve_dtypes takes int, float and complex for weak scalars, not bool (a Python
    # bool promotes as NumPy's bool does).
    tokens = tuple(np.dtype(bool) if t is bool else t for t in tokens)
    try:
        return ufunc.resolve_dtypes(tokens + (None,) * ufunc.nout)
    except TypeError as err:
        raise DTypeError(f"{ufunc_name(ufunc)} is not defined for "
                         f"{', '.join(map(str, tokens))}: {err}") from None


def loop_dtypes(ufunc, *args):
    """Input and output dtypes of the NumPy loop `ufunc` would pick for args."""
    loop = _resolve(ufunc, tuple(dtype_token(a) for a in args))
    return loop[:len(args)], loop[len(args)]


def loop_inputs(ufunc, *args):
    """args converted to the dtypes of the NumPy loop `ufunc` would pick (for composites
    that compute a ufunc from primitives). Python scalars stay weak: they take the dtype
    of what they are combined with."""
    loop_in, _ = loop_dtypes(ufunc, *args)
    return [a if is_python_scalar(a) else convert(a, d) for a, d in zip(args, loop_in)]


def composite(np_ufunc):
    """Register a composite as the traced form of a NumPy ufunc; rejects out=/where=."""
    def wrap(body):
        def traced(*args, out=None, where=True, **kwargs):
            reject_kwargs(ufunc_name(np_ufunc), out=out, where=where, **kwargs)
            return body(*args)
        traced.__name__ = np_ufunc.__name__
        return implements(np_ufunc)(traced)
    return wrap


# (ufunc, primitive, per operand: a tracer's aval or a Python scalar's type) ->
# (primitive, per operand: None to pass it, an Aval to make a Literal of it, or (dtype,
# weak) to convert it; the loop's output dtype). The general path below, decided once.
_PLANS: dict = {}
_SCALARS = (float, int, bool, complex)


class _NumpyScalar:
    """A plan key's entry for a NumPy scalar operand: a strongly typed constant (what a
    cotangent or local derivative computed on concrete values may be)."""

    __slots__ = ("aval",)

    def __init__(self, dtype):
        self.aval = Aval((), dtype)


# The inexact NumPy scalar types (integer ones take the general path) -> their key.
_NUMPY_SCALARS = {t: _NumpyScalar(np.dtype(t)) for t in
                  (np.float16, np.float32, np.float64, np.longdouble, np.complex64,
                   np.complex128, np.clongdouble)}


class _ArrayKey:
    """A plan key's entry for a NumPy array operand (a constant of the trace)."""

    __slots__ = ("aval",)

    def __init__(self, aval):
        self.aval = aval


_ARRAY_KEYS: dict = {}                      # interned array aval -> its _ArrayKey


def _array_key(a):
    aval = aval_of(a)
    found = _ARRAY_KEYS.get(aval)
    if found is None:
        if len(_ARRAY_KEYS) > 10_000:
            _ARRAY_KEYS.clear()
        found = _ARRAY_KEYS[aval] = _ArrayKey(aval)
    return found


def _operand_key(a):
    """A plan key's entry for an operand that is not a tracer or Python scalar (a
    NumPy scalar or array), or None: the general path."""
    kind = type(a)
    if kind is np.ndarray:
        return _array_key(a)
    return _NUMPY_SCALARS.get(kind)


def _token(k):
    kind = type(k)
    if kind is Aval:
        return _python_kind(k.dtype) if k.weak else k.dtype
    if kind is _NumpyScalar or kind is _ArrayKey:
        return k.aval.dtype
    return k                                # a Python scalar type


def _plan(ufunc, prim_name, key):
    tokens = tuple(_token(k) for k in key)
    loop = _resolve(ufunc, tokens)
    loop_in, out_dtype = loop[:len(key)], loop[len(key)]
    weaks = [k.weak if type(k) is Aval else type(k) not in (_NumpyScalar, _ArrayKey)
             for k in key]
    weak = all(weaks)
    steps = []
    for k, d, w in zip(key, loop_in, weaks):
        w = w and weak
        if type(k) is _ArrayKey:
            steps.append(ARRAY_OPERAND if k.aval.dtype == d else (d, w))
        elif type(k) is not Aval:
            steps.append(Aval((), d, weak=w))
        elif k.dtype == d and k.weak == w:
            steps.append(None)
        else:
            steps.append((d, w))
    prim = PRIMITIVES[prim_name]
    return prim, steps, out_dtype, _fast_record(prim, key, steps, out_dtype)


_ERRORS = quiet_state()

# NumPy's arithmetic ufuncs and the operators that apply them: on NumPy scalars an
# operator runs NumPy's scalar math, a fraction of a ufunc call's overhead; on arrays,
# the same ufunc. Integer scalar math warns on overflow where the ufunc wraps silently,
# so the operators serve arrays and inexact scalars only (FAST_OPERANDS).
OPERATOR_FORMS = {np.add: operator.add, np.subtract: operator.sub,
                  np.multiply: operator.mul, np.true_divide: operator.truediv}
FAST_OPERANDS = frozenset({np.ndarray, np.float16, np.float32, np.float64, np.longdouble,
                           np.complex64, np.complex128, np.clongdouble})


def _fast_record(prim, key, steps, out_dtype):
    """What Trace.record_elementwise needs to record this plan's operation on tracers of
    one eager trace (its output aval, known from the key), or None where the general
    path must run: conversions of tracers, several outputs, a shape error to report."""
    raw = getattr(prim.impl, "raw", None)
    if raw is None or _ERRORS is None or prim.multiple_results or \
            any(step is not None and step is not ARRAY_OPERAND and type(step) is not Aval
                for step in steps):
        return None
    avals = [k if step is None else k.aval if step is ARRAY_OPERAND else step
             for k, step in zip(key, steps)]
    try:
        (out_aval,) = out_avals_of(prim, avals, {})
    except Exception:                 # reported, with the user's line, by the general path
        return None
    if out_aval.dtype != out_dtype:
        return None
    if out_dtype.kind in "fc":          # operands of the loop's (inexact) dtype
        raw = OPERATOR_FORMS.get(raw, raw)
    return out_aval, raw, _ERRORS, tuple({} for _ in steps)


def _plan_key(ufunc, prim_name, args):
    """The key of the plan for args, or None when an operand is neither a tracer nor a
    Python scalar (arrays, lists, literals: the general path)."""
    key = [ufunc, prim_name]
    for a in args:
        kind = type(a)
        if kind is Tracer:
            key.append(a._value.aval)
        elif kind in _SCALARS:
            key.append(kind)
        else:
            found = _operand_key(a)
            if found is None:
                return None
            key.append(found)
    return tuple(key)


def apply_binary(ufunc, prim_name, a, b):
    """apply_ufunc(ufunc, prim_name, a, b), taking the usual eager operation (tracers of
    one open eager trace and Python scalars, with a plan made already) in fewer steps:
    every traced binary operator and NumPy call comes here first."""
    ka, kb = type(a), type(b)
    if ka is Tracer and kb is Tracer:                       # two tracers, spelled out
        trace = a._trace
        plan = _PLANS.get((ufunc, prim_name, a._value.aval, b._value.aval))
        if plan is not None and b._trace is trace and plan[3] is not None and \
                trace.eager and not trace.finished:
            return trace.record_binary(plan[0], plan[3], a, b)
        return apply_ufunc(ufunc, prim_name, a, b)
    ka = a._value.aval if ka is Tracer else ka if ka in _SCALARS else _operand_key(a)
    kb = b._value.aval if kb is Tracer else kb if kb in _SCALARS else _operand_key(b)
    if ka is not None and kb is not None:
        plan = _PLANS.get((ufunc, prim_name, ka, kb))
        if plan is not None and plan[3] is not None:
            trace = a._trace if type(a) is Tracer else b._trace if type(b) is Tracer \
                else None
            if trace is not None and (type(b) is not Tracer or b._trace is trace) and \
                    trace.eager and not trace.finished:
                return trace.record_elementwise(plan[0], plan[3], (a, b), plan[1])
    return apply_ufunc(ufunc, prim_name, a, b)


def binary_operators(ufunc, prim_name):
    """A tracer's operator and its reflected form for a binary ufunc: two tracers of one
    eager trace with a plan are recorded from here (one call fewer than apply_binary,
    for the most common traced operation), anything else goes to apply_binary."""
    def forward(self, other):
        kind = type(other)
        if kind is Tracer:
            trace = self._trace
            plan = _PLANS.get((ufunc, prim_name, self._value.aval, other._value.aval))
            if plan is not None and other._trace is trace and plan[3] is not None and \
                    trace.eager and not trace.finished:
                return trace.record_binary(plan[0], plan[3], self, other, 3)
        elif kind not in _SCALARS and is_array_wrapper(other):
            return NotImplemented               # the wrapper's reflected operator's
        return apply_binary(ufunc, prim_name, self, other)

    def reflected(self, other):
        return apply_binary(ufunc, prim_name, other, self)
    return forward, reflected


def apply_unary(ufunc, prim_name, a):
    """apply_ufunc(ufunc, prim_name, a) (see apply_binary)."""
    if type(a) is Tracer:
        plan = _PLANS.get((ufunc, prim_name, a._value.aval))
        if plan is not None and plan[3] is not None:
            trace = a._trace
            if trace.eager and not trace.finished:
                return trace.record_unary(plan[0], plan[3], a)
    return apply_ufunc(ufunc, prim_name, a)


def apply_ufunc(ufunc, prim_name, *args, dtype=None):
    """Convert args to the ufunc's loop dtypes and bind `prim_name`; the result is cast
    to the loop's output dtype if the primitive's differs."""
    if dtype is None:
        # The usual call on tracers and Python scalars: a plan made once per operand
        # types (unary and binary spelled out: this runs for every traced operation).
        if len(args) == 2:
            a, b = args
            ka, kb = type(a), type(b)
            ka = a._value.aval if ka is Tracer else ka if ka in _SCALARS else \
                _operand_key(a)
            kb = b._value.aval if kb is Tracer else kb if kb in _SCALARS else \
                _operand_key(b)
            key = (ufunc, prim_name, ka, kb) if ka is not None and kb is not None \
                else None
        elif len(args) == 1 and type(args[0]) is Tracer:
            key = (ufunc, prim_name, args[0]._value.aval)
        else:
            key = _plan_key(ufunc, prim_name, args)
        if key is not None:
            plan = _PLANS.get(key)
            if plan is None:
                if len(_PLANS) > 20_000:             # one entry per shape: bounded
                    _PLANS.clear()
                plan = _PLANS[key] = _plan(ufunc, prim_name, key[2:])
            prim, steps, out_dtype, fast = plan
            if fast is not None:
                # Every tracer from one open eager trace: the usual eager operation.
                trace = None
                for a in args:
                    if type(a) is Tracer:
                        if trace is None:
                            trace = a._trace
                        elif a._trace is not trace:
                            break
                else:
                    if trace is not None and trace.eager and not trace.finished:
                        return trace.record_elementwise(prim, fast, args, steps)
            operands = []
            for a, step in zip(args, steps):
                if step is None or step is ARRAY_OPERAND:
                    operands.append(a)
                elif type(step) is Aval:
                    operands.append(Literal(a, step))
                else:
                    operands.append(convert(a, step[0], weak=step[1]))
            trace = None
            for a in operands:
                if isinstance(a, Tracer) and (trace is None or a._trace.level > trace.level):
                    trace = a._trace
            if trace is not None and not trace.finished:
                out = trace.record(prim, operands, {}, None)[0]     # bind, inlined
            else:
                out = bind(prim, operands, {})
            return convert(out, out_dtype) if out.dtype != out_dtype else out
    if any(is_array_wrapper(a) for a in args):
        # tnp.multiply(tracer, tensor): the tensor's tracer (or array) takes part.
        return apply_ufunc(ufunc, prim_name, *[wrapped_operand(a) for a in args],
                           dtype=dtype)
    tokens = tuple(dtype_token(a) for a in args)
    if dtype is not None:
        loop_in = (np.dtype(dtype),) * len(args)
        out_dtype = np.dtype(dtype) if ufunc.__name__ not in _BOOL_OUT else np.dtype(bool)
    else:
        loop = _resolve(ufunc, tokens)
        loop_in, out_dtype = loop[:len(args)], loop[len(args)]
    weak = all(is_weak(a) for a in args)
    operands = [convert(a, d, weak=is_weak(a) and weak) for a, d in zip(args, loop_in)]
    out = lax.apply(prim_name, *operands)
    return convert(out, out_dtype) if out.dtype != out_dtype else out


_BOOL_OUT = {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
             "logical_and", "logical_or", "logical_xor", "logical_not", "isnan", "isinf",
             "isfinite", "signbit"}


def _define(ufunc, prim_name, name=None):
    def traced(*args, out=None, where=True, dtype=None, **kwargs):
        if len(args) != ufunc.nin:
            raise TypeError(f"{ufunc.__name__}() takes {ufunc.nin} positional arguments "
                            f"but {len(args)} were given")
        if out is not None or where is not True or kwargs:
            reject_kwargs(ufunc.__name__, out=out, where=where, **kwargs)
        return apply_ufunc(ufunc, prim_name, *args, dtype=dtype)
    traced.__name__ = name or ufunc.__name__
    traced.ufunc_primitive = (ufunc, prim_name)       # operators call apply_ufunc directly
    general = implements(ufunc, name)(traced)
    nin = ufunc.nin
    operator_form = OPERATOR_FORMS.get(ufunc)
    apply = apply_binary if nin == 2 else apply_unary if nin == 1 else apply_ufunc

    # The calls that VJP rules and user code make most, decided by the operands' types
    # alone: tracers (and scalars) to apply_ufunc, NumPy arrays (and scalars) to NumPy;
    # anything else (lists, keywords, subclasses) takes the general path.
    @functools.wraps(general)
    def dispatch(*args, **kwargs):
        if nin == 1 and not kwargs and len(args) == 1:     # unary, spelled out
            kind = type(args[0])
            if kind is Tracer:
                return apply_unary(ufunc, prim_name, args[0])
            if kind in PLAIN_TYPES:
                return ufunc(args[0])
        elif not kwargs and len(args) == nin:
            traced_operand = False
            for a in args:
                kind = type(a)
                if kind is Tracer:
                    traced_operand = True
                elif kind not in PLAIN_TYPES:
                    break
            else:
                if traced_operand:
                    return apply(ufunc, prim_name, *args)
                if operator_form is not None:
                    a, b = args
                    ka, kb = type(a), type(b)
                    # NumPy operands (a Python float may join one), as NumPy computes.
                    if (ka in FAST_OPERANDS and (kb in FAST_OPERANDS or kb is float)) or \
                            (ka is float and kb in FAST_OPERANDS):
                        return operator_form(a, b)
                return ufunc(*args)
        return general(*args, **kwargs)
    HANDLED_FUNCTIONS[ufunc] = dispatch
    return dispatch


# ufunc -> primitive, where the primitive is the ufunc (from the primitives' rows).
_DIRECT = {row.numpy: row.name for row in ROWS if isinstance(row.numpy, np.ufunc)}

_g = globals()
for _uf, _p in _DIRECT.items():
    _g[_uf.__name__] = _define(_uf, _p)

divide = true_divide = _g["divide"]
mod = _g["remainder"]
abs = absolute = _g["absolute"]
round_ = _g["rint"]
bitwise_not = _g["invert"]


def _fabs(x):
    return absolute(convert(x, np.result_type(dtype_token(x), np.float16)) if
                    not is_float(np.result_type(dtype_token(x))) else x)


fabs = implements(np.fabs)(lambda x, out=None: (reject_kwargs("fabs", out=out), _fabs(x))[1])


@implements(np.positive)
def positive(x, out=None):
    reject_kwargs("positive", out=out)
    return x


@implements(np.square)
def square(x, out=None):
    reject_kwargs("square", out=out)
    loop_in = _resolve(np.square, (dtype_token(x),))[0]
    x = convert(x, loop_in)
    return lax.apply("mul", x, x)


@implements(np.reciprocal)
def reciprocal(x, out=None):
    reject_kwargs("reciprocal", out=out)
    loop_in = _resolve(np.reciprocal, (dtype_token(x),))[0]
    if not is_float(loop_in):
        raise unsupported("numpy.reciprocal on integer arrays",
                          "Convert to float first (x.astype(float)).")
    return apply_ufunc(np.true_divide, "div", 1.0, convert(x, loop_in))


def _logical(ufunc, prim_name):
    def traced(*args, out=None, where=True, **kwargs):
        reject_kwargs(ufunc.__name__, out=out, where=where, **kwargs)
        bools = [b if getattr(b, "dtype", None) == np.bool_ else not_equal(b, 0)
                 for b in args]
        return lax.apply(prim_name, *[convert(b, np.bool_, weak=False) for b in bools])
    traced.__name__ = ufunc.__name__
    return implements(ufunc)(traced)


logical_and = _logical(np.logical_and, "and")
logical_or = _logical(np.logical_or, "or")
logical_xor = _logical(np.logical_xor, "xor")
logical_not = _logical(np.logical_not, "not")


@implements(np.where)
def where(condition, x=None, y=None):
    if x is None or y is None:
        raise unsupported("numpy.where(condition) with one argument (its shape depends "
                          "on the data)", "Use the three-argument form where(c, x, y).")
    cond = condition if getattr(condition, "dtype", None) == np.bool_ else \
        not_equal(condition, 0)
    out_dtype = result_type(x, y)
    # numpy.where returns an array: never weakly typed, even from two Python scalars.
    return lax.select(convert(cond, np.bool_, weak=False), convert(x, out_dtype, weak=False),
                      convert(y, out_dtype, weak=False))


@implements(np.clip)
def clip(a, a_min=None, a_max=None, out=None, **kwargs):
    reject_kwargs("clip", out=out)
    a_min = kwargs.pop("min", a_min)
    a_max = kwargs.pop("max", a_max)
    if a_min is not None:
        a = maximum(a, a_min)
    if a_max is not None:
        a = minimum(a, a_max)
    return a




# Every ufunc dispatched to its primitive, plus the functions defined above by hand.
__all__ = sorted({uf.__name__ for uf in _DIRECT} | {
    "divide", "true_divide", "mod", "abs", "absolute", "bitwise_not", "fabs", "positive",
    "square", "reciprocal", "logical_and", "logical_or", "logical_xor", "logical_not",
    "where", "clip"})
