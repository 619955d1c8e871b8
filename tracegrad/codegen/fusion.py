"""Fusion: partition a graph into kernels.

1. Decide which values are materialized (stored in a buffer): results of reductions,
   scans, dot and scatter; graph outputs; operands read at data-dependent or conditional
   indices (pad, concatenate, gather); and values that several kernels would otherwise
   recompute when the cost model says storing them is cheaper (cost.should_materialize).
   Everything else is fused: recomputed inline wherever it is needed.
2. Group materialized roots greedily, in graph order, into loop nests that share an
   iteration space and loop order, as long as no root reads a result of its own nest
   before it is complete and no cycle between kernels appears.
3. Order kernels topologically.
The decision in 1 depends on the grouping in 2 (which kernels would recompute a value), so
the two alternate until no more values need materializing."""
from __future__ import annotations

import dataclasses

from ..ir import Graph, Value
from . import cost
from .emit_table import FUSIBLE, rule
from .kernels import BUILDERS, Context, loop_order


@dataclasses.dataclass(eq=False)
class KernelPlan:
    id: int
    kind: str                         # 'loop', 'dot', 'scatter'
    space: tuple | None               # (shape, order, reversed axis) for loop kernels
    roots: list
    reads: set = dataclasses.field(default_factory=set)
    deps: set = dataclasses.field(default_factory=set)
    ancestors: set = dataclasses.field(default_factory=set)
    blocked: dict = dataclasses.field(default_factory=dict)   # root node -> reason
    evaluations: dict = dataclasses.field(default_factory=dict)
    fused_nodes: list = dataclasses.field(default_factory=list)

    def root_kind(self, node):
        return rule(node.prim.name).kind

    def __hash__(self):
        return self.id


@dataclasses.dataclass
class Plan:
    graph: Graph
    kernels: list                     # KernelPlan in execution order
    materialized: set
    producer: dict
    kernel_of: dict                   # materialized Value -> KernelPlan
    why_materialized: dict            # Value -> reason


def kernel_kind(node) -> str:
    kind = rule(node.prim.name).kind
    return {"dot": "dot", "scatter": "scatter", "sort": "sort"}.get(kind, "loop")


def forced_materialized(graph: Graph, producer) -> dict:
    """Values that must live in memory, with the reason."""
    why = {}
    for node in graph.nodes:
        kind = rule(node.prim.name).kind
        if kind not in FUSIBLE:
            for v in node.outputs:
                why[v] = f"result of {node.prim.name}"
        operands = {"pad": node.inputs[:1], "concatenate": node.inputs,
                    "gather": node.inputs[:1]}.get(node.prim.name, ()) if kind == "load" else ()
        for x in operands:
            if isinstance(x, Value) and x in producer:
                why.setdefault(x, f"read at computed indices by {node.prim.name}")
    for v in graph.outputs:
        if isinstance(v, Value) and v in producer:
            why.setdefault(v, "program output")
    return why


class Probe:
    """Names and buffers for builders run only to see what a kernel would read."""

    def local(self, _):
        return "t"

    def fresh(self, prefix):
        return prefix

    @staticmethod
    def buffer(_):
        return ("buf", 0)

    @staticmethod
    def scratch(*_):
        return ("scratch", 0)


def plan(graph: Graph) -> Plan:
    producer = {v: node for node in graph.nodes for v in node.outputs}
    for node in graph.nodes:
        rule(node.prim.name)          # MissingRuleError names an unknown primitive early
    why = forced_materialized(graph, producer)
    while True:
        kernels = _group(graph, producer, set(why))
        extra = _costly_shared_values(kernels, producer, set(why))
        if not extra:
            break
        why.update(extra)
    materialized = set(why)
    kernel_of = {v: k for k in kernels for node in k.roots for v in node.outputs}
    return Plan(graph, _topological(kernels), materialized, producer, kernel_of, why)


def fused_predicate(producer, materialized):
    def fused(x):
        return (isinstance(x, Value) and x in producer and x not in materialized
                and rule(producer[x].prim.name).kind in FUSIBLE)
    return fused


def _probe(kernel, producer, materialized):
    probe = Probe()
    ctx = Context(producer, fused_predicate(producer, materialized), probe.buffer,
                  probe.scratch, probe)
    return BUILDERS[kernel.kind](kernel, ctx)


def _group(graph, producer, materialized) -> list:
    kernels = []
    kernel_of = {}
    for node in graph.nodes:
        if not any(v in materialized for v in node.outputs):
            continue                 # fused into its consumers (or dead)
        kind = kernel_kind(node)
        space = loop_order(rule(node.prim.name).kind, node) if kind == "loop" else None
        candidate = KernelPlan(len(kernels), kind, space, [node])
        built = _probe(candidate, producer, materialized)
        reads = {v for v in built.all_reads if v in kernel_of}
        identity_reads = {}
        for nest in built.nests:
            for v, point in nest.reads:
                identity_reads.setdefault(v, set()).add(point == nest.point)
        home = None
        if kind == "loop":
            for k in reversed(kernels):
                if k.kind != "loop" or k.space != space:
                    continue
                reason = _join_conflict(k, reads, identity_reads, kernel_of)
                if reason is None:
                    home = k
                    break
                candidate.blocked[k.id] = reason
        if home is None:
            home = candidate
            home.roots = []
            kernels.append(home)
        home.roots.append(node)
        home.blocked.update({} if home is candidate else candidate.blocked)
        for v in node.outputs:
            kernel_of[v] = home
        deps = {kernel_of[v] for v in reads} - {home}
        _add_deps(home, deps, kernels)
        home.reads |= {v for v in built.all_reads}
        for nest in built.nests:
            # Roots of one kernel share its loop, which computes a value once per point:
            # the most any one root needs, not the sum over roots.
            for v, n in nest.evaluations.items():
                home.evaluations[v] = max(home.evaluations.get(v, 0), n)
            home.fused_nodes.extend(n for n in nest.nodes if n not in home.fused_nodes)
    return kernels


def _join_conflict(kernel, reads, identity_reads, kernel_of):
    """Why a root that reads `reads` cannot join `kernel`'s nest (None if it can)."""
    for v in reads:
        if kernel_of[v] is kernel:
            root = next(n for n in kernel.roots if v in n.outputs)
            if kernel.root_kind(root) not in FUSIBLE:
                return f"needs the finished result of {root.prim.name} in that loop"
            if identity_reads.get(v, {True}) != {True}:
                return "reads a value of that loop at a shifted or permuted index"
        elif kernel in kernel_of[v].ancestors:
            return "joining would form a cycle between loops"
    return None


def _add_deps(kernel, deps, kernels):
    kernel.deps |= deps
    for d in deps:
        kernel.ancestors |= d.ancestors | {d}
    for k in kernels:
        if kernel in k.ancestors:
            k.ancestors |= kernel.ancestors


def _costly_shared_values(kernels, producer, materialized) -> dict:
    """Fused values that several kernels (or one, through broadcasting) would recompute
    at a higher cost than storing them once; only the most downstream such values."""
    uses: dict = {}
    for k in kernels:
        for v, n in k.evaluations.items():
            count, ks = uses.get(v, (0, set()))
            uses[v] = (count + n, ks | {k})
    expr_cost: dict = {}

    def cost_of(x):
        if not isinstance(x, Value):
            return 0.0
        if x not in producer or x in materialized or \
                rule(producer[x].prim.name).kind not in FUSIBLE:
            return cost.LOAD
        if x not in expr_cost:
            node = producer[x]
            expr_cost[x] = cost.op_cost(node.prim.name) + sum(cost_of(i) for i in node.inputs)
        return expr_cost[x]

    chosen = {}
    for v, (count, ks) in uses.items():
        if v in materialized:
            continue
        if cost.should_materialize(cost_of(v), v.aval.size, count, len(ks)):
            chosen[v] = (f"shared by {len(ks)} loops, recomputing costs more than "
                         f"storing (cost model)")
    # Keep the frontier: a chosen value whose fused consumer is also chosen waits.
    consumers = {}
    for v in chosen:
        for i in producer[v].inputs:
            consumers.setdefault(i, []).append(v)
    return {v: r for v, r in chosen.items()
            if not any(c in chosen for c in consumers.get(v, ()))}


def _topological(kernels) -> list:
    done, order = set(), []
    pending = list(kernels)
    while pending:
        for k in pending:
            if k.deps <= done:
                order.append(k)
                done.add(k)
                pending.remove(k)
                break
        else:
            raise AssertionError("cycle between kernels")
    return order
