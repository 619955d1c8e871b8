"""Jacobians and Hessians (jax.jacfwd, jax.jacrev, jax.hessian), each one traced pass:
the JVP pushed (jacfwd) or the VJP pulled (jacrev) over every basis vector at once with
`vmap`, not once per basis vector."""
from __future__ import annotations

import functools

import numpy as np

from .. import numpy as tnp
from ..tracer import aval_of, flatten_arguments, tree_unflatten
from .api import (_argnums_tuple, _check_differentiable_inputs, _leaf_dtypes, _linearized,
                  _of_argnums, grad, vjp)
from .fresh import fresh_results
from .holomorphic import check_holomorphic_inputs, check_output, check_real_inputs_jacfwd
from .vmap import vmap


def _basis(shape, dtype):
    """The standard basis of arrays of `shape`, stacked: (size,) + shape."""
    size = int(np.prod(shape, dtype=np.int64))
    return np.eye(size, dtype=dtype).reshape((size,) + tuple(shape))


def _columns_last(stacked, out_shape, in_shape):
    """(size_in,) + out_shape -> out_shape + in_shape."""
    moved = tnp.moveaxis(stacked, 0, -1) if len(out_shape) else stacked
    return tnp.reshape(moved, tuple(out_shape) + tuple(in_shape))


def jacfwd(f, argnums=0, holomorphic=False):
    """The Jacobian by forward mode (as jax.jacfwd): the JVP of every input basis vector,
    batched with vmap. For each output leaf, shape output.shape + argument.shape; a tuple
    over arguments when argnums is a tuple. Cheaper than jacrev when there are fewer
    inputs than outputs."""
    fn_name = getattr(f, "__name__", "f")

    @functools.wraps(f)
    def jac_f(*args):
        nums = _argnums_tuple(argnums, len(args), fn_name)
        diff_args = tuple(args[n] for n in nums)
        _check_differentiable_inputs(diff_args, nums, fn_name)
        if holomorphic:
            check_holomorphic_inputs("jacfwd", fn_name, _leaf_dtypes(diff_args))
        else:
            check_real_inputs_jacfwd(fn_name, _leaf_dtypes(diff_args))

        flat, in_tree = flatten_arguments(diff_args)
        values, out_tree, push = _linearized(_of_argnums(f, args, nums), flat, in_tree)
        for out in values:
            check_output("jacfwd", fn_name, aval_of(out).dtype, holomorphic)
        # jacs[j][k]: Jacobian of output leaf j with respect to input leaf k.
        jacs = [[None] * len(flat) for _ in values]
        for k, x in enumerate(flat):
            x_aval = aval_of(x)

            def push_one(tangent, k=k):
                seed = [None] * len(flat)
                seed[k] = tangent
                return push(seed)
            basis = _basis(x_aval.shape, x_aval.dtype)
            columns = vmap(push_one)(basis) if len(basis) else None
            for j, out in enumerate(values):
                o_aval = aval_of(out)
                jacs[j][k] = _columns_last(columns[j], o_aval.shape, x_aval.shape) \
                    if columns is not None else np.zeros(o_aval.shape + x_aval.shape,
                                                         o_aval.dtype)
        fresh = iter(fresh_results([jac for row in jacs for jac in row], flat))
        per_output = [tree_unflatten(in_tree, [next(fresh) for _ in row]) for row in jacs]
        if isinstance(argnums, int):
            per_output = [row[0] for row in per_output]
        return tree_unflatten(out_tree, per_output)

    return jac_f


def jacrev(f, argnums=0, holomorphic=False):
    """The Jacobian by reverse mode (as jax.jacrev): the VJP of every output basis vector,
    batched with vmap. Shape output.shape + argument.shape, for one array argument or a
    tuple of them."""
    fn_name = getattr(f, "__name__", "f")

    @functools.wraps(f)
    def jac_f(*args):
        nums = _argnums_tuple(argnums, len(args), fn_name)
        if holomorphic:
            check_holomorphic_inputs("jacrev", fn_name, _leaf_dtypes([args[n] for n in nums]))

        out, vjp_fn = vjp(_of_argnums(f, args, nums), *[args[n] for n in nums])
        check_output("jacrev", fn_name, aval_of(out).dtype, holomorphic)
        out_shape = aval_of(out).shape
        basis = _basis(out_shape, aval_of(out).dtype)
        rows = vmap(vjp_fn)(basis) if len(basis) else None
        jacs = []
        for k, n in enumerate(nums):
            arg_aval = aval_of(args[n])
            jacs.append(tnp.reshape(rows[k], out_shape + arg_aval.shape) if rows is not None
                        else np.zeros(out_shape + arg_aval.shape, arg_aval.dtype))
        jacs = fresh_results(jacs, [args[n] for n in nums])
        return jacs[0] if isinstance(argnums, int) else tuple(jacs)

    return jac_f


def hessian(f, argnums=0, holomorphic=False):
    """The Hessian of a scalar function, as jax.hessian: forward over reverse mode
    (jacfwd of the gradient — jacrev of a scalar function), one traced pass."""
    return jacfwd(grad(f, argnums, holomorphic=holomorphic), argnums, holomorphic=holomorphic)
