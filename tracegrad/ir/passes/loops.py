"""Loop-level dead code and sibling merging.

prune_loops   dead-code elimination that also looks inside control flow: results of a
              scan, while or cond that nothing reads are dropped from the node and its
              sub-graphs (a carry stays while a kept result or the loop's test needs
              it), and operands the remaining sub-graphs do not read are dropped too.
              A gradient asks for the cotangent of every input of a loop body; the
              ones of data nobody differentiates vanish here.
merge_loops   two scans over the same operands with the same carry recurrence become
              one scan producing both sets of results: reverse mode re-runs a loop's
              forward pass to stack its residuals, and value_and_grad also needs the
              plain forward's results; merged, the forward runs once."""
from __future__ import annotations

from ..control import split_scan, split_while
from ..graph import Graph, Literal, Node, Value
from .cse import eliminate_common_subexpressions
from .dce import eliminate_dead_code


def _reads(graph: Graph, outputs) -> set:
    """Positions of graph inputs that the given outputs depend on."""
    needed = {x for x in outputs if isinstance(x, Value)}
    for node in reversed(graph.nodes):
        if any(v in needed for v in node.outputs):
            needed.update(x for x in node.inputs if isinstance(x, Value))
    return {i for i, v in enumerate(graph.inputs) if v in needed}


def _restrict(graph: Graph, inputs, outputs) -> Graph:
    """The graph with only the given input and output positions (dead code removed)."""
    return eliminate_dead_code(Graph([graph.inputs[i] for i in inputs], graph.nodes,
                                     [graph.outputs[j] for j in outputs]))


# ---- prune --------------------------------------------------------------------------------

def prune_loops(graph: Graph) -> Graph:
    live = {x for x in graph.outputs if isinstance(x, Value)}
    kept = []
    for node in reversed(graph.nodes):
        if not any(v in live for v in node.outputs):
            continue
        pruner = _PRUNERS.get(node.prim.name)
        if pruner is not None:
            node = pruner(node, [v in live for v in node.outputs])
        kept.append(node)
        live.update(x for x in node.inputs if isinstance(x, Value))
    kept.reverse()
    consts = [(v, a) for v, a in graph.consts if v in live]
    return graph.replace(nodes=kept, consts=consts)


def _prune_scan(node: Node, used: list) -> Node:
    p = node.params
    body, k = p["body"], p["num_carry"]
    nc = p["num_consts"]
    consts, init, xs = split_scan(node.inputs, nc, k)
    ys = [j for j in range(k, len(used)) if used[j]]
    carries = {j for j in range(k) if used[j]}
    while True:                       # carries the kept results (or other carries) need
        reads = _reads(body, [body.outputs[j] for j in sorted(carries) + ys])
        grown = carries | {i - nc for i in reads if nc <= i < nc + k}
        if grown == carries:
            break
        carries = grown
    carries = sorted(carries)
    outputs = carries + ys
    if len(outputs) == len(used) and len(reads) == len(body.inputs):
        return node
    keep_consts = [i for i in range(nc) if i in reads]
    keep_xs = [i for i in range(nc + k, len(body.inputs)) if i in reads]
    inputs = keep_consts + [nc + j for j in carries] + keep_xs
    new_body = _restrict(body, inputs, outputs)
    params = dict(p, body=new_body, num_consts=len(keep_consts), num_carry=len(carries))
    operands = [consts[i] for i in keep_consts] + [init[j] for j in carries] + \
        [xs[i - nc - k] for i in keep_xs]
    return Node(node.prim, operands, params, [node.outputs[j] for j in outputs], node.loc)


def _prune_while(node: Node, used: list) -> Node:
    p = node.params
    test, body = p["test"], p["body"]
    nt, nb = p["num_test_consts"], p["num_body_consts"]
    test_consts, body_consts, init = split_while(node.inputs, nt, nb)
    test_reads = _reads(test, test.outputs)
    carries = {j for j, u in enumerate(used) if u} | {i - nt for i in test_reads if i >= nt}
    while True:
        reads = _reads(body, [body.outputs[j] for j in sorted(carries)])
        grown = carries | {i - nb for i in reads if i >= nb}
        if grown == carries:
            break
        carries = grown
    carries = sorted(carries)
    if len(carries) == len(init) and len(reads) == len(body.inputs) and \
            len(test_reads) == len(test.inputs):
        return node
    keep_tc = [i for i in range(nt) if i in test_reads]
    keep_bc = [i for i in range(nb) if i in reads]
    new_test = _restrict(test, keep_tc + [nt + j for j in carries], [0])
    new_body = _restrict(body, keep_bc + [nb + j for j in carries], carries)
    params = dict(p, test=new_test, body=new_body, num_test_consts=len(keep_tc),
                  num_body_consts=len(keep_bc))
    operands = [test_consts[i] for i in keep_tc] + [body_consts[i] for i in keep_bc] + \
        [init[j] for j in carries]
    return Node(node.prim, operands, params, [node.outputs[j] for j in carries], node.loc)


def _prune_cond(node: Node, used: list) -> Node:
    branches = node.params["branches"]
    outputs = [j for j, u in enumerate(used) if u]
    reads = set()
    for g in branches:
        reads |= _reads(g, [g.outputs[j] for j in outputs])
    if len(outputs) == len(used) and len(reads) == len(branches[0].inputs):
        return node
    inputs = sorted(reads)
    new = tuple(_restrict(g, inputs, outputs) for g in branches)
    operands = [node.inputs[0]] + [node.inputs[1 + i] for i in inputs]
    return Node(node.prim, operands, dict(node.params, branches=new),
                [node.outputs[j] for j in outputs], node.loc)


_PRUNERS = {"scan": _prune_scan, "while": _prune_while, "cond": _prune_cond}


# ---- merge --------------------------------------------------------------------------------

def _operand_key(x):
    return x.key() if isinstance(x, Literal) else x


def _scan_key(node):
    p = node.params
    return (tuple(_operand_key(x) for x in node.inputs), p["length"], p["reverse"],
            p["num_consts"], p["num_carry"])


def merge_loops(graph: Graph) -> Graph:
    first: dict = {}
    merged: dict = {}                 # first node -> merged node
    replaced: dict = {}               # later node -> [replacement operands]
    for node in graph.nodes:
        if node.prim.name != "scan":
            continue
        key = _scan_key(node)
        if key not in first:
            first[key] = node
            continue
        a = first[key]
        result = _merge_scans(merged.get(a, a), node)
        if result is not None:
            merged[a], replaced[node] = result
    if not merged:
        return graph
    subst: dict = {}
    nodes = []
    for node in graph.nodes:
        if node in replaced:
            subst.update((old, new) for old, new in zip(node.outputs, replaced[node])
                         if old is not new)
            continue
        nodes.append(merged.get(node, node))
    read = lambda x: subst.get(x, x) if isinstance(x, Value) else x   # noqa: E731
    nodes = [Node(n.prim, [read(x) for x in n.inputs], n.params, n.outputs, n.loc)
             for n in nodes]
    return graph.replace(nodes=nodes, outputs=[read(x) for x in graph.outputs])


def _merge_scans(a: Node, b: Node):
    """(one scan computing both, b's outputs in terms of it), or None when their
    carries could differ."""
    k = a.params["num_carry"]
    body_a, body_b = a.params["body"], b.params["body"]
    env = dict(zip(body_b.inputs, body_a.inputs))
    read = lambda x: env.get(x, x) if isinstance(x, Value) else x     # noqa: E731
    nodes = list(body_a.nodes)
    for n in body_b.nodes:
        fresh = [Value(v.aval, v.hint) for v in n.outputs]
        nodes.append(Node(n.prim, [read(x) for x in n.inputs], n.params, fresh, n.loc))
        env.update(zip(n.outputs, fresh))
    outputs = list(body_a.outputs) + [read(x) for x in body_b.outputs]
    joint = eliminate_common_subexpressions(Graph(body_a.inputs, nodes, outputs))
    n_a = len(body_a.outputs)
    same = all(_operand_key(x) == _operand_key(y)
               for x, y in zip(joint.outputs[:k], joint.outputs[n_a:n_a + k]))
    if not same:
        return None                   # the carries follow different recurrences
    body = eliminate_dead_code(joint.replace(outputs=joint.outputs[:n_a] +
                                             joint.outputs[n_a + k:]))
    node = Node(a.prim, a.inputs, dict(a.params, body=body),
                list(a.outputs) + list(b.outputs[k:]), a.loc)
    return node, list(a.outputs[:k]) + list(b.outputs[k:])
