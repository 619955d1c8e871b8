"""Graph passes, run in this order. Each takes a Graph and returns a new one."""
from __future__ import annotations

from ...config import config
from ..graph import Graph
from ..verifier import verify
from .cse import eliminate_common_subexpressions
from .dce import eliminate_dead_code
from .fold import fold_constants
from .inline import inline_calls
from .loops import merge_loops, prune_loops
from .merge import merge_reductions
from .nested import optimize_sub_graphs
from .simplify import simplify

PASSES = [
    ("inline_calls", inline_calls),
    ("sub_graphs", optimize_sub_graphs),
    ("simplify", simplify),
    ("fold_constants", fold_constants),
    ("cse", eliminate_common_subexpressions),
    ("prune_loops", prune_loops),          # unused operands gone: sibling scans match
    ("merge_loops", merge_loops),
    ("simplify_again", simplify),
    ("merge_reductions", merge_reductions),
    ("prune_loops_again", prune_loops),
    ("dce", eliminate_dead_code),
]


def run_passes(graph: Graph, passes=None, check: bool | None = None) -> Graph:
    check = config.check if check is None else check
    for _, fn in passes or PASSES:
        graph = fn(graph)
        if check:
            verify(graph)
    return graph
