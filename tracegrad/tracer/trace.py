"""Traces record primitive applications into a graph; `bind` is the one entry point
through which every operation on arrays or tracers goes.

Traces nest (grad of grad, grad inside compile). Each has a level; an operation runs in
the innermost trace among its operands, and tracers of outer traces are captured as extra
inputs there. An operation on concrete arrays only runs NumPy directly. A trace is eager
(tracers carry concrete values, so Python control flow works) unless it is created under
an abstract trace (compile, make_ir)."""
from __future__ import annotations

import threading

import numpy as np

from ..errors import TracegradError
from ..ir import PRIMITIVES, Aval, Graph, Literal, Node, Primitive, Value, walk
from ..ir.kinds import ARGREDUCE, DOT, ELEMENTWISE, IOTA, REDUCE, SCAN, VIEW
from . import nan_check
from .inputs import plain_array
from .source import describe_location, user_location
from .tracer import Tracer


class _TraceState(threading.local):
    def __init__(self):                 # run once per thread, on its first use
        self.stack = []


_state = _TraceState()
_CONVERT = PRIMITIVES["convert"]
_node_of_tuples = Node.of_tuples
# The params of every planned elementwise node: none (shared; a Node's params are
# never changed in place).
_NO_PARAMS: dict = {}
_nan_state = nan_check._state


def trace_stack() -> list:
    """This thread's open traces, innermost last."""
    return _state.stack


def current_trace():
    stack = trace_stack()
    return stack[-1] if stack else None


class EscapedTracerError(TracegradError):
    """A tracer was used after the function that created it returned."""


def python_scalar_aval(x) -> Aval:
    dtype = {bool: np.bool_, int: np.int64, float: np.float64, complex: np.complex128}
    for kind, dt in dtype.items():
        if type(x) is kind or (kind is not bool and isinstance(x, kind) and
                               not isinstance(x, bool)):
            return Aval((), dt, weak=True)
    raise TypeError(f"not a Python scalar: {x!r}")


def is_python_scalar(x) -> bool:
    return isinstance(x, (bool, int, float, complex)) and not isinstance(x, np.generic)


# (shape, dtype) -> the Aval of an array of them: one object per kind of argument, so
# the avals of a function's inputs are built once and compare by identity.
_ARRAY_AVALS: dict = {}


# One object per Aval the eager hot paths hand out (array arguments, NumPy scalars,
# results whose avals are cached): keys holding them then compare by identity, not by
# Aval.__eq__.
_INTERNED: dict = {}


def interned(aval: Aval) -> Aval:
    found = _INTERNED.get(aval)
    if found is None:
        if len(_INTERNED) > 10_000:
            _INTERNED.clear()
        found = _INTERNED[aval] = aval
    return found


# NumPy scalar type -> the Aval of its values.
_SCALAR_AVALS = {t: interned(Aval((), np.dtype(t))) for t in set(np.sctypeDict.values())
                 if np.dtype(t).kind != "V"}


def aval_of(x) -> Aval:
    """The aval of a tracer, array, NumPy scalar or Python scalar (weakly typed)."""
    if type(x) is np.ndarray:
        key = (x.shape, x.dtype)
        found = _ARRAY_AVALS.get(key)
        if found is None:
            if len(_ARRAY_AVALS) > 10_000:
                _ARRAY_AVALS.clear()
            found = _ARRAY_AVALS[key] = interned(Aval(x.shape, x.dtype))
        return found
    if isinstance(x, Tracer):
        return x.aval
    if isinstance(x, Literal):
        return x.aval
    found = _SCALAR_AVALS.get(type(x))       # a NumPy scalar
    if found is not None:
        return found
    if is_python_scalar(x):
        return python_scalar_aval(x)
    x = np.asarray(x)
    return Aval(x.shape, x.dtype)


# Shape/dtype rules are pure functions of the operands' avals and the params: their
# results are remembered for the kinds of primitive whose params are small and hashable
# (an eager trace records the same few operations over and over).
_CACHED_KINDS = frozenset({ELEMENTWISE, VIEW, REDUCE, ARGREDUCE, SCAN, DOT, IOTA})
_OUT_AVALS: dict = {}


def out_avals_of(prim: Primitive, avals: list, params: dict) -> list:
    """prim.out_avals(avals, params), from a cache where that is safe."""
    if prim.kind not in _CACHED_KINDS:
        return prim.out_avals(avals, params)
    try:
        key = (prim, *avals, *params.items()) if params else (prim, *avals)
        found = _OUT_AVALS.get(key)
    except TypeError:                            # an unhashable param: no caching
        return prim.out_avals(avals, params)
    if found is None:
        if len(_OUT_AVALS) > 50_000:
            _OUT_AVALS.clear()
        found = _OUT_AVALS[key] = tuple(map(interned, prim.out_avals(avals, params)))
    return found


class Trace:
    # How a tracer of this trace reaches the user when a transformation returns it: as
    # it is (None), or through this function (the imperative tape's: as a Tensor).
    export_result = None

    def __init__(self, eager: bool, level: int):
        self.eager = eager
        self.level = level
        self.inputs: list[Value] = []
        self.nodes: list[Node] = []
        self.consts: dict[int, tuple[Value, np.ndarray]] = {}
        self.captures: dict[int, tuple[Value, object]] = {}   # id(outer tracer) -> ...
        self.concrete: dict[Value, np.ndarray] = {}           # eager mode only
        # (primitive, operands) -> the Value of a planned elementwise operation already
        # recorded (eager mode): the same operation on the same values is not recorded
        # twice (a backward pass recomputes many products the forward pass made).
        self.recorded: dict[tuple, Value] = {}
        self.finished = False

    def __repr__(self):
        return f"<{'eager' if self.eager else 'abstract'} trace level {self.level}>"

    def new_input(self, aval: Aval, concrete=None, hint=None) -> Tracer:
        value = Value(aval, hint)
        self.inputs.append(value)
        if not self.eager:
            return Tracer(self, value, None)
        concrete = np.asarray(concrete, dtype=aval.dtype)
        if concrete.ndim == 0:
            # As NumPy computes a 0-d result: a NumPy scalar, a fraction of a 0-d
            # array's cost in every operation that follows.
            concrete = concrete[()]
        self.concrete[value] = concrete
        return Tracer(self, value, concrete)

    def fresh_copy(self, x, loc: str | None) -> Tracer:
        """A new value of this eager trace equal to x (one of its tracers, or a concrete
        array or scalar), made by a `convert` node to x's own type (at the user's `loc`):
        a distinct variable to differentiate with respect to, which the outer derivative
        still connects to x."""
        source = x._value if type(x) is Tracer and x._trace is self else self.operand(x)
        aval = source.aval
        out = Value(aval)
        self.nodes.append(_node_of_tuples(_CONVERT, (source,),
                                          {"dtype": aval.dtype, "weak": aval.weak},
                                          (out,), loc))
        value = self.concrete[out] = self.concrete_of(source)
        return Tracer(self, out, value)

    # -- operands -------------------------------------------------------------------
    def operand(self, x):
        """The Value or Literal that stands for x in this trace."""
        if isinstance(x, Tracer):
            if x._trace is self:
                return x._value
            if x._trace.finished or x._trace.level >= self.level:
                raise EscapedTracerError(
                    f"A traced value of type {x.aval} from a function that already "
                    f"returned is used at {describe_location(user_location())}. Values "
                    f"created while tracing must not be stored outside the traced "
                    f"function (globals, closures of other functions); return them.")
            key = id(x)
            if key not in self.captures:
                value = Value(x.aval)
                self.captures[key] = (value, x)
                if self.eager:
                    self.concrete[value] = x._concrete
            return self.captures[key][0]
        if isinstance(x, Literal):
            return x
        if is_python_scalar(x):
            return Literal(x, python_scalar_aval(x))
        traced = getattr(type(x), "__tracegrad_operand__", None)
        if traced is not None:
            # An array wrapper that may hold a traced value (the imperative API's Tensor):
            # what it stands for in the computation, not its data alone.
            return self.operand(traced(x))
        if isinstance(x, np.ndarray) and type(x) is not np.ndarray:
            # A masked array or matrix the function closes over: its meaning would be lost.
            x = plain_array(x, "an array the function uses (a closure, global or "
                               "argument of a NumPy call)")
        array = x if isinstance(x, np.ndarray) else np.asarray(x)
        if array.dtype == object:
            raise TypeError(f"cannot trace a value of type {type(x).__name__}")
        if array.ndim == 0:
            return Literal(array[()], Aval((), array.dtype))
        key = id(x)
        if key not in self.consts:
            value = Value(Aval(array.shape, array.dtype))
            self.consts[key] = (value, array, x)   # keep x alive so its id stays unique
            if self.eager:
                self.concrete[value] = array
        return self.consts[key][0]

    def array_operand(self, array):
        """operand(array) for a plain NumPy array (a plan's array operand): a constant
        of the trace, looked up first (an array used again), made without operand's
        tests for the other kinds of operand."""
        found = self.consts.get(id(array))
        if found is not None:
            return found[0]
        if array.ndim == 0 or array.dtype == object:
            return self.operand(array)
        value = Value(aval_of(array))
        self.consts[id(array)] = (value, array, array)   # keeps it alive: its id unique
        if self.eager:
            self.concrete[value] = array
        return value

    def concrete_of(self, operand):
        return operand.value if isinstance(operand, Literal) else self.concrete[operand]

    # -- recording ------------------------------------------------------------------
    def record(self, prim: Primitive, args, params: dict, loc: str | None):
        operands = []
        for x in args:
            if type(x) is Tracer and x._trace is self:
                operands.append(x._value)
            elif type(x) is Literal:
                operands.append(x)
            else:
                operands.append(self.operand(x))
        avals = [x.aval for x in operands]
        try:
            out_avals = out_avals_of(prim, avals, params)
        except TracegradError as err:
            loc = loc or user_location()
            raise type(err)(f"{err}\n  at {describe_location(loc)}") from None
        if loc is None:
            loc = user_location()
        outputs = [Value(a) for a in out_avals]
        node = Node(prim, operands, params, outputs, loc)
        self.nodes.append(node)
        if not self.eager:
            return [Tracer(self, v, None) for v in outputs]
        known = self.concrete
        concrete = [x.value if isinstance(x, Literal) else known[x] for x in operands]
        values = prim.impl(*concrete, **params)
        tracers = []
        for v, c in zip(outputs, values):
            dtype = v.aval.dtype
            if type(c) is not np.ndarray or c.dtype != dtype:
                c = np.asarray(c, dtype=dtype)
            known[v] = c
            tracers.append(Tracer(self, v, c))
        if _nan_state.checking:                # nan_check.is_checking(), inlined
            nan_check.check_result(prim.name, loc, concrete, [t._concrete for t in tracers])
        return tracers

    def record_elementwise(self, prim: Primitive, fast, args, steps):
        """`record` for the usual eager operation (see ufuncs.apply_binary): a one-output
        elementwise primitive on this trace's own tracers and Python scalars, whose
        output aval (and the Literals' avals, `steps`) a plan already knows. Same node,
        same value, fewer steps; `fast` is (output aval, raw implementation, NumPy's
        error state (variable, ignore-all value), a cache of Literals per operand)."""
        out_aval, raw, (errors, ignore), literals = fast
        operands, concrete = elementwise_operands(self, args, steps, literals)
        key = (prim, *operands)        # as record_binary and record_unary key theirs
        found = self.recorded.get(key)
        if found is not None:
            return Tracer(self, found, self.concrete[found])
        loc = user_location(4)      # skip this frame, apply_binary and its (internal) caller
        out = Value(out_aval)
        self.nodes.append(_node_of_tuples(prim, operands, _NO_PARAMS, (out,), loc))
        token = errors.set(ignore)
        try:
            c = raw(*concrete)
        finally:
            errors.reset(token)
        # A 0-d result stays the NumPy scalar NumPy returns (what NumPy code computes
        # with next, at a fraction of a 0-d array's cost); users get arrays (vjp).
        if type(c) is not out_aval.scalar_type and (
                (type(c) is not np.ndarray and not isinstance(c, np.generic)) or
                c.dtype != out_aval.dtype):
            c = np.asarray(c, dtype=out_aval.dtype)
        self.concrete[out] = c
        self.recorded[key] = out
        tracer = Tracer(self, out, c)
        if _nan_state.checking:                # nan_check.is_checking(), inlined
            nan_check.check_result(prim.name, loc, concrete, [c])
        return tracer

    def record_binary(self, prim: Primitive, fast, a, b, skip=4):
        """record_elementwise for two tracers of this trace, spelled out (no operand
        tuples to build and unpack, no call to share a tail with the others): the most
        frequent eager operation. `skip`: user_location's, from the caller's point of
        view (3 for a tracer's operator, 4 through apply_binary)."""
        out_aval, raw, (errors, ignore), _ = fast
        av, bv = a._value, b._value
        key = (prim, av, bv)
        found = self.recorded.get(key)
        if found is not None:
            return Tracer(self, found, self.concrete[found])
        loc = user_location(skip)
        out = Value(out_aval)
        self.nodes.append(_node_of_tuples(prim, (av, bv), _NO_PARAMS, (out,), loc))
        ca, cb = a._concrete, b._concrete
        token = errors.set(ignore)
        try:
            c = raw(ca, cb)
        finally:
            errors.reset(token)
        if type(c) is not out_aval.scalar_type and (
                (type(c) is not np.ndarray and not isinstance(c, np.generic)) or
                c.dtype != out_aval.dtype):
            c = np.asarray(c, dtype=out_aval.dtype)
        self.concrete[out] = c
        self.recorded[key] = out
        tracer = Tracer(self, out, c)
        if _nan_state.checking:                # nan_check.is_checking(), inlined
            nan_check.check_result(prim.name, loc, (ca, cb), [c])
        return tracer

    def record_unary(self, prim: Primitive, fast, a):
        """record_elementwise for one tracer of this trace: recorded once per operand
        (the trace's memo), as a planned one-operand operation."""
        key = (prim, a._value)
        found = self.recorded.get(key)
        if found is not None:
            return Tracer(self, found, self.concrete[found])
        out_aval, raw, quiet, _ = fast
        # Skips: record_planned sees this frame, apply_unary and its (internal) caller.
        return self.record_planned(prim, a, _NO_PARAMS, (out_aval, raw, quiet), 3, key)

    def record_planned(self, prim: Primitive, a, params: dict, plan, skip: int,
                       key=None):
        """`record` for a one-operand primitive on a tracer of this eager trace whose
        output aval a plan already knows (an elementwise operation, a reduction): the
        node, the plan's `raw(value)` with NumPy's errors ignored, a 0-d result kept as
        the NumPy scalar NumPy gives. `plan` is (output aval, raw, NumPy's error state
        (variable, ignore-all value)); `skip`: user_location's, from the caller's point
        of view; `key`: the trace's memo entry to fill (`recorded`), if any."""
        out_aval, raw, (errors, ignore) = plan
        loc = user_location(skip + 1)
        out = Value(out_aval)
        self.nodes.append(_node_of_tuples(prim, (a._value,), params, (out,), loc))
        ca = a._concrete
        token = errors.set(ignore)
        try:
            c = raw(ca)
        finally:
            errors.reset(token)
        if type(c) is not out_aval.scalar_type and (
                (type(c) is not np.ndarray and not isinstance(c, np.generic)) or
                c.dtype != out_aval.dtype):
            c = np.asarray(c, dtype=out_aval.dtype)
        self.concrete[out] = c
        if key is not None:
            self.recorded[key] = out
        tracer = Tracer(self, out, c)
        if _nan_state.checking:                # nan_check.is_checking(), inlined
            nan_check.check_result(prim.name, loc, (ca,), [c])
        return tracer

    def finish(self, outputs) -> tuple[Graph, list]:
        """Close the trace: returns the graph and the outer objects bound to its extra
        (captured) inputs, which follow the declared inputs."""
        out_operands = [self.operand(x) for x in outputs]
        captured = list(self.captures.values())
        inputs = self.inputs + [v for v, _ in captured]
        consts = [(v, a) for v, a, _ in self.consts.values()]
        self.finished = True
        return Graph(inputs, self.nodes, out_operands, consts), [x for _, x in captured]


class TracerTable(dict):
    """Value -> a tracer of `trace` for it, made when first asked for: the primal values
    a backward walk over an eager trace's own nodes reads (see trace_in_place)."""

    __slots__ = ("trace",)

    def __init__(self, trace: Trace):
        super().__init__()
        self.trace = trace

    def __missing__(self, value):
        trace = self.trace
        tracer = self[value] = Tracer(trace, value, trace.concrete[value])
        return tracer


class _ArrayOperand:
    """A plan's step for a NumPy array operand (see ufuncs._plan): the array becomes a
    constant of the trace (`operand`), as the general path makes it."""

    __slots__ = ()

    def __repr__(self):
        return "ARRAY_OPERAND"


ARRAY_OPERAND = _ArrayOperand()


def elementwise_operands(trace, args, steps, literals):
    """(operands, their concrete values) of a planned eager elementwise operation (see
    Trace.record_elementwise): a tracer's value; a Literal made of a Python or NumPy
    scalar with the plan's aval (`step`), remembered per operand (`literals`: value ->
    Literal), so a constant in a loop is converted once; or, for an array, the trace's
    constant for it."""
    if len(args) == 2:
        a, b = args
        sa, sb = steps
        if sa is None:
            if sb is None:                              # two tracers
                return (a._value, b._value), (a._concrete, b._concrete)
            if type(sb) is Aval:                        # a tracer and a scalar
                lit = _literal(b, sb, literals[1])
                return (a._value, lit), (a._concrete, lit.value)
            if sb is ARRAY_OPERAND:                     # a tracer and an array
                return (a._value, trace.array_operand(b)), (a._concrete, b)
        elif sb is None:
            if type(sa) is Aval:                        # a scalar and a tracer
                lit = _literal(a, sa, literals[0])
                return (lit, b._value), (lit.value, b._concrete)
            if sa is ARRAY_OPERAND:                     # an array and a tracer
                return (trace.array_operand(a), b._value), (a, b._concrete)
    elif len(args) == 1 and steps[0] is None:
        a = args[0]
        return (a._value,), (a._concrete,)
    operands = []
    concrete = []
    for a, step, cache in zip(args, steps, literals):
        if step is None:
            operands.append(a._value)
            concrete.append(a._concrete)
        elif step is ARRAY_OPERAND:
            operands.append(trace.array_operand(a))
            concrete.append(a)
        else:
            lit = _literal(a, step, cache)
            operands.append(lit)
            concrete.append(lit.value)
    return tuple(operands), concrete


def _literal(x, aval, cache):
    """The Literal of the scalar x with a plan's aval, remembered in `cache` (value ->
    Literal), so a constant in a loop is converted once. Zero is not remembered: 0.0 and
    -0.0 are equal keys."""
    lit = cache.get(x) if x else None
    if lit is None:
        lit = Literal(x, aval)
        if x:
            if len(cache) > 256:
                cache.clear()
            cache[x] = lit
    return lit


class new_trace:
    """Open a trace nested in the current one. Eager unless asked or nested under an
    abstract trace. A context manager (a class: every eager gradient opens one) whose
    `with` value is the trace."""

    __slots__ = ("eager", "trace")

    def __init__(self, eager: bool | None = None):
        self.eager = eager

    def __enter__(self) -> Trace:
        stack = _state.stack
        parent = stack[-1] if stack else None
        parent_eager = parent is None or parent.eager
        eager = self.eager
        self.trace = trace = Trace(
            eager=parent_eager if eager is None else (eager and parent_eager),
            level=(parent.level + 1) if parent else 1)
        stack.append(trace)
        return trace

    def __exit__(self, *exc):
        _state.stack.pop()
        self.trace.finished = True
        return False


def _top_trace(args):
    top = None
    for x in args:
        if isinstance(x, Tracer) and (top is None or x._trace.level > top.level):
            top = x._trace
    return top


def bind(prim: Primitive, args, params=None, loc=None, like=None):
    """Apply `prim` to args (tracers, arrays, scalars): records it in the innermost trace
    among the tracers (and `like`, for operations such as zeros_like(tracer) whose
    operands are all constants), or runs the NumPy implementation when all are concrete.
    Returns one result, or a list for multiple-result primitives."""
    if params is None:
        params = {}
    trace = None
    for x in args:
        if isinstance(x, Tracer) and (trace is None or x._trace.level > trace.level):
            trace = x._trace
    if like is not None and isinstance(like, Tracer) and \
            (trace is None or like._trace.level > trace.level):
        trace = like._trace
    if trace is None:
        values = [x.value if isinstance(x, Literal) else x for x in args]
        outs = [np.asarray(o) for o in prim.impl(*values, **params)]
        if nan_check.is_checking():
            nan_check.check_result(prim.name, loc or user_location(), values, outs)
    else:
        if trace.finished:
            trace.operand(next(x for x in args if isinstance(x, Tracer)
                               and x._trace is trace))   # raises EscapedTracerError
        outs = trace.record(prim, args, params, loc)
    return outs if prim.multiple_results else outs[0]


def replay(graph: Graph, args, source_trace: Trace | None = None):
    """Evaluate `graph` on args by binding each primitive again, in whatever context the
    args live in (outer tracers or arrays). Returns (outputs, env: Value -> object).

    If the graph was recorded by an eager trace and all args are concrete, the values
    it already computed are reused instead of recomputed."""
    if source_trace is not None and source_trace.eager and \
            not any(isinstance(a, Tracer) for a in args):
        # The finished trace's own table (no copy: nothing records into it any more).
        env = source_trace.concrete
        env.update(zip(graph.inputs, args))
        read = lambda x: np.asarray(x.value) if isinstance(x, Literal) else env[x]
        return [read(x) for x in graph.outputs], env

    target = _single_eager_trace(args)
    if source_trace is not None and source_trace.eager and target is not None:
        return _inline(graph, args, source_trace, target)

    def apply(node, values):
        outs = bind(node.prim, values, node.params, node.loc)
        return outs if node.prim.multiple_results else [outs]

    outs, env = walk(graph, list(args), apply, read_literal=lambda lit: lit)
    return [np.asarray(x.value) if isinstance(x, Literal) else x for x in outs], env


def _single_eager_trace(args):
    """The open eager trace (not the imperative tape) that every arg is a tracer of, or
    None."""
    target = None
    for a in args:
        if type(a) is not Tracer or (target is not None and a._trace is not target):
            return None
        target = a._trace
    if type(target) is not Trace or not target.eager or target.finished or \
            nan_check.is_checking():
        return None
    return target


def _inline(graph: Graph, args, source: Trace, target: Trace):
    """`replay` of an eagerly recorded graph on tracers of one eager trace: its nodes are
    copied into `target` with the values `source` computed for them. Those are the
    values binding each node again would compute (the same NumPy operations on the
    same values: the graph's inputs were made from these tracers), so a nested eager
    gradient records each level once and runs NumPy once."""
    operand_of = {}                      # graph Value -> its Value in target
    env = {}                             # graph Value -> target tracer (or const array)
    for v, a in zip(graph.inputs, args):
        operand_of[v] = a._value
        env[v] = a
    for v, array in graph.consts:
        operand_of[v] = target.operand(array)
        env[v] = array
    computed = source.concrete
    known = target.concrete
    nodes = target.nodes
    for node in graph.nodes:
        inputs = [x if type(x) is Literal else operand_of[x] for x in node.inputs]
        outputs = []
        for v in node.outputs:
            out = Value(v.aval)
            value = known[out] = computed[v]
            operand_of[v] = out
            env[v] = Tracer(target, out, value)
            outputs.append(out)
        nodes.append(Node(node.prim, inputs, node.params, outputs, node.loc))
    return [np.asarray(x.value) if type(x) is Literal else env[x] for x in graph.outputs], env
