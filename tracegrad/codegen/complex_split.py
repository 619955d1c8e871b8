"""Complex values in compiled code: before fusion, every complex value of a graph becomes
a pair (re, im) of real values, so kernels only ever compute with real numbers.

Why a pass and not complex emit rules: LLVM has no complex type; teaching every emit rule,
reduction, BLAS call and view about pairs would touch all of codegen, while a graph of
real primitives is already fused, vectorized and compiled as well as any other.

The calling convention does not change: a complex array of shape S has the memory of a
real array of shape S + (2,) (re, im interleaved). The split graph takes and returns
those real arrays — inputs are sliced into parts, outputs interleaved back — and the
driver keeps the complex signature (lower.py), so the same pointers are read as reals;
no copy at the boundary.

Rules: the functions of complex_math.py for arithmetic and functions; primitives that
only move or add data (views, loads, scatter_add, reduce_sum, cumsum, select, add, ...)
apply to each part. Control flow (cond, scan, while) carries each complex operand and
result as two real ones, its sub-graphs split the same way. A primitive that sees a
complex value and has no rule raises UnsupportedError naming it and the user's line."""
from __future__ import annotations

import numpy as np

from ..errors import UnsupportedError
from ..ir import Aval, Graph, Literal, Node, Value
from ..ir.complex import real_dtype
from ..ir.control import split_scan, split_while, sub_graphs
from ..ir.kinds import LOAD, SCATTER, VIEW
from ..ir.passes.cse import eliminate_common_subexpressions
from ..ir.passes.dce import eliminate_dead_code
from ..ir.passes.simplify import simplify
from . import complex_math as cm
from .complex_builder import Builder
from .complex_reductions import RULES as REDUCTION_RULES
from .fft import split_fft

# Linear in the complex operands with real coefficients: the same primitive on each part
# (other operands, like indices and predicates, unchanged).
PARTWISE = {"add", "sub", "neg", "select", "stop_gradient", "reduce_sum", "cumsum",
            "broadcast_in_dim", "reshape", "transpose", "slice", "pad", "concatenate",
            "gather", "dynamic_slice", "dynamic_update_slice", "scatter_add"}


def _unary(fn):
    return lambda b, node, p: [fn(b, p)]


def _binary(fn):
    return lambda b, node, p, q: [fn(b, p, q)]


def _convert(b, node, x):
    dtype = node.params["dtype"]
    if isinstance(x, tuple):                       # from complex
        re, im = x
        if dtype.kind == "c":
            part = real_dtype(dtype)
            return [(b.convert(re, part), b.convert(im, part))]
        if dtype == np.bool_:
            return [b.or_(b.ne(re, 0.0), b.ne(im, 0.0))]
        return [b.convert(re, dtype)]              # NumPy keeps the real part
    part = real_dtype(dtype)                       # to complex
    return [(b.convert(x, part), b.lit(0.0, part))]


def _dot_general(b, node, p, q):
    dims = node.params["dims"]

    def dot(x, y):
        return b.op("dot_general", x, y, dims=dims)
    (ar, ai), (br, bi) = p, q
    return [(b.sub(dot(ar, br), dot(ai, bi)), b.add(dot(ar, bi), dot(ai, br)))]


def _iota(b, node):
    aval = node.outputs[0].aval
    part = real_dtype(aval.dtype)
    ramp = b.op("iota", dtype=part, shape=aval.shape, dimension=node.params["dimension"])
    return [(ramp, b.lit(0.0, part))]


RULES = {
    "mul": _binary(cm.mul), "div": _binary(cm.div), "pow": _binary(cm.pow),
    "exp": _unary(cm.exp), "exp2": _unary(cm.exp2), "expm1": _unary(cm.expm1),
    "log": _unary(cm.log), "log2": _unary(cm.log2), "log10": _unary(cm.log10),
    "log1p": _unary(cm.log1p), "sqrt": _unary(cm.sqrt),
    "sin": _unary(cm.sin), "cos": _unary(cm.cos), "tan": _unary(cm.tan),
    "sinh": _unary(cm.sinh), "cosh": _unary(cm.cosh), "tanh": _unary(cm.tanh),
    "sign": _unary(cm.sign),
    "abs": lambda b, node, p: [cm.hypot(b, *p)],
    "real": lambda b, node, p: [p[0]],
    "imag": lambda b, node, p: [p[1]],
    "conj": lambda b, node, p: [(p[0], b.neg(p[1]))],
    "complex": lambda b, node, re, im: [(re, im)],
    "isnan": lambda b, node, p: [b.or_(b.unary("isnan", p[0]), b.unary("isnan", p[1]))],
    "isinf": lambda b, node, p: [b.or_(b.unary("isinf", p[0]), b.unary("isinf", p[1]))],
    "isfinite": lambda b, node, p: [b.and_(b.unary("isfinite", p[0]),
                                           b.unary("isfinite", p[1]))],
    "eq": _binary(cm.equal),
    "ne": _binary(lambda b, p, q: b.not_(cm.equal(b, p, q))),
    "lt": _binary(lambda b, p, q: cm.less(b, p, q)),
    "le": _binary(lambda b, p, q: cm.less(b, p, q, strict=False)),
    "gt": _binary(lambda b, p, q: cm.less(b, q, p)),
    "ge": _binary(lambda b, p, q: cm.less(b, q, p, strict=False)),
    "max": _binary(lambda b, p, q: cm.extremum(b, p, q, True)),
    "min": _binary(lambda b, p, q: cm.extremum(b, p, q, False)),
    "convert": _convert,
    "dot_general": _dot_general,
    "iota": _iota,
    "fft": split_fft,
}

# Primitives that only exist for complex values: they never reach an emit rule.
COMPLEX_ONLY = ("real", "imag", "conj", "complex")


def _is_complex(x) -> bool:
    return x.aval.dtype.kind == "c"


def _mentions_complex(node) -> bool:
    values = [x for x in node.inputs] + list(node.outputs)
    if any(_is_complex(x) for x in values):
        return True
    for sub in sub_graphs(node):
        if any(_mentions_complex(n) for n in sub.nodes) or \
                any(_is_complex(v) for v in sub.inputs + sub.outputs):
            return True
    return False


def _unsupported(node) -> UnsupportedError:
    where = f" (at {node.loc})" if node.loc else ""
    return UnsupportedError(
        f"compiled code does not support complex values in {node.prim.name}{where}. "
        f"Compute it on real and imaginary parts (tracegrad.numpy.real/imag), or call "
        f"the function without tg.compile (eager grad/vjp/jvp handle complex values).")


class _Splitter:
    def __init__(self):
        self.b = Builder()
        self.parts: dict = {}      # complex Value -> (re, im)
        self.subst: dict = {}      # real Value -> its replacement
        # (re, im) -> the real (..., 2) array they were sliced from (inputs, fft results):
        # packing them again is that array, not a copy (rules see it as b.whole).
        self.whole: dict = {}
        self.b.whole = self.whole

    # -- operands --------------------------------------------------------------------
    def read(self, x):
        """A complex operand as a pair, a real one (substituted) as itself."""
        if isinstance(x, Literal):
            if not _is_complex(x):
                return x
            part = Aval((), real_dtype(x.aval.dtype), x.aval.weak)
            return Literal(np.real(x.value), part), Literal(np.imag(x.value), part)
        if _is_complex(x):
            return self.parts[x]
        return self.subst.get(x, x)

    def bind(self, v, result):
        """Record the replacement of output v (a pair for complex v), broadcast to v's
        shape where a rule's parts are smaller (a literal 0 imaginary part)."""
        if _is_complex(v):
            self.parts[v] = tuple(self.b.broadcast(self._operand(p, v), v.aval.shape)
                                  for p in result)
        elif result is not v:
            self.subst[v] = self.b.broadcast(result, v.aval.shape)

    @staticmethod
    def _operand(part, v):
        if isinstance(part, (int, float)):
            return Builder.lit(part, real_dtype(v.aval.dtype))
        return part

    # -- the graph boundary -------------------------------------------------------------
    def unpack(self, v):
        """A complex input v as a real (..., 2) input, and its parts sliced out."""
        shape = v.aval.shape
        packed = Value(Aval(shape + (2,), real_dtype(v.aval.dtype)), v.hint)
        whole = tuple((0, 1, n) for n in shape)
        self.parts[v] = tuple(
            self.b.op("reshape", self.b.op("slice", packed, dims=whole + ((k, 1, 1),)),
                      shape=shape) for k in (0, 1))
        self.whole[self.parts[v]] = packed
        return packed

    def pack(self, x):
        """An output: a complex one interleaved into (..., 2)."""
        if not _is_complex(x):
            return self.read(x)
        shape = x.aval.shape
        re, im = self.read(x)
        if isinstance(re, Value) and isinstance(im, Value) and (re, im) in self.whole:
            return self.whole[(re, im)]
        columns = [self.b.op("broadcast_in_dim", p, shape=shape + (1,),
                             dims=tuple(range(len(shape))) if p.aval.shape else ())
                   for p in (re, im)]
        return self.b.op("concatenate", *columns, axis=len(shape))

    # -- nodes ----------------------------------------------------------------------------
    def node(self, node):
        self.b.loc = node.loc
        inputs = [self.read(x) for x in node.inputs]
        if not _mentions_complex(node):
            if any(a is not b for a, b in zip(inputs, node.inputs)):
                node = Node(node.prim, inputs, node.params, node.outputs, node.loc)
            self.b.nodes.append(node)
            return
        name = node.prim.name
        if name in RULES:
            results = RULES[name](self.b, node, *inputs)
        elif name in PARTWISE or node.prim.kind in (VIEW, LOAD, SCATTER):
            results = [self._partwise(node, inputs)]
        else:
            raise _unsupported(node)
        for v, result in zip(node.outputs, results):
            self.bind(v, result)

    def _partwise(self, node, inputs):
        if not _is_complex(node.outputs[0]):
            raise _unsupported(node)
        return tuple(self.b.op(node.prim.name,
                               *[x[k] if isinstance(x, tuple) else x for x in inputs],
                               **node.params)
                     for k in (0, 1))


def split_complex(graph: Graph) -> Graph:
    """The graph with every complex value split into real parts (the same graph when
    it has none). Complex inputs, consts and outputs become real (..., 2) arrays."""
    if not any(_is_complex(v) for v in graph.inputs + [v for v, _ in graph.consts]) and \
            not any(_mentions_complex(n) for n in graph.nodes) and \
            not any(_is_complex(v) for v in graph.outputs):
        return graph
    s = _Splitter()
    inputs = [s.unpack(v) if _is_complex(v) else v for v in graph.inputs]
    consts = []
    for v, array in graph.consts:
        if _is_complex(v):
            packed = s.unpack(v)
            view = np.ascontiguousarray(array).view(packed.aval.dtype)
            consts.append((packed, view.reshape(packed.aval.shape)))
        else:
            consts.append((v, array))
    for node in graph.nodes:
        s.node(node)
    outputs = [s.pack(x) for x in graph.outputs]
    split = Graph(inputs, s.b.nodes, outputs, consts)
    # Tidy what the rules leave (reshapes to the same shape, x * 1, repeated parts); the
    # consts stay, unread or not: they are the driver's parameters.
    split = eliminate_dead_code(eliminate_common_subexpressions(simplify(split)))
    return split.replace(consts=consts)


# ---- control flow: complex operands and results as pairs of real ones ----------------------

def _split_expanded(graph: Graph) -> Graph:
    """A closed sub-graph with each complex input and output replaced by two real ones
    (re, im) in its place."""
    s = _Splitter()
    inputs = []
    for v in graph.inputs:
        if _is_complex(v):
            part = Aval(v.aval.shape, real_dtype(v.aval.dtype))
            s.parts[v] = (Value(part), Value(part))
            inputs.extend(s.parts[v])
        else:
            inputs.append(v)
    for node in graph.nodes:
        s.node(node)
    outputs = []
    for x in graph.outputs:
        read = s.read(x)
        outputs.extend(read if _is_complex(x) else (read,))
    split = Graph(inputs, s.b.nodes, outputs)
    return eliminate_dead_code(eliminate_common_subexpressions(simplify(split)))


def _flat(operands) -> list:
    return [y for x in operands for y in (x if isinstance(x, tuple) else (x,))]


def _regroup(results, outputs) -> list:
    """The real results of a split control node, paired again for complex outputs."""
    it = iter(results)
    return [(next(it), next(it)) if _is_complex(v) else next(it) for v in outputs]


def _scan(b, node, *inputs):
    p = node.params
    consts, carry, xs = split_scan(inputs, p["num_consts"], p["num_carry"])
    params = dict(p, body=_split_expanded(p["body"]), num_consts=len(_flat(consts)),
                  num_carry=len(_flat(carry)))
    return _regroup(b.op("scan", *_flat(inputs), **params), node.outputs)


def _while(b, node, *inputs):
    p = node.params
    test_consts, body_consts, _ = split_while(inputs, p["num_test_consts"],
                                              p["num_body_consts"])
    params = dict(p, test=_split_expanded(p["test"]), body=_split_expanded(p["body"]),
                  num_test_consts=len(_flat(test_consts)),
                  num_body_consts=len(_flat(body_consts)))
    return _regroup(b.op("while", *_flat(inputs), **params), node.outputs)


def _while_vjp(b, node, *inputs):
    p = node.params
    test_consts, body_consts, rest = split_while(inputs, p["num_test_consts"],
                                                 p["num_body_consts"])
    params = dict(p, test=_split_expanded(p["test"]), forward=_split_expanded(p["forward"]),
                  backward=_split_expanded(p["backward"]),
                  num_test_consts=len(_flat(test_consts)),
                  num_body_consts=len(_flat(body_consts)),
                  num_carry=len(_flat(rest[:p["num_carry"]])))
    return _regroup(b.op("while_vjp", *_flat(inputs), **params), node.outputs)


def _cond(b, node, index, *operands):
    branches = tuple(_split_expanded(g) for g in node.params["branches"])
    return _regroup(b.op("cond", index, *_flat(operands), branches=branches), node.outputs)


RULES.update({"scan": _scan, "while": _while, "while_vjp": _while_vjp, "cond": _cond})
RULES.update(REDUCTION_RULES)
