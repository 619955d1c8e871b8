"""Each workload's code for every system computes the same value and gradient: checked at
small sizes, in this process, against tracegrad's eager value_and_grad (for the vmap
kinds, against a Python loop of tracegrad's eager grad / vjp, without vmap). Peers that
are not installed are skipped."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.bench.compare import compare_arrays
from tracegrad.bench.systems import SYSTEMS
from tracegrad.bench.systems.base import (UnsupportedKind, per_example_loop,
                                          result_arrays)
from tracegrad.bench.trees import named_leaves
from tracegrad.bench.workloads import DEFAULT_WORKLOADS, WORKLOADS, Workload
from tracegrad.bench.workloads.base import KINDS
from tracegrad.bench.workloads.scalar_graph import program

SMALL = {"elementwise": 100, "dispatch": 8, "dispatch_pytree": 8, "logreg": 50,
         "softmax_xent": 8, "mlp": 4, "layernorm_gelu": 8, "gmm": 20, "rnn": 5,
         "scalar_graph": 60, "rnn_scan": 5, "rnn_scan_wide": 3, "ode": 20, "newton": 30,
         "scalar_chain": 60, "nested_grad": 3, "saddle_point": 3, "spectral": 64, "per_example_grads": 4,
         "jacrev": 20, "hessian": 30, "vmap_eager": 5}
VMAP_KINDS = ("per_example_grad", "jacobian", "hessian")


def as_arrays(value, tree):
    arrays = {} if value is None else {"value": np.asarray(value)}
    arrays.update({"out/" + p: np.asarray(leaf) for p, leaf in named_leaves(tree)})
    return arrays


def jacobian_by_rows(f, x, *data):
    """d f / d x for an array-valued f, one eager VJP per output element (no vmap)."""
    out, pull = tg.vjp(lambda x: f(x, *data), x)
    out = np.asarray(out)
    rows = []
    for k in range(out.size):
        basis = np.zeros(out.size, out.dtype)
        basis[k] = 1
        rows.append(np.asarray(pull(basis.reshape(out.shape))[0]))
    return np.stack(rows).reshape(out.shape + np.shape(x))


def eager_reference(workload, size, args):
    loss = workload.make_loss(tnp, size)
    if workload.kind == "per_example_grad":
        grads = per_example_loop(tg.grad(loss), workload.in_axes, args, np.stack)
        return as_arrays(None, grads)
    if workload.kind == "jacobian":
        return as_arrays(None, jacobian_by_rows(loss, *args))
    if workload.kind == "hessian":
        return as_arrays(None, jacobian_by_rows(tg.grad(loss), *args))
    value, grads = tg.value_and_grad(loss)(*args)
    if workload.kind == "train_step":
        grads = tg.tree_map(lambda p, g: p - workload.learning_rate * g, args[0], grads)
    return as_arrays(value, grads)


def test_every_workload_has_a_small_size_here():
    assert set(SMALL) == set(WORKLOADS)


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_inputs_are_deterministic_and_of_the_requested_dtype(name):
    workload = WORKLOADS[name]
    first = workload.make_inputs(SMALL[name], "float32", np.random.default_rng(3))
    again = workload.make_inputs(SMALL[name], "float32", np.random.default_rng(3))
    for (path, a), (_, b) in zip(named_leaves(first), named_leaves(again)):
        assert np.array_equal(a, b), path
    params = named_leaves(first[0])
    assert all(np.asarray(leaf).dtype == np.float32 for _, leaf in params)


def test_scalar_graph_program_is_fixed_and_about_size_operations():
    assert program(1000) == program(1000)
    from tracegrad.bench.workloads.scalar_graph import STEPS
    ops = sum(STEPS[name][0] for name, _, _ in program(1000))
    assert 1000 <= ops < 1010


@pytest.mark.parametrize("system_name", ["numpy", "jax", "torch", "autograd",
                                         "tracegrad-eager", "tracegrad-loop"])
@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_peer_matches_tracegrad(system_name, name):
    check_system(system_name, name)


@pytest.mark.parametrize("name", sorted(n for n, w in WORKLOADS.items()
                                        if w.kind in VMAP_KINDS))
def test_tracegrad_compiled_vmap_kinds_match_the_loop_reference(name):
    check_system("tracegrad", name)


def check_system(system_name, name):
    system = SYSTEMS[system_name]
    workload = WORKLOADS[name]
    if not system.available():
        pytest.skip(f"{system_name} is not installed")
    if not system.supports(workload):
        pytest.skip(f"{system_name} has no version of {name} (no hand-written gradient)")
    if system_name in workload.known_failures:
        pytest.skip(f"{system_name} cannot run {name}: {workload.known_failures[system_name]}")
    size = SMALL[name]
    args = workload.make_inputs(size, workload.dtype, np.random.default_rng(0))
    system.setup(None)
    call = system.prepare(workload, size, args)
    result = call()
    if hasattr(call, "compiled"):          # tracegrad compiled: check native code's result
        call.compiled.wait()
        result = call()
    verdict = compare_arrays(result_arrays(system, workload, result),
                             eager_reference(workload, size, args), workload.dtype)
    assert verdict["correct"], verdict["detail"]


def test_the_vmap_kinds_return_the_derivative_alone():
    for name, workload in WORKLOADS.items():
        assert workload.kind in KINDS
        assert workload.returns_value == (workload.kind not in VMAP_KINDS), name
    assert {w.kind for w in WORKLOADS.values()} >= set(KINDS)


def test_an_unknown_kind_or_a_per_example_workload_without_in_axes_is_refused():
    base = WORKLOADS["jacrev"]
    fields = {f: getattr(base, f) for f in ("name", "description", "size_name",
                                            "quick_sizes", "full_sizes", "dtype",
                                            "make_inputs", "make_loss", "make_torch_loss")}
    with pytest.raises(ValueError, match="unknown kind"):
        Workload(**fields, kind="jvp")
    with pytest.raises(ValueError, match="in_axes"):
        Workload(**fields, kind="per_example_grad")


def test_numpy_has_no_vmap_kind_and_says_so():
    numpy = SYSTEMS["numpy"]
    for name, workload in WORKLOADS.items():
        if workload.kind in VMAP_KINDS:
            assert not numpy.supports(workload)
            args = workload.make_inputs(SMALL[name], workload.dtype,
                                        np.random.default_rng(0))
            with pytest.raises(UnsupportedKind, match=workload.kind):
                numpy.prepare(workload, SMALL[name], args)


def test_the_grad_loop_runs_only_the_eager_per_example_workloads():
    loop = SYSTEMS["tracegrad-loop"]
    assert [n for n, w in WORKLOADS.items() if loop.supports(w)] == ["vmap_eager"]
    assert not loop.opt_in and "loop" in loop.label


def test_the_vmap_workloads_run_when_named_not_by_default():
    assert set(WORKLOADS) - set(DEFAULT_WORKLOADS) == {
        "per_example_grads", "jacrev", "hessian", "vmap_eager"}
    assert DEFAULT_WORKLOADS == [n for n in WORKLOADS if n in DEFAULT_WORKLOADS]


def test_per_example_loop_takes_in_axes_none_or_zero():
    grads = per_example_loop(lambda p, x: p * x, (None, 0), (2.0, np.arange(3.0)), np.stack)
    assert np.array_equal(grads, [0.0, 2.0, 4.0])
    with pytest.raises(ValueError, match="None or 0"):
        per_example_loop(lambda p, x: p * x, (None, 1), (2.0, np.ones((2, 3))), np.stack)


def test_torch_compile_and_eager_tracegrad_are_opt_in():
    assert SYSTEMS["torch-compile"].opt_in and SYSTEMS["tracegrad-eager"].opt_in
    assert SYSTEMS["tracegrad-eager"].label == "tracegrad (eager)"
