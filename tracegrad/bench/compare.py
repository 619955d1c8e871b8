"""Correctness: every system's value and gradient against tracegrad's.

The error of an output is max|result - reference| / max|reference| over its elements
(scaled by the largest reference entry, so tiny entries of a large gradient do not
dominate); a row's error is the largest over the value and every gradient leaf. A row is
correct when that stays under the tolerance of its dtype; a missing leaf, a different
shape or a NaN is a mismatch, whatever its size."""
from __future__ import annotations

import numpy as np

TOLERANCE = {"float32": 2e-3, "float64": 1e-7}


def load_arrays(path):
    with np.load(path) as data:
        return {name: data[name] for name in data.files}


def compare_arrays(result, reference, dtype):
    """{"correct": bool, "max_error": float|None, "detail": str}."""
    tolerance = TOLERANCE.get(dtype, 1e-7)
    if set(result) != set(reference):
        missing = sorted(set(reference) ^ set(result))
        return {"correct": False, "max_error": None,
                "detail": f"different outputs: {', '.join(missing)}"}
    worst, worst_name = 0.0, None
    for name in sorted(reference):
        got, want = np.asarray(result[name], np.float64), np.asarray(reference[name],
                                                                       np.float64)
        if got.shape != want.shape:
            return {"correct": False, "max_error": None,
                    "detail": f"{name}: shape {got.shape}, reference {want.shape}"}
        if not (np.all(np.isfinite(got)) and np.all(np.isfinite(want))):
            if not np.array_equal(got, want, equal_nan=True):
                return {"correct": False, "max_error": float("nan"),
                        "detail": f"{name}: non-finite values differ"}
            continue
        scale = np.max(np.abs(want)) if want.size else 0.0
        diff = np.max(np.abs(got - want)) if want.size else 0.0
        error = diff / scale if scale > 0 else diff
        if error > worst or worst_name is None:
            worst, worst_name = float(error), name
    correct = worst <= tolerance
    detail = (f"max error {worst:.1e} (tolerance {tolerance:.0e})" +
              ("" if correct else f" in {worst_name}"))
    return {"correct": bool(correct), "max_error": worst, "detail": detail}
