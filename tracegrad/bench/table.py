"""The results table: plain text always, rich when it is installed."""
from __future__ import annotations

from .format import format_bytes, format_ratio, format_seconds

COLUMNS = ("workload", "size", "system", "first result", "native ready", "2nd process",
           "median (min–max)", "vs tracegrad", "peak mem", "correct?")


def correctness_cell(result):
    if result.get("timed_out_after_s"):
        return f"TIMEOUT (> {result['timed_out_after_s']:g} s)"
    if result.get("error"):
        return "ERROR: " + result["error"][:60]
    if result["check"] == "reference":
        return "reference"
    if result["correct"] is None:
        return "no reference" if result["check"].startswith("no tracegrad") else "-"
    error = result["max_error"]
    shown = "?" if error is None else f"{error:.0e}"
    return f"ok ({shown})" if result["correct"] else f"MISMATCH ({shown})"


def table_rows(report):
    rows = []
    for r in report["results"]:
        timing = "-" if r.get("median_s") is None else (
            f"{format_seconds(r['median_s'])} ({format_seconds(r['min_s'])}"
            f"–{format_seconds(r['max_s'])})")
        rows.append((r["workload"], str(r["size"]), r["label"],
                     _first_call_cell(r), format_seconds(r.get("native_ready_s")),
                     format_seconds(r.get("second_process_first_call_s")),
                     timing, format_ratio(r.get("ratio_to_tracegrad")),
                     format_bytes(r.get("peak_memory_bytes")), correctness_cell(r)))
    return rows


def _first_call_cell(result):
    if result.get("timed_out_after_s") and result.get("first_call_s") is None:
        return f"> {format_seconds(result['timed_out_after_s'])}"
    return format_seconds(result.get("first_call_s"))


def plain_table(report):
    rows = [COLUMNS] + table_rows(report)
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(report):
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(report)]
    return "\n".join(lines)


def footer_lines(report):
    lines = [f"machine: {report['machine_line']}"]
    for name, info in report["systems"].items():
        if info["status"] != "ran":
            lines.append(f"{info['label']}: {info['status']}")
    lines.append("first result: the first call's time to its result (tracegrad: from "
                 "the interpreter while native code compiles in the background). native "
                 "ready: from that call until compiled code runs (compilers only).")
    lines.append("vs tracegrad: the system's median / tracegrad's median (above 1: "
                 "tracegrad is faster). 2nd process: tracegrad's first call in a fresh "
                 "process on the same disk cache.")
    methods = {r.get("memory_method") for r in report["results"] if r.get("memory_method")}
    for method in sorted(methods):
        lines.append(f"peak mem: {method}")
    return lines


def print_table(report, out=print, use_rich=True):
    """Print with rich when available (and wanted), as plain text otherwise."""
    console = _rich_console() if use_rich else None
    if console is None:
        out(plain_table(report))
        for line in footer_lines(report):
            out(line)
        return
    from rich.table import Table
    table = Table(*COLUMNS, title="tracegrad bench")
    for row in table_rows(report):
        style = "bold red" if row[-1].startswith(("MISMATCH", "ERROR", "TIMEOUT")) else None
        table.add_row(*row, style=style)
    console.print(table)
    for line in footer_lines(report):
        console.print(line, markup=False, highlight=False)


def _rich_console():
    try:
        from rich.console import Console
    except ImportError:
        return None
    console = Console()
    # Piped to a file, rich would wrap the table to 80 columns: plain text reads better.
    return console if console.is_terminal else None
