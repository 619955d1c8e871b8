"""The public transformations: vjp, grad, value_and_grad, jvp, jacobians, stop_gradient.

Differentiating `f` traces it in a new (nested) trace, replays the recorded graph in the
caller's context — arrays at top level, tracers under another transformation or under
`compile` — and runs the backward builder there. The gradient is thus computed with the
same operations as everything else: eagerly with NumPy at top level, recorded (and later
compiled, or differentiated again) inside another trace."""
from __future__ import annotations

import functools

import numpy as np

from .. import lax
from .. import numpy as tnp
from ..errors import ArgumentError
from ..tracer import (Tracer, aval_of, flatten_arguments, leaf_paths, replay, trace_function,
                      tree_flatten, tree_map, tree_unflatten)
from ..tracer.pytree import NUMPY_SCALAR_TYPES
from ..tracer.trace_function import trace_in_place
from ..tracer.source import describe_location, user_location
from ..ir import is_float
from .backward import backward
from .forward import forward
from .fresh import exported, fresh_results
from .holomorphic import check_holomorphic_inputs, check_output


def _zeros(aval):
    return np.zeros(aval.shape, aval.dtype)


def _trace_for_vjp(f, flat, in_tree, has_aux):
    """f traced at the leaves `flat` (its arguments: in_tree) in the caller's context ->
    (graph, env, values, tree, held): the graph to walk back, its primal values (`env`),
    the result leaves as the caller gets them (fresh arrays, or tracers of an enclosing
    trace), the result's treedef (a pair of treedefs with has_aux) and the arrays the
    caller already holds, which nothing returned may share memory with."""
    def build(tracers):
        result = f(*tree_unflatten(in_tree, tracers))
        if has_aux and not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise ArgumentError("with has_aux=True the function must return a pair "
                                "(output, auxiliary data)")
        return tuple(result) if has_aux else result
    recorded = trace_in_place(build, flat)
    if recorded is not None:
        graph, env, values, tree, consts = recorded
        held = [x for x in flat if type(x) is np.ndarray] + consts
    else:
        graph, captured, tree, trace = trace_function(build, flat)
        # Python scalars become 0-d arrays of their (weak) dtype, so rules see arrays.
        primal_args = [x if isinstance(x, Tracer) else
                       np.asarray(x, dtype=aval_of(x).dtype) for x in flat]
        values, env = replay(graph, primal_args + captured, source_trace=trace)
        held = primal_args + [array for _, array in graph.consts]
    return graph, env, fresh_results(values, held), tree, held


def _pull_back(graph, env, ct_flat, n_in, held) -> list:
    """The cotangents of the graph's first n_in inputs (zeros where none reaches them),
    as fresh arrays, given one cotangent per output."""
    wrt = graph.inputs[:n_in]
    in_cts = backward(graph, env, ct_flat, wrt)
    filled = [ct if ct is not None else _zeros(v.aval) for ct, v in zip(in_cts, wrt)]
    return fresh_results(filled, held + ct_flat)


def vjp(f, *primals, has_aux=False):
    """(f(*primals), vjp_fn[, aux]): vjp_fn(cotangent) returns a tuple with one
    cotangent per primal, shaped like it (JAX's jax.vjp)."""
    flat, in_tree = flatten_arguments(primals)
    graph, env, values, tree, held = _trace_for_vjp(f, flat, in_tree, has_aux)
    out_tree, aux_tree = tree.children if has_aux else (tree, None)
    n_out = out_tree.num_leaves
    out = tree_unflatten(out_tree, exported(values[:n_out]))

    def vjp_fn(cotangent):
        ct_flat, ct_tree = tree_flatten(cotangent)
        # A Python number is a cotangent too (as an array of the output's dtype).
        ct_flat = [ct if isinstance(ct, Tracer) else np.asarray(ct, dtype=v.aval.dtype)
                   for ct, v in zip(ct_flat, graph.outputs)]
        if ct_tree != out_tree:
            raise ArgumentError(f"vjp: the cotangent's structure {ct_tree} differs from "
                                f"the output's {out_tree}")
        for ct, v in zip(ct_flat, graph.outputs):
            if tuple(np.shape(ct)) != v.aval.shape:
                raise ArgumentError(f"vjp: cotangent of shape {np.shape(ct)} for an "
                                    f"output of shape {v.aval.shape}")
        grads = _pull_back(graph, env, ct_flat, len(flat), held + values)
        return tree_unflatten(in_tree, exported(grads))

    if has_aux:
        return out, vjp_fn, tree_unflatten(aux_tree, exported(values[n_out:]))
    return out, vjp_fn


def _of_argnums(f, args, nums, kwargs=None):
    """f as a function of the arguments at positions `nums` (the others fixed)."""
    if nums is _FIRST and len(args) == 1 and not kwargs:
        return f                        # grad(f)(x): f of its one argument, as it is

    def partial_f(*dargs):
        full = list(args)
        for n, d in zip(nums, dargs):
            full[n] = d
        return f(*full, **(kwargs or {}))
    return partial_f


_FIRST = (0,)


def _argnums_tuple(argnums, nargs, fn_name):
    if argnums == 0 and type(argnums) is int and nargs:
        return _FIRST                   # the usual grad(f)
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for n in nums:
        if not -nargs <= n < nargs:
            raise ArgumentError(f"argnums={argnums} but {fn_name} was called with {nargs} "
                                f"positional arguments")
    return tuple(n % nargs for n in nums)


def _check_differentiable_inputs(diff_args, nums, fn_name):
    for n, arg in zip(nums, diff_args):
        kind = type(arg)
        if (kind is Tracer or kind is np.ndarray or kind in NUMPY_SCALAR_TYPES) and \
                arg.dtype.kind in "fc":
            continue                    # one array: no pytree to walk
        for leaf in flatten_arguments(arg, lambda tree: leaf_paths(tree, f"argument {n}"))[0]:
            dtype = aval_of(leaf).dtype
            if not is_float(dtype):
                raise ArgumentError(
                    f"grad of {fn_name} with respect to argument {n}, which holds a "
                    f"{dtype} value: gradients need floating-point inputs. Cast it (e.g. "
                    f"x.astype(float)) or leave it out of argnums.")


def _leaf_dtypes(args):
    return [aval_of(leaf).dtype for leaf in tree_flatten(args)[0]]


def value_and_grad(f, argnums=0, has_aux=False, holomorphic=False):
    """Like jax.value_and_grad: returns (value, gradient) — ((value, aux), gradient) with
    has_aux — where the gradient has the structure, shapes and dtypes of the arguments
    selected by argnums (a tuple of gradients when argnums is a tuple). A complex input
    gets df/dx - i df/dy (JAX's convention); holomorphic=True: f'(z) of a complex f."""
    fn_name = getattr(f, "__name__", "function")

    @functools.wraps(f)
    def value_and_grad_f(*args, **kwargs):
        nums = _argnums_tuple(argnums, len(args), fn_name)
        diff_args = [args[n] for n in nums]
        _check_differentiable_inputs(diff_args, nums, fn_name)
        if holomorphic:
            check_holomorphic_inputs("grad", fn_name, _leaf_dtypes(diff_args))

        flat, in_tree = flatten_arguments(tuple(diff_args))
        graph, env, values, tree, held = _trace_for_vjp(
            _of_argnums(f, args, nums, kwargs), flat, in_tree, has_aux)
        out_tree = tree.children[0] if has_aux else tree
        n_out = out_tree.num_leaves
        out = tree_unflatten(out_tree, values[:n_out])
        _check_scalar_output(out, fn_name)
        dtype = aval_of(out).dtype
        if holomorphic or dtype.kind != "f":          # a real output needs no more
            check_output("grad", fn_name, dtype, holomorphic)
        # Eagerly a concrete 1, even for a traced output (a nested gradient): the seed
        # is a constant, and rules pass it on without recording (`_times` drops a
        # factor of exactly one). Abstractly a traced one, which simplification folds.
        seed = tnp.ones_like(out) if isinstance(out, Tracer) and out._concrete is None \
            else out.dtype.type(1)
        grads = tree_unflatten(in_tree, exported(_pull_back(graph, env, [seed], len(flat),
                                                            held + values)))
        grads = grads[0] if isinstance(argnums, int) else tuple(grads)
        user_values = exported(values)
        if user_values is not values:
            out = tree_unflatten(out_tree, user_values[:n_out])
        if has_aux:
            return (out, tree_unflatten(tree.children[1], user_values[n_out:])), grads
        return out, grads

    return value_and_grad_f


def _check_scalar_output(out, fn_name):
    if (type(out) is Tracer or type(out) is np.ndarray or isinstance(out, np.generic)) \
            and out.shape == () and is_float(out.dtype):
        return                          # the usual case: no location to look up
    loc = describe_location(user_location())
    if not isinstance(out, (Tracer, np.ndarray, np.generic, float, int)):
        raise ArgumentError(f"grad requires {fn_name} to return a scalar array, got "
                            f"{type(out).__name__} (at {loc}). For several outputs use "
                            f"vjp or jacrev; with auxiliary data use has_aux=True.")
    aval = aval_of(out)
    if aval.shape != ():
        raise ArgumentError(f"grad requires {fn_name} to return a scalar, got an array of "
                            f"shape {aval.shape} (at {loc}). Reduce it (e.g. .sum()), or "
                            f"use vjp (a cotangent per output) or jacrev (the Jacobian).")
    if not is_float(aval.dtype):
        raise ArgumentError(f"grad requires {fn_name} to return a floating-point value, "
                            f"got {aval.dtype} (at {loc}); integer outputs have no "
                            f"gradient. Cast inside the function (.astype(float)).")


def grad(f, argnums=0, has_aux=False, holomorphic=False):
    """Like jax.grad: the gradient of a scalar-valued f with respect to argnums."""
    value_and_grad_f = value_and_grad(f, argnums, has_aux, holomorphic)

    @functools.wraps(f)
    def grad_f(*args, **kwargs):
        (value, grads) = value_and_grad_f(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads

    return grad_f


def stop_gradient(x):
    """The identity whose derivative is zero (PyTorch's detach), on a pytree."""
    def stop(leaf):
        if isinstance(leaf, Tracer):
            return lax.stop_gradient(leaf)
        return leaf
    return tree_map(stop, x)


def _linearized(f, flat, in_tree):
    """Trace f once at the flat primals and replay it in the caller's context, as vjp
    does. Returns (output leaves, output treedef, push), where push(tangent leaves, None
    for zero) runs the forward builder and returns the output tangent leaves."""
    graph, captured, out_tree, trace = trace_function(
        lambda tracers: f(*tree_unflatten(in_tree, tracers)), flat)
    primal_args = [x if isinstance(x, Tracer) else np.asarray(x, dtype=aval_of(x).dtype)
                   for x in flat]
    values, env = replay(graph, primal_args + captured, source_trace=trace)
    wrt = graph.inputs[:len(flat)]

    def push(tangent_flat):
        out_ts = forward(graph, env, dict(zip(wrt, tangent_flat)))
        return [t if t is not None else _zeros(aval_of(o)) for t, o in zip(out_ts, values)]

    return values, out_tree, push


def _tangent_leaf(tangent, primal):
    """The tangent as an array of its primal's dtype; None (zero) for integer primals."""
    aval = aval_of(primal)
    if aval_of(tangent).shape != aval.shape:
        raise ArgumentError(f"jvp: tangent of shape {aval_of(tangent).shape} for a primal "
                            f"of shape {aval.shape}")
    if not is_float(aval.dtype):
        return None
    return tangent if isinstance(tangent, Tracer) else np.asarray(tangent, aval.dtype)


def jvp(f, primals, tangents):
    """(f(*primals), J·tangents), as jax.jvp: one forward pass that propagates the
    tangents with each primitive's JVP rule (forward.py) alongside the values."""
    primals, tangents = tuple(primals), tuple(tangents)
    flat, in_tree = flatten_arguments(primals, lambda tree: leaf_paths(tree, "primals"))
    t_flat, t_tree = flatten_arguments(tangents, lambda tree: leaf_paths(tree, "tangents"))
    if t_tree != in_tree:
        raise ArgumentError("jvp: primals and tangents must have the same structure")
    values, out_tree, push = _linearized(f, flat, in_tree)
    out_tangents = push([_tangent_leaf(t, x) for t, x in zip(t_flat, flat)])
    held = flat + t_flat
    values = fresh_results(values, held)
    tangents_out = fresh_results(out_tangents, held + values)
    return (tree_unflatten(out_tree, exported(values)),
            tree_unflatten(out_tree, exported(tangents_out)))
