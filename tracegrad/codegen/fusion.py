"""Fusion: partition a graph into kernels, in time linear in the graph.

1. Decide which values are materialized (stored in a buffer): results of reductions,
   scans, dot, scatter and sort; graph outputs; operands read at data-dependent or
   conditional indices (pad, concatenate, gather, dynamic slices) — and, in one backward pass over the
   graph, fused values that the kernels reading them would recompute at a higher cost
   than storing them once (cost.should_materialize). Everything else is fused:
   recomputed inline wherever it is needed.
2. Group materialized roots greedily, in graph order, into loop nests that share an
   iteration space and loop order, as long as no root reads a result of its own nest
   before it is complete and no cycle between kernels appears.
3. Order kernels topologically.

Step 1 estimates where a value will be computed before the kernels exist: each reader's
iteration space is a "site" (roots of one space usually share one loop nest), and a value
computed at a site is evaluated once per iteration of the loops it depends on, as the loop
nest hoists it there."""
from __future__ import annotations

import dataclasses
import heapq

from ..ir import Graph, Value
from . import cost
from ..ir.kinds import (ARGREDUCE, CALLBACK, CONTROL, ELEMENTWISE, FUSIBLE, LOAD, LOOP, REDUCE,
                        SCAN)
from .emit_table import check_supported
from .kernels import loop_order

JOIN_CANDIDATES = 8          # most recent kernels of a space a root may join
# How much one loop body (or one straight-line 0-d kernel) may hold, in node weights
# (cost.size_weight): LLVM's time grows faster than linearly with the size of one
# function, so longer fused chains are stored and split into several kernels.
LOOP_BUDGET = 300
SCALAR_BUDGET = 4000


@dataclasses.dataclass(eq=False)
class KernelPlan:
    id: int
    kind: str                         # 'loop', 'dot', 'scatter', 'sort'
    space: tuple | None               # (shape, order, reversed axis) for loop kernels
    roots: list
    reads: dict = dataclasses.field(default_factory=dict)    # Value -> read at identity?
    deps: set = dataclasses.field(default_factory=set)
    dependents: set = dataclasses.field(default_factory=set)
    level: int = 0                    # > the level of every kernel it depends on
    blocked: dict = dataclasses.field(default_factory=dict)  # kernel id -> reason
    walked: set = dataclasses.field(default_factory=set)     # fused cone walked so far
    weight: float = 0.0                                      # of the nodes it computes

    @staticmethod
    def root_kind(node):
        return node.prim.kind

    def __hash__(self):
        return self.id

    def __lt__(self, other):
        return self.id < other.id


@dataclasses.dataclass
class Plan:
    graph: Graph
    kernels: list                     # KernelPlan in execution order
    materialized: set
    producer: dict
    kernel_of: dict                   # materialized Value -> KernelPlan
    why_materialized: dict            # Value -> reason


def kernel_kind(node) -> str:
    """'loop' for loop nests; otherwise the primitive's kind (dot, scatter, sort)."""
    return "loop" if node.prim.kind in LOOP else node.prim.kind


_READ_FROM_MEMORY = {LOAD: "read at computed indices by {}", CONTROL: "read by {}'s sub-graphs",
                     CALLBACK: "passed to Python by {}"}


def forced_materialized(graph: Graph, producer) -> dict:
    """Values that must live in memory, with the reason."""
    why = {}
    for node in graph.nodes:
        kind = node.prim.kind
        if kind not in FUSIBLE:
            for v in node.outputs:
                why[v] = f"result of {node.prim.name}"
        operands = {"pad": node.inputs[:1], "concatenate": node.inputs,
                    "gather": node.inputs[:1], "dynamic_slice": node.inputs[:1],
                    "dynamic_update_slice": node.inputs[1:2],
                    }.get(node.prim.name, ()) if kind == LOAD else ()
        if kind in (CONTROL, CALLBACK):
            operands = node.inputs          # its sub-graphs, or Python, read them from memory
        reason = _READ_FROM_MEMORY.get(kind, "").format(node.prim.name)
        for x in operands:
            if isinstance(x, Value) and x in producer:
                why.setdefault(x, reason)
    for v in graph.outputs:
        if isinstance(v, Value) and v in producer:
            why.setdefault(v, "program output")
    return why


def plan(graph: Graph) -> Plan:
    producer = {v: node for node in graph.nodes for v in node.outputs}
    for node in graph.nodes:
        check_supported(node)         # MissingRuleError names an unknown primitive early
    why = forced_materialized(graph, producer)
    why.update(_bounded_expressions(graph, producer, why))
    # Where values are read depends on the grouping, and the grouping on what is stored:
    # group, let the cost model store what the kernels would recompute, group again.
    _, first_kernel_of = _group(graph, producer, set(why))
    why.update(_costly_shared_values(graph, producer, why, first_kernel_of))
    materialized = set(why)
    kernels, kernel_of = _group(graph, producer, materialized)
    return Plan(graph, _topological(kernels), materialized, producer, kernel_of, why)


def fused_predicate(producer, materialized):
    def fused(x):
        return (isinstance(x, Value) and x in producer and x not in materialized
                and producer[x].prim.kind in FUSIBLE)
    return fused


# ---- 1. the cost model's materializations -----------------------------------------------

def _budget(shape) -> float:
    return LOOP_BUDGET if any(n != 1 for n in shape) else SCALAR_BUDGET


def _bounded_expressions(graph, producer, forced) -> dict:
    """Fused values whose inlined expression (the distinct fused nodes it computes,
    weighted) would exceed a kernel's budget: stored, so no kernel grows without bound.
    Cones are kept as {node: weight} and capped by the budget, so this is linear."""
    cones: dict = {}
    chosen = {}
    for node in graph.nodes:
        v = node.outputs[0]
        if node.prim.kind not in FUSIBLE:
            continue
        cone = {}
        for x in node.inputs:
            if isinstance(x, Value) and x in cones:
                cone.update(cones[x])
        cone[node] = cost.size_weight(node.prim.name)
        if v in forced:
            continue
        if sum(cone.values()) > _budget(v.aval.shape):
            chosen[v] = "a fused expression this long compiles slowly: stored, and split"
            cone = {}
        cones[v] = cone
    return chosen



class _Site:
    """An iteration space that reads values: loop depth of each axis, trips per depth."""

    def __init__(self, key, shape, order, reverse=None):
        self.key = key
        self.space = (tuple(shape), tuple(order), reverse)
        self.depth_of = [None] * len(shape)
        self.trips = [1]                  # trips[d]: iterations of the loops down to d
        for axis in order:
            if shape[axis] != 1:
                self.trips.append(self.trips[-1] * shape[axis])
                self.depth_of[axis] = len(self.trips) - 1

    def evaluations(self, depths) -> int:
        return self.trips[max((d for d in depths if d is not None), default=0)]


def _root_site(node, kernel, readers=()):
    """The site of a root: its kernel; for a root the first grouping did not have, the
    site of a reader with the same iteration space (it will join that loop) or a kernel
    of its own. loop=False for dot, scatter and sort."""
    kind = node.prim.kind
    if kind not in LOOP:
        return None, False
    shape, order, reverse = loop_order(kind, node)
    if kernel is not None:
        return _Site(("kernel", kernel.id), shape, order, reverse), True
    for site in readers:
        if site.space == (tuple(shape), tuple(order), reverse):
            return site, True
    return _Site(("new", id(node)), shape, order, reverse), True


def _operand_depths(node, depths, x_index):
    """Depths driving each axis of operand `x_index` of `node`, given the depths of the
    node's output axes (or, for a reduction root, of its input's axes)."""
    x = node.inputs[x_index]
    name = node.prim.name
    kind = node.prim.kind
    if kind in (ELEMENTWISE, REDUCE, ARGREDUCE, SCAN):
        skip = len(depths) - x.aval.ndim
        return tuple(None if n == 1 else depths[skip + j] for j, n in enumerate(x.aval.shape))
    if name == "broadcast_in_dim":
        return tuple(None if n == 1 else depths[d] for n, d in
                     zip(x.aval.shape, node.params["dims"]))
    if name == "transpose":
        out = [None] * x.aval.ndim
        for i, p in enumerate(node.params["perm"]):
            out[p] = depths[i]
        return tuple(out)
    if name == "slice" or (name == "dynamic_update_slice" and x_index == 0):
        return tuple(depths)
    deepest = max((d for d in depths if d is not None), default=None)
    if name == "reshape" and [n for n in x.aval.shape if n != 1] == \
            [n for n in node.out.aval.shape if n != 1]:
        big = iter(d for d, n in zip(depths, node.out.aval.shape) if n != 1)
        return tuple(None if n == 1 else next(big) for n in x.aval.shape)
    if name == "gather" and x_index == 1:
        batch = depths[:x.aval.ndim - 1]
        return tuple(batch) + (None,)
    return tuple(deepest for _ in x.aval.shape)     # computed indices: all of them


def _costly_shared_values(graph, producer, forced, kernel_of) -> dict:
    """One backward pass: each fused value learns where it would be computed (sites and
    the loop depths its axes depend on) from its readers; if recomputing it there costs
    more than storing it once, it is materialized and becomes a root itself."""
    fusible = {v for v in producer if producer[v].prim.kind in FUSIBLE}
    expr_cost: dict = {}

    def cost_of(x):
        if not isinstance(x, Value) or x not in fusible or x in forced:
            return cost.LOAD if isinstance(x, Value) else 0.0
        return expr_cost[x]
    for node in graph.nodes:
        if node.outputs[0] in fusible:
            c = cost.op_cost(node.prim.name) + sum(cost_of(i) for i in node.inputs)
            for v in node.outputs:
                expr_cost[v] = c

    uses: dict = {}                   # fused Value -> {site key: (site, {depth tuples})}
    chosen: dict = {}

    def note(x, site, depths):
        if isinstance(x, Value) and x in fusible and x not in forced and x not in chosen:
            uses.setdefault(x, {}).setdefault(site.key, (site, set()))[1].add(depths)

    def read(node, site, depths):
        for j, x in enumerate(node.inputs):
            note(x, site, _operand_depths(node, depths, j))

    for node in reversed(graph.nodes):
        v = node.outputs[0]
        if v in fusible and v not in forced:
            sites = uses.pop(v, None)
            if not sites:
                continue              # dead, or read only by roots that load it
            evaluations = sum(site.evaluations(d) for site, ds in sites.values() for d in ds)
            if cost.should_materialize(cost_of(v), v.aval.size, evaluations, len(sites)):
                chosen[v] = (f"shared by {len(sites)} loops, recomputing costs more than "
                             f"storing (cost model)")
                site, _ = _root_site(node, None, [site for site, _ in sites.values()])
                read(node, site, tuple(site.depth_of))
            else:
                for site, ds in sites.values():
                    for depths in ds:
                        read(node, site, depths)
            continue
        site, loop = _root_site(node, kernel_of.get(v))
        if loop:
            read(node, site, tuple(site.depth_of))
        else:                         # dot, scatter, sort: each its own kernel
            for j, x in enumerate(node.inputs):
                if isinstance(x, Value):
                    whole = _Site(("kernel", id(node), j), x.aval.shape, range(x.aval.ndim))
                    note(x, whole, tuple(whole.depth_of))
    return chosen


# ---- 2. grouping -------------------------------------------------------------------------

def _reads(node, producer, materialized, identity_shape, walked: set, fresh: set):
    """{materialized Value: read only at the nest's own point?} for the part of a root's
    fused cone not in `walked` ((value, at identity) pairs another root of the same
    nest has walked: the nest computes those once, and their reads are known). Adds what
    it walks to `walked`. identity_shape is the iteration space (None: no nest)."""
    found: dict = {}
    stack = [(x, identity_shape is not None and node.prim.kind in
              (ELEMENTWISE, REDUCE, ARGREDUCE, SCAN) and
              tuple(x.aval.shape) == tuple(identity_shape))
             for x in node.inputs if isinstance(x, Value)]
    while stack:
        x, identity = stack.pop()
        if (x, identity) in walked or (x, identity) in fresh:
            continue
        fresh.add((x, identity))
        if x not in producer:
            continue                  # a program input or constant
        if x in materialized:
            found[x] = found.get(x, True) and identity
            continue
        inner = producer[x]
        kind = inner.prim.kind
        for y in inner.inputs:
            if isinstance(y, Value):
                same = identity and kind == ELEMENTWISE and y.aval.shape == x.aval.shape
                stack.append((y, same))
    return found


def _weight(root, walked_pairs, producer) -> float:
    """Weight of a root and of the fused nodes a walk found (each once)."""
    nodes = {producer[x] for x, _ in walked_pairs if x in producer}
    nodes.add(root)
    return sum(cost.size_weight(n.prim.name) for n in nodes)


def _depends(p: KernelPlan, k: KernelPlan) -> bool:
    """Does kernel p (transitively) depend on kernel k? Levels prune the search: a
    kernel that depends on k has a higher level than k."""
    if p.level <= k.level:
        return False
    stack, seen = [p], {p.id}
    while stack:
        q = stack.pop()
        for d in q.deps:
            if d is k:
                return True
            if d.level > k.level and d.id not in seen:
                seen.add(d.id)
                stack.append(d)
    return False


def _join_conflict(kernel, reads, kernel_of, producer):
    """Why a root that reads `reads` cannot join `kernel`'s nest (None if it can)."""
    for v, identity in reads.items():
        p = kernel_of.get(v)
        if p is None:
            continue
        if p is kernel:
            root = producer[v]
            if kernel.root_kind(root) not in FUSIBLE:
                return f"needs the finished result of {root.prim.name} in that loop"
            if not identity:
                return "reads a value of that loop at a shifted or permuted index"
        elif _depends(p, kernel):
            return "joining would form a cycle between loops"
    return None


def _add_deps(kernel, reads, kernel_of):
    for v in reads:
        p = kernel_of.get(v)
        if p is not None and p is not kernel and p not in kernel.deps:
            kernel.deps.add(p)
            p.dependents.add(kernel)
            _raise_level(kernel, p.level + 1)


def _raise_level(kernel, level):
    stack = [(kernel, level)]
    while stack:
        k, lv = stack.pop()
        if k.level >= lv:
            continue
        k.level = lv
        stack.extend((d, lv + 1) for d in k.dependents)


def _group(graph, producer, materialized):
    kernels, kernel_of = [], {}
    by_space: dict = {}
    for node in graph.nodes:
        if not any(v in materialized for v in node.outputs):
            continue                 # fused into its consumers (or dead)
        kind = kernel_kind(node)
        space = loop_order(node.prim.kind, node) if kind == "loop" else None
        shape = space[0] if space else None
        home, blocked = None, {}
        if kind == "loop":
            for k in reversed(by_space.get(space, [])[-JOIN_CANDIDATES:]):
                if k.weight + cost.size_weight(node.prim.name) > _budget(shape):
                    blocked[k.id] = "that loop is full (kernel size budget)"
                    continue
                fresh = set()
                reads = _reads(node, producer, materialized, shape, k.walked, fresh)
                reason = _join_conflict(k, reads, kernel_of, producer)
                added = _weight(node, fresh, producer)
                if reason is None and k.weight + added > _budget(shape):
                    reason = "that loop is full (kernel size budget)"
                if reason is None:
                    home = k
                    k.walked |= fresh
                    k.weight += added
                    break
                blocked[k.id] = reason
        if home is None:
            home = KernelPlan(len(kernels), kind, space, [])
            reads = _reads(node, producer, materialized, shape, set(), home.walked)
            home.weight = _weight(node, home.walked, producer)
            kernels.append(home)
            if kind == "loop":
                by_space.setdefault(space, []).append(home)
        home.roots.append(node)
        home.blocked.update(blocked)
        for v in node.outputs:
            kernel_of[v] = home
        _add_deps(home, reads, kernel_of)
        for v, identity in reads.items():
            home.reads[v] = home.reads.get(v, True) and identity
    return kernels, kernel_of


# ---- 3. order ----------------------------------------------------------------------------

def _topological(kernels) -> list:
    """Kernels in an order where each comes after those it depends on (creation order
    where free)."""
    waiting = {k.id: len(k.deps) for k in kernels}
    ready = [k for k in kernels if not k.deps]
    heapq.heapify(ready)
    order = []
    while ready:
        k = heapq.heappop(ready)
        order.append(k)
        for d in k.dependents:
            waiting[d.id] -= 1
            if waiting[d.id] == 0:
                heapq.heappush(ready, d)
    if len(order) != len(kernels):
        raise AssertionError("cycle between kernels")
    return order
