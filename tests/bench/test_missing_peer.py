"""A peer that is not installed is listed as such; the run goes on without it."""
from tracegrad.bench.options import BenchOptions
from tracegrad.bench.schema import validate_report
from tracegrad.bench.suite import run_suite
from tracegrad.bench.systems import SYSTEMS
from tracegrad.bench.table import footer_lines


def test_missing_peer_is_reported_not_an_error(monkeypatch):
    monkeypatch.setattr(type(SYSTEMS["jax"]), "available", lambda self: False)
    options = BenchOptions(quick=True, workloads=["dispatch"], peers=["jax"], repeat=3,
                           budget_s=0.01)
    lines = []
    report = run_suite(options, log=lines.append, argv=["bench"])
    assert validate_report(report) == []
    assert report["systems"]["jax"]["status"] == "not installed"
    assert [r["system"] for r in report["results"]] == ["tracegrad"]
    assert any("jax" in l and "not installed" in l for l in lines)
    assert any("not installed" in l for l in footer_lines(report))
