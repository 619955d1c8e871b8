"""Each workload's code for every system computes the same value and gradient: checked at
small sizes, in this process, against tracegrad's eager value_and_grad. Peers that are
not installed are skipped."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.numpy as tnp
from tracegrad.bench.compare import compare_arrays
from tracegrad.bench.systems import SYSTEMS
from tracegrad.bench.trees import named_leaves
from tracegrad.bench.workloads import WORKLOADS
from tracegrad.bench.workloads.scalar_graph import program

SMALL = {"elementwise": 100, "dispatch": 8, "dispatch_pytree": 8, "logreg": 50,
         "softmax_xent": 8, "mlp": 4, "layernorm_gelu": 8, "gmm": 20, "rnn": 5,
         "scalar_graph": 60, "rnn_scan": 5, "rnn_scan_wide": 3, "ode": 20, "newton": 30,
         "scalar_chain": 60, "nested_grad": 3, "spectral": 64}


def as_arrays(value, tree):
    arrays = {"value": np.asarray(value)}
    arrays.update({"out/" + p: np.asarray(leaf) for p, leaf in named_leaves(tree)})
    return arrays


def eager_reference(workload, size, args):
    value, grads = tg.value_and_grad(workload.make_loss(tnp, size))(*args)
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
                                         "tracegrad-eager"])
@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_peer_matches_tracegrad(system_name, name):
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
    value, tree = system.to_numpy(system.prepare(workload, size, args)())
    verdict = compare_arrays(as_arrays(value, tree), eager_reference(workload, size, args),
                             workload.dtype)
    assert verdict["correct"], verdict["detail"]


def test_torch_compile_and_eager_tracegrad_are_opt_in():
    assert SYSTEMS["torch-compile"].opt_in and SYSTEMS["tracegrad-eager"].opt_in
    assert SYSTEMS["tracegrad-eager"].label == "tracegrad (eager)"
