"""End to end: `tracegrad bench --quick --workloads elementwise --peers numpy`, in a
subprocess, then its JSON checked against the schema and re-rendered."""
import copy
import importlib.util
import json
import subprocess
import sys

import pytest

from tracegrad.bench.schema import validate_report
from tracegrad.bench.table import plain_table


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    json_path = out / "bench.json"
    completed = subprocess.run(
        [sys.executable, "-m", "tracegrad", "bench", "--quick", "--workloads",
         "elementwise", "--peers", "numpy", "--plain", "--json", str(json_path)],
        capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    with open(json_path) as f:
        return completed.stdout, json.load(f)


def test_progress_and_table_are_printed(smoke):
    stdout, _ = smoke
    assert "[tracegrad] elementwise size=1000" in stdout        # progress while running
    assert "median (min–max)" in stdout and "machine:" in stdout


def test_json_follows_the_schema(smoke):
    _, report = smoke
    assert validate_report(report) == []
    assert report["schema"] == "tracegrad-bench/1"
    assert report["machine"]["copy_bandwidth_gbs"] > 0
    assert "numpy" in report["versions"] and "tracegrad" in report["versions"]


def test_every_row_is_measured_and_checked(smoke):
    _, report = smoke
    rows = {(r["system"], r["size"]): r for r in report["results"]}
    assert set(rows) == {(s, n) for s in ("tracegrad", "numpy")
                         for n in (1_000, 100_000, 1_000_000)}
    for row in rows.values():
        assert row["error"] is None
        assert row["first_call_s"] > 0 and row["min_s"] <= row["median_s"] <= row["max_s"]
        assert row["runs"] == len(row["samples_s"]) >= 3
        assert row["memory_method"]
    for n in (1_000, 100_000, 1_000_000):
        tracegrad, numpy = rows[("tracegrad", n)], rows[("numpy", n)]
        assert tracegrad["check"] == "reference"
        assert tracegrad["second_process_first_call_s"] > 0
        assert tracegrad["second_process_matches"] is True
        assert set(tracegrad["first_call_phases"]) >= {
            "trace + differentiate", "graph passes", "codegen", "kernels (LLVM)",
            "driver (Numba)", "run (native)", "native ready"}
        assert tracegrad["native_ready_s"] >= tracegrad["first_call_s"]
        assert numpy["native_ready_s"] is None
        assert numpy["correct"] is True
        assert numpy["ratio_to_tracegrad"] > 0


def test_a_broken_report_is_rejected(smoke):
    _, report = smoke
    broken = copy.deepcopy(report)
    del broken["results"][0]["median_s"]
    broken["machine"]["cpu"] = 3
    problems = validate_report(broken)
    assert any("median_s" in p for p in problems) and any("cpu" in p for p in problems)
    assert validate_report({"schema": "x"})


def test_the_table_renders_from_the_json_alone(smoke):
    _, report = smoke
    table = plain_table(report)
    assert table.count("\n") >= 1 + len(report["results"])


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None,
                    reason="matplotlib (the 'bench' extra) is not installed")
def test_plot_writes_a_png(smoke, tmp_path):
    from tracegrad.bench.plot import plot_report
    _, report = smoke
    path = tmp_path / "bench.png"
    plot_report(report, str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_markdown_page_has_command_versions_and_table(smoke, tmp_path):
    from tracegrad.bench.markdown import results_page
    _, report = smoke
    page = results_page(report, json_path=str(tmp_path / "r.json"),
                        page_path=str(tmp_path / "RESULTS.md"))
    assert "`tracegrad bench --quick --workloads elementwise" in page
    assert "numpy " in page and "| elementwise | 1000 | tracegrad |" in page
    assert "(r.json)" in page


def test_vmap_kinds_end_to_end(tmp_path):
    """A Hessian (compiled) and eager per-example gradients against the loop of grad:
    no value, the derivative checked, the loop's row compared with tracegrad's."""
    json_path = tmp_path / "vmap.json"
    completed = subprocess.run(
        [sys.executable, "-m", "tracegrad", "bench", "--quick", "--workloads",
         "hessian,vmap_eager", "--sizes", "40", "--peers", "numpy,tracegrad-loop",
         "--repeat", "3", "--plain", "--json", str(json_path)],
        capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    with open(json_path) as f:
        report = json.load(f)
    assert validate_report(report) == []
    rows = {(r["workload"], r["system"]): r for r in report["results"]}
    assert set(rows) == {("hessian", "tracegrad"), ("vmap_eager", "tracegrad"),
                         ("vmap_eager", "tracegrad-loop")}
    for row in rows.values():
        assert row["error"] is None and row["value"] is None
    assert rows[("hessian", "tracegrad")]["second_process_matches"] is True
    assert rows[("vmap_eager", "tracegrad")]["native_ready_s"] is None     # eager
    loop = rows[("vmap_eager", "tracegrad-loop")]
    assert loop["correct"] is True and loop["ratio_to_tracegrad"] > 0
    assert report["systems"]["numpy"]["status"] == "no supported workload selected"
    # The loop cannot run elementwise: it warms up on the workload it runs.
    assert report["systems"]["tracegrad-loop"]["process_warmup_s"] > 0
