"""`tracegrad bench` argument handling."""
import argparse

import pytest

from tracegrad.bench.command import add_arguments, options_from_args
from tracegrad.bench.systems import DEFAULT_PEERS
from tracegrad.bench.workloads import DEFAULT_WORKLOADS, WORKLOADS


def parse(*argv):
    parser = argparse.ArgumentParser(prog="tracegrad bench")
    add_arguments(parser)
    return options_from_args(parser.parse_args(list(argv)))


def test_no_flags_is_the_quick_suite_over_every_default_workload_and_peer():
    options = parse()
    assert options.quick
    assert options.workloads == DEFAULT_WORKLOADS
    assert "jacrev" in WORKLOADS and "jacrev" not in options.workloads
    assert options.peers == DEFAULT_PEERS
    assert "torch-compile" not in options.peers and "tracegrad-eager" not in options.peers


def test_quick_sizes_leave_out_the_largest_elementwise():
    quick = [r["size"] for r in parse("--quick", "--workloads", "elementwise").rows()]
    full = [r["size"] for r in parse("--full", "--workloads", "elementwise").rows()]
    assert quick == [1_000, 100_000, 1_000_000]
    assert full == quick + [10_000_000]


def test_lists_sizes_dtype_repeat_threads_are_parsed():
    options = parse("--workloads", "logreg, mlp", "--peers", "jax,torch-compile",
                    "--sizes", "1e3,2000", "--dtype", "float32", "--repeat", "7",
                    "--threads", "1", "--timeout", "9")
    assert options.workloads == ["logreg", "mlp"]
    assert parse("--workloads", "jacrev,vmap_eager").workloads == ["jacrev", "vmap_eager"]
    assert options.peers == ["jax", "torch-compile"]
    assert options.repeat == 7 and options.threads == 1 and options.row_timeout_s() == 9
    assert options.rows() == [
        {"workload": "logreg", "size": 1000, "dtype": "float32"},
        {"workload": "logreg", "size": 2000, "dtype": "float32"},
        {"workload": "mlp", "size": 1000, "dtype": "float32"},
        {"workload": "mlp", "size": 2000, "dtype": "float32"}]


def test_each_workload_keeps_its_own_dtype_unless_overridden():
    dtypes = {r["workload"]: r["dtype"] for r in parse().rows()}
    assert dtypes["logreg"] == "float64" and dtypes["softmax_xent"] == "float32"


@pytest.mark.parametrize("argv", [
    ["--workloads", "nope"], ["--peers", "tensorflow"], ["--peers", ""],
    ["--sizes", "abc"], ["--sizes", "0"], ["--dtype", "float16"], ["--repeat", "0"],
    ["--threads", "-1"], ["--quick", "--full"]])
def test_bad_arguments_exit_with_a_message(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        parse(*argv)
    assert stop.value.code != 0


def test_bench_is_a_subcommand_of_tracegrad(capsys):
    from tracegrad.cli import main
    with pytest.raises(SystemExit) as stop:
        main(["bench", "--help"])
    assert stop.value.code == 0
    assert "--workloads" in capsys.readouterr().out
