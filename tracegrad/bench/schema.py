"""The --json file's layout, checked field by field (used by the writer and the tests)."""
from __future__ import annotations

import json

NUMBER = (int, float)
OPTIONAL_NUMBER = (int, float, type(None))

TOP_LEVEL = {"schema": str, "date": str, "command": list, "options": dict,
             "machine": dict, "machine_line": str, "versions": dict, "environment": dict,
             "systems": dict, "results": list, "total_s": NUMBER}
MACHINE = {"cpu": str, "logical_cores": (int, type(None)), "usable_cores": (int, type(None)),
           "copy_bandwidth_gbs": NUMBER, "platform": str, "python": str}
SYSTEM = {"label": str, "status": str}
RESULT = {"workload": str, "size": int, "dtype": str, "system": str, "label": str,
          "first_call_s": OPTIONAL_NUMBER, "native_ready_s": OPTIONAL_NUMBER,
          "first_call_phases": (dict, type(None)),
          "second_process_first_call_s": OPTIONAL_NUMBER, "median_s": OPTIONAL_NUMBER,
          "min_s": OPTIONAL_NUMBER, "max_s": OPTIONAL_NUMBER, "runs": (int, type(None)),
          "samples_s": (list, type(None)), "peak_memory_bytes": (int, type(None)),
          "memory_method": (str, type(None)), "ratio_to_tracegrad": OPTIONAL_NUMBER,
          "correct": (bool, type(None)), "max_error": OPTIONAL_NUMBER, "check": str,
          "value": OPTIONAL_NUMBER, "error": (str, type(None))}


def _check(record, fields, where):
    problems = []
    for name, kind in fields.items():
        if name not in record:
            problems.append(f"{where}: missing {name!r}")
        elif not isinstance(record[name], kind) or (
                kind in (NUMBER, OPTIONAL_NUMBER) and isinstance(record[name], bool)):
            problems.append(f"{where}.{name}: {type(record[name]).__name__}")
    return problems


def validate_report(report):
    """A list of problems; empty when the report follows the schema."""
    problems = _check(report, TOP_LEVEL, "report")
    if problems:
        return problems
    problems += _check(report["machine"], MACHINE, "machine")
    for name, info in report["systems"].items():
        problems += _check(info, SYSTEM, f"systems.{name}")
    for i, result in enumerate(report["results"]):
        problems += _check(result, RESULT, f"results[{i}]")
    return problems


def write_json(report, path):
    problems = validate_report(report)
    if problems:
        raise ValueError("bench report does not follow its schema: " + "; ".join(problems))
    with open(path, "w") as f:
        json.dump(report, f, indent=1, allow_nan=True)
        f.write("\n")
