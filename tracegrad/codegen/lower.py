"""lower_graph: ir.Graph -> Lowered (one Numba driver module whose kernels are LLVM IR)."""
from __future__ import annotations

import dataclasses

import numpy as np

from ..ir import Graph, Value
from . import fusion
from .buffers import Memory, plan_memory
from .complex_split import split_complex
from .callback import calls_back
from ..ir.kinds import ARGREDUCE, CONTROL, FUSIBLE, REDUCE, SCAN
from .kernels import BUILDERS, SMALL_WORK, KernelFunction, kernel_work
from .lowered import Kernel, Lowered
from .module import BODY, body_function, driver_source, module_ir, share_identical_kernels
from .names import Names
from .prepare import prepare
from .scalars import check_dtype


def lower_graph(graph: Graph, name: str = "program") -> Lowered:
    graph = prepare(graph)
    # Kernels see complex values as real pairs; the driver keeps the complex signature.
    region = lower_region(split_complex(graph), BODY, linkage="")
    ir, body_name = module_ir(region.texts + list(region.regions.values()), region.body,
                              region.helpers)
    source = driver_source(graph, ir, body_name, region.memory, len(region.kernels),
                           region.names, name, calls_back(graph))
    return Lowered(graph=graph, source=source, entry=name, kernels=tuple(region.kernels),
                   in_avals=tuple(v.aval for v in graph.inputs),
                   out_avals=tuple(graph.out_avals),
                   consts=tuple(np.array(c, order="C") for _, c in graph.consts))


@dataclasses.dataclass
class Region:
    """A graph lowered to kernels and the body function that calls them in order:
    body(in..., const..., out..., workspace)."""
    texts: list                      # kernel function definitions
    body: str                        # the body function's definition
    helpers: set
    memory: Memory
    kernels: list                    # Kernel descriptions
    names: Names
    regions: dict                    # name -> definition, of the loops' and branches' bodies


def lower_region(graph: Graph, body_name: str, prefix: str = "", linkage: str = "internal",
                 trips: int = 1) -> Region:
    """Kernels named `prefix`kernel_N; `trips`: how many times the region runs per call
    (a loop body's), so that its kernels' work is judged in total."""
    _check_dtypes(graph)
    plan = fusion.plan(graph)
    names = Names(graph)
    fused = fusion.fused_predicate(plan.producer, plan.materialized)
    built, kernels, helpers, regions = [], [], set(), {}
    position = {node: i for i, node in enumerate(plan.graph.nodes)}
    for number, k in enumerate(plan.kernels, 1):
        kf = KernelFunction(f"{prefix}kernel_{number}", names,
                            small=kernel_work(k) * trips < SMALL_WORK, trips=trips)
        nests = BUILDERS[k.kind](k, kf, kf.context(plan.producer, fused))
        kf.fn.lines.append("  ret void")
        info = _describe(k, plan, nests, position)
        kernels.append(info)
        helpers |= kf.fn.helpers
        regions.update(kf.regions)
        built.append((k.id, kf, _comment(number, info)))
    memory = plan_memory(graph, plan.producer, [(kid, kf) for kid, kf, _ in built])
    texts = share_identical_kernels([kf for _, kf, _ in built],
                                    [comment for _, _, comment in built])
    body = body_function(graph, built, memory, body_name, linkage)
    return Region(texts, body, helpers, memory, kernels, names, regions)


def _check_dtypes(graph):
    for v in graph.inputs + [v for v, _ in graph.consts]:
        check_dtype(v.aval.dtype, "program input")
    for node in graph.nodes:
        for v in list(node.outputs) + [x for x in node.inputs if isinstance(x, Value)]:
            check_dtype(v.aval.dtype, f"result of {node.prim.name}")


def _describe(k, plan, nests, position) -> Kernel:
    kinds = {n.prim.kind for n in k.roots}
    if k.kind == CONTROL:
        kind = k.roots[0].prim.name
    elif k.kind != "loop":
        kind = k.kind
    elif kinds & {REDUCE, ARGREDUCE}:
        kind = "reduction"
    elif SCAN in kinds:
        kind = "scan"
    else:
        kind = "elementwise"
    computed = set(k.roots) | {n for nest in nests for n in nest.nodes}
    nodes = sorted(computed, key=position.__getitem__)
    locations = tuple(dict.fromkeys(n.loc for n in nodes if n.loc))
    shape = k.space[0] if k.space else tuple(k.roots[0].outputs[0].aval.shape)
    not_fused = []
    for v in sorted(k.reads, key=lambda v: v.id):
        other = plan.kernel_of.get(v)
        if other is None or other is k:
            continue
        prim = plan.producer[v].prim.name
        if other.id in k.blocked:
            reason = k.blocked[other.id]
        elif plan.producer[v].prim.kind not in FUSIBLE:
            reason = f"needs the complete result of {prim}"
        elif k.kind != "loop" or other.kind != "loop":
            reason = f"{k.kind if k.kind != 'loop' else other.kind} kernel boundary"
        elif other.space != k.space:
            reason = (f"different iteration space {list(other.space[0])} "
                      f"vs {list(k.space[0])}")
        else:
            reason = plan.why_materialized.get(v, "materialized")
        if (prim, reason) not in not_fused:
            not_fused.append((prim, reason))
    return Kernel(kind=kind, primitives=tuple(n.prim.name for n in nodes),
                  locations=locations, shape=tuple(shape), not_fused=tuple(not_fused))


def _comment(number, info: Kernel) -> list:
    where = f"  ({', '.join(info.locations)})" if info.locations else ""
    lines = [f"kernel {number}: {info.kind}{list(info.shape)}: "
             f"{' '.join(info.primitives)}{where}"]
    lines += [f"  not fused with {p}: {r}" for p, r in info.not_fused]
    return lines
