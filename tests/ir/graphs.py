"""Small hand-built graphs for the IR tests."""
import numpy as np

from tracegrad.ir import PRIMITIVES, Aval, Graph, Literal, Node, Value

F32 = Aval((3,), np.float32)


def node(prim, inputs, out_avals, **params):
    return Node(PRIMITIVES[prim], inputs, params, [Value(a) for a in out_avals])


def lit(value, dtype=np.float32):
    return Literal(value, Aval((), dtype))


def graph(inputs, nodes, outputs, consts=()):
    return Graph(inputs, nodes, outputs, consts)
