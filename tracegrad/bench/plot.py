"""--plot: steady-state time against size per system (log-log, one panel per workload)
and the ratio of each system's time to tracegrad's (bars, largest size per workload)."""
from __future__ import annotations

import math


def plot_report(report, path):
    import matplotlib
    matplotlib.use("Agg")                      # files only, no display needed
    import matplotlib.pyplot as plt

    results = [r for r in report["results"] if r.get("median_s")]
    workloads = list(dict.fromkeys(r["workload"] for r in results))
    labels = list(dict.fromkeys(r["label"] for r in results))
    colors = {label: plt.cm.tab10(i % 10) for i, label in enumerate(labels)}
    columns = min(3, max(1, len(workloads)))
    panel_rows = math.ceil(len(workloads) / columns) if workloads else 1
    figure = plt.figure(figsize=(5 * columns, 3.4 * panel_rows + 4.2))
    grid = figure.add_gridspec(panel_rows + 1, columns)
    for i, name in enumerate(workloads):
        axis = figure.add_subplot(grid[i // columns, i % columns])
        for label in labels:
            points = sorted((r["size"], r["median_s"]) for r in results
                            if r["workload"] == name and r["label"] == label)
            if points:
                axis.loglog(*zip(*points), marker="o", label=label, color=colors[label])
        axis.set_title(name)
        axis.set_xlabel("size")
        axis.set_ylabel("median time per call (s)")
    bars = figure.add_subplot(grid[panel_rows, :])
    _ratio_bars(bars, results, workloads, labels, colors)
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], color=colors[label], marker="o", linewidth=6)
               for label in labels]
    figure.legend(handles, labels, loc="upper right")
    figure.suptitle("tracegrad bench — " + report["machine"]["cpu"], fontsize=10)
    figure.tight_layout(rect=(0, 0, 0.88, 0.97))
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _ratio_bars(axis, results, workloads, labels, colors):
    peers = [label for label in labels if label != "tracegrad"]
    width = 0.8 / max(1, len(peers))
    for j, label in enumerate(peers):
        xs, heights = [], []
        for i, name in enumerate(workloads):
            mine = [r for r in results if r["workload"] == name and r["label"] == label
                    and r.get("ratio_to_tracegrad")]
            if mine:
                largest = max(mine, key=lambda r: r["size"])
                xs.append(i + (j - (len(peers) - 1) / 2) * width)
                heights.append(largest["ratio_to_tracegrad"])
        axis.bar(xs, heights, width=width, label=label, color=colors[label])
    for i, name in enumerate(workloads):
        if not any(r["workload"] == name and r["label"] == "tracegrad" for r in results):
            axis.annotate("no tracegrad time", (i, 1.0), ha="center", va="bottom",
                          fontsize=8)
    axis.axhline(1.0, color="black", linewidth=0.8)
    axis.set_yscale("log")
    axis.set_xticks(range(len(workloads)), workloads)
    axis.set_ylabel("time / tracegrad time\n(above 1: tracegrad faster)")
    axis.set_title("ratio to tracegrad (largest size of each workload)")
