"""backward() and autograd.grad(): collect the part of the tape between the outputs and
the tensors asked for, and hand it to the one backward builder of tracegrad.autodiff
(the same walk and VJP rules as tg.grad), with hooks for tensor hooks, retain_grad and
anomaly mode. create_graph=True runs the builder on tape tracers, so the gradient is
recorded on the tape in turn (higher order)."""
from __future__ import annotations

import numpy as np

from ..autodiff.backward import backward as build_backward
from ..ir import Graph
from ..tracer import Tracer
from ..tracer.source import describe_location, user_location
from .anomaly import check_backward_node
from .grad_mode import set_grad_enabled
from .tape import TAPE, TapeValue, is_taped
from .tensor import Tensor, unwrap, wrap

FREED = ("Trying to backward through the graph a second time (or directly access saved "
         "tensors after they have already been freed). Saved intermediate values of the "
         "graph are freed when you call .backward() or autograd.grad(). Specify "
         "retain_graph=True if you need to backward through the graph a second time or if "
         "you need to access saved tensors after calling backward.")
STALE = ("one of the variables needed for gradient computation has been modified by an "
         "inplace operation (an optimizer step, t.data = ..., t -= ... under no_grad) "
         "after it was recorded")


def _collect(roots):
    """(nodes in recording order, leaf values reached, every value reached), from the
    root values back to the leaves."""
    nodes, leaves, seen = {}, [], set()
    stack = list(roots)
    while stack:
        v = stack.pop()
        if v in seen:
            continue
        seen.add(v)
        node = v.node
        if node is None:
            if v.leaf is not None:
                leaves.append(v)
            continue
        if node not in nodes:
            nodes[node] = None
            stack.extend(x for x in node.inputs if isinstance(x, TapeValue))
    return sorted(nodes, key=lambda n: n.outputs[0].id), leaves, seen


def _leading_to(nodes, targets):
    """The nodes from which one of the target values is reached going backward (the
    others cannot contribute to their gradients)."""
    leads = set()
    for node in nodes:
        if any(isinstance(x, TapeValue) and (x in targets or x.node in leads)
               for x in node.inputs):
            leads.add(node)
    return [node for node in nodes if node in leads]


def _check_usable(nodes, values):
    for node in nodes:
        if node.freed:
            raise RuntimeError(f"{FREED}\n  The graph was freed by an earlier backward; "
                               f"its operation {node.prim.name!r} was recorded at "
                               f"{describe_location(node.loc)}.")
    stale = [v for v in values if v.stale] + [
        x for node in nodes for x in node.inputs + node.outputs
        if isinstance(x, TapeValue) and x.stale]
    if stale:
        node = stale[0].node
        where = f" (the output of {node.prim.name!r} recorded at {describe_location(node.loc)})" \
            if node is not None else f" (a leaf of shape {stale[0].aval.shape})"
        raise RuntimeError(f"{STALE}{where}. Compute the output again after the update, "
                           f"or update a copy.")


class _Env(dict):
    """Every tape value's primal, as the builder reads it: its array, or (create_graph)
    a tape tracer, so the backward operations are recorded too."""

    def __init__(self, create_graph):
        super().__init__()
        self.create_graph = create_graph

    def __missing__(self, v):
        primal = Tracer(TAPE, v, v.data) if self.create_graph else v.data
        self[v] = primal
        return primal


class _Hooks:
    """What the imperative API adds to the builder's walk: tensor hooks, retained
    gradients, the cotangents asked for (also of non-leaf inputs), anomaly checks."""

    def __init__(self, wanted, retain: bool):
        self.wanted = wanted
        self.found = {}
        self.retain = retain

    def cotangent(self, v, ct):
        if v.hooks:
            for hook in list(v.hooks):
                replaced = hook(wrap(ct))
                if replaced is not None:
                    ct = unwrap(replaced)
        if self.retain and v.retain is not None and (tensor := v.retain()) is not None:
            accumulate_grad(tensor, ct)
        if v in self.wanted:
            self.found[v] = ct
        return ct

    def node(self, node, in_cts):
        check_backward_node(node, in_cts)


def _seed(tensor, gradient, create_graph, index):
    if gradient is None:
        if tensor.size != 1:
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs: output {index} has "
                f"shape {tensor.shape} (at {describe_location(user_location())}). Pass "
                f"gradient= (a tensor of that shape: backward then computes the "
                f"vector-Jacobian product), or reduce it first (y.sum().backward()).")
        return np.ones(tensor.shape, tensor.dtype)
    if isinstance(gradient, Tensor):
        gradient = unwrap(gradient) if create_graph else gradient._data
    if tuple(np.shape(gradient)) != tensor.shape:
        raise RuntimeError(f"Mismatch in shape: grad_output[{index}] has a shape of "
                           f"{tuple(np.shape(gradient))} and output[{index}] has a shape of "
                           f"{tensor.shape}.")
    return gradient if isinstance(gradient, Tracer) else \
        np.asarray(gradient, dtype=tensor.dtype)


def _as_list(x, name):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return [x]
    if isinstance(x, (list, tuple)):
        return list(x)
    raise TypeError(f"{name} must be a Tensor or a sequence of Tensors, got "
                    f"{type(x).__name__}")


def _run(outputs, grad_outputs, retain_graph, create_graph, inputs, accumulate):
    """Cotangents of `inputs` (or of every leaf reached, when None); returns the wrt
    values, the tensors they belong to, the cotangents and the values reached."""
    for i, t in enumerate(outputs):
        if not t.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               f"have a grad_fn: nothing it was computed from requires "
                               f"grad (create leaves with tg.tensor(..., requires_grad=True), "
                               f"and compute outside tg.no_grad()).")
    roots = [t._tape_value for t in outputs]
    nodes, leaves, reached = _collect(roots)
    if inputs is not None:
        for t in inputs:
            if not t.requires_grad:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
        wrt = [t._tape_value for t in inputs]
        owners = list(inputs)
        nodes = _leading_to(nodes, set(wrt))
    else:
        wrt = leaves
        owners = [v.leaf() for v in leaves]
    _check_usable(nodes, wrt)
    seeds = [_seed(t, g, create_graph, i) for i, (t, g) in enumerate(zip(outputs, grad_outputs))]
    hooks = _Hooks(set(wrt), retain=accumulate)
    previous = TAPE.in_backward
    TAPE.in_backward = create_graph
    try:
        with set_grad_enabled(create_graph):
            build_backward(Graph(wrt, nodes, roots), _Env(create_graph), seeds, wrt,
                           hooks=hooks)
    finally:
        TAPE.in_backward = previous
    if not (create_graph if retain_graph is None else retain_graph):
        for node in nodes:
            node.freed = True
    return wrt, owners, [hooks.found.get(v) for v in wrt], reached


def accumulate_grad(tensor, ct):
    """tensor.grad += ct: in place into a plain gradient, recorded when ct is."""
    if tensor is None:
        return
    if is_taped(ct):
        tensor.grad = wrap(ct) if tensor.grad is None else tensor.grad + wrap(ct)
        return
    ct = np.asarray(ct._concrete if isinstance(ct, Tracer) else ct, dtype=tensor.dtype)
    grad = tensor.grad
    if grad is None:
        tensor.grad = Tensor._make(np.array(ct))              # a copy the user owns
    elif grad._tracer is None and grad._data.flags.writeable and grad.shape == ct.shape:
        grad._data += ct
    else:
        tensor.grad = grad + Tensor._make(ct)


def run_backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
                 inputs=None):
    """torch.autograd.backward: accumulate d(sum of tensors·grad_tensors) into the .grad
    of the leaves (or of `inputs`)."""
    tensors = _as_list(tensors, "tensors")
    grad_tensors = _as_list(grad_tensors, "grad_tensors") or [None] * len(tensors)
    inputs = _as_list(inputs, "inputs")
    if inputs is not None and not inputs:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    wrt, owners, cts, _ = _run(tensors, grad_tensors, retain_graph, create_graph, inputs,
                               accumulate=True)
    for tensor, ct in zip(owners, cts):
        if ct is not None:
            accumulate_grad(tensor, ct)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """torch.autograd.grad: the gradients of outputs with respect to inputs, as a tuple
    of tensors (recorded, for higher order, with create_graph=True). Nothing is
    accumulated into .grad."""
    outputs = _as_list(outputs, "outputs")
    inputs = _as_list(inputs, "inputs")
    grad_outputs = _as_list(grad_outputs, "grad_outputs") or [None] * len(outputs)
    wrt, _, cts, reached = _run(outputs, grad_outputs, retain_graph, create_graph, inputs,
                                accumulate=False)
    results = []
    for t, v, ct in zip(inputs, wrt, cts):
        if v not in reached and not allow_unused:
            raise RuntimeError(
                "One of the differentiated Tensors appears to not have been used in the "
                "graph. Set allow_unused=True if this is the desired behavior.")
        if ct is None:
            results.append(None if v not in reached else
                           Tensor._make(np.zeros(t.shape, t.dtype)))
        else:
            results.append(wrap(ct) if isinstance(ct, Tracer) else
                           Tensor._make(np.array(ct, dtype=t.dtype)))
    return tuple(results)
