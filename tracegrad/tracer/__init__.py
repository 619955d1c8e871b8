"""Tracing: Tracer, traces and bind, pytrees, source locations, make_ir."""
from .make_ir import TracedFunction, make_ir, trace_to_graph
from .pytree import (TreeDef, leaf_paths, register_pytree_node, tree_flatten, tree_leaves, tree_map,
                     tree_structure, tree_unflatten, tree_unflattener)
from .inputs import flatten_arguments, is_number_list, plain_array
from .static_args import StaticArgs, StaticValue
from .trace import (EscapedTracerError, Trace, aval_of, bind, current_trace,
                    is_python_scalar, new_trace, replay)
from .trace_function import trace_function
from .tracer import Tracer, concrete_value
from .source import describe_location, user_location
