"""The correctness check flags a wrong peer; agreeing ones pass."""
import numpy as np

from tracegrad.bench.compare import compare_arrays
from tracegrad.bench.suite import collect_results
from tracegrad.bench.table import plain_table


def reference():
    rng = np.random.default_rng(0)
    return {"value": np.asarray(1.5), "out/W": rng.standard_normal((3, 4)),
            "out/b": rng.standard_normal(4)}


def test_equal_results_are_correct():
    ref = reference()
    verdict = compare_arrays({k: v.copy() for k, v in ref.items()}, ref, "float64")
    assert verdict["correct"] and verdict["max_error"] == 0


def test_rounding_differences_within_the_dtype_tolerance_are_correct():
    ref = reference()
    close = {k: (v * (1 + 1e-5)).astype(np.float32) for k, v in ref.items()}
    assert compare_arrays(close, ref, "float32")["correct"]


def test_a_wrong_gradient_is_a_mismatch_naming_the_leaf():
    ref = reference()
    wrong = {k: v.copy() for k, v in ref.items()}
    wrong["out/b"] = 2 * wrong["out/b"]
    verdict = compare_arrays(wrong, ref, "float64")
    assert not verdict["correct"] and "out/b" in verdict["detail"]


def test_a_wrong_value_is_a_mismatch():
    ref = reference()
    wrong = dict(ref, value=np.asarray(1.5 + 1e-3))
    assert not compare_arrays(wrong, ref, "float64")["correct"]


def test_shape_structure_and_nan_differences_are_mismatches():
    ref = reference()
    assert not compare_arrays(dict(ref, **{"out/b": ref["out/b"][:3]}), ref,
                              "float64")["correct"]
    missing = {k: v for k, v in ref.items() if k != "out/W"}
    assert not compare_arrays(missing, ref, "float64")["correct"]
    nan = dict(ref, **{"out/W": np.full((3, 4), np.nan)})
    assert not compare_arrays(nan, ref, "float64")["correct"]


def test_a_deliberately_wrong_peer_is_flagged_in_the_results_and_the_table(tmp_path):
    ref = reference()
    wrong = dict(ref, **{"out/W": -ref["out/W"]})
    files = {}
    for name, arrays in (("tracegrad", ref), ("numpy", ref), ("jax", wrong)):
        files[name] = str(tmp_path / f"{name}.npz")
        np.savez(files[name], **arrays)
    spec = {"workload": "logreg", "size": 10, "dtype": "float64"}
    rows = {("logreg", 10, "float64", name): {"arrays_file": files[name], "median_s": t,
                                              "min_s": t, "max_s": t, "runs": 3,
                                              "first_call_s": t}
            for name, t in (("tracegrad", 1e-3), ("numpy", 2e-3), ("jax", 3e-3))}
    systems = {name: {"label": name, "status": "ran"} for name in ("tracegrad", "numpy",
                                                                   "jax")}
    results = {r["system"]: r for r in collect_results([spec], None, rows, systems)}
    assert results["tracegrad"]["check"] == "reference"
    assert results["numpy"]["correct"] is True
    assert results["jax"]["correct"] is False
    assert results["jax"]["ratio_to_tracegrad"] == 3.0
    report = {"results": list(results.values())}
    line = next(l for l in plain_table(report).splitlines() if "jax" in l)
    assert "MISMATCH" in line
