"""--markdown: a results page (command, date, machine, versions, table, notes) built from
the report alone, so a recorded page always matches its JSON."""
from __future__ import annotations

import os

from .format import format_seconds
from .table import footer_lines, markdown_table


def results_page(report, json_path=None, plot_path=None, page_path=None):
    command = "tracegrad " + " ".join(report["command"])
    unset = report["environment"]["unset_for_measurements"]
    lines = [
        "# tracegrad bench — recorded results", "",
        f"- date: {report['date']}",
        f"- command: `{command}`",
        f"- machine: {report['machine']['cpu']}, {report['machine']['usable_cores']} usable "
        f"cores, copy bandwidth {report['machine']['copy_bandwidth_gbs']:.1f} GB/s, "
        f"{report['machine']['platform']}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()),
        "- OpenBLAS overrides unset for the measuring processes: "
        + (", ".join(unset) if unset else "none were set"),
        f"- wall time of the whole run: {format_seconds(report['total_s'])}",
        "",
    ]
    for label, path in (("every figure (JSON)", json_path), ("plot", plot_path)):
        if path:
            lines.append(f"- {label}: [{os.path.basename(path)}]"
                         f"({_relative(path, page_path)})")
    if plot_path:
        lines += ["", f"![time vs size, ratio to tracegrad]({_relative(plot_path, page_path)})"]
    lines += ["", markdown_table(report), ""]
    lines += [f"- {line}" for line in footer_lines(report)]
    phases = _phase_lines(report)
    if phases:
        lines += ["", "## tracegrad's first call, by phase", "",
                  "Trace + differentiate, graph passes and codegen run before the first "
                  "result; LLVM (kernels) and Numba (driver) in the background until "
                  "native code is ready.", "", *phases]
    lines += ["", "How each figure is measured: docs/bench.md.", ""]
    return "\n".join(lines)


def _phase_lines(report):
    rows = []
    for r in report["results"]:
        phases = r.get("first_call_phases")
        if r["system"] == "tracegrad" and phases:
            timed = ", ".join(f"{k} {format_seconds(v)}" for k, v in phases.items()
                              if isinstance(v, float))
            rows.append(f"- {r['workload']} size={r['size']}: {timed}; "
                        f"{phases.get('kernels')} kernels; first result from "
                        f"{phases.get('first result from')}")
    return rows


def _relative(path, page_path):
    if not page_path:
        return path
    return os.path.relpath(os.path.abspath(path), os.path.dirname(os.path.abspath(page_path)))


def write_results_page(report, path, json_path=None, plot_path=None):
    with open(path, "w") as f:
        f.write(results_page(report, json_path, plot_path, path))
