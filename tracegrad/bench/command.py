"""`tracegrad bench`: the command-line front end."""
from __future__ import annotations

import argparse

from .systems import DEFAULT_PEERS, PEERS, SYSTEMS
from .workloads import DEFAULT_WORKLOADS, WORKLOADS


def _name_list(choices, what):
    def parse(text):
        names = [n.strip() for n in text.split(",") if n.strip()]
        unknown = [n for n in names if n not in choices]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"unknown {what} {', '.join(unknown) or '(none given)'}; "
                f"choose from {', '.join(choices)}")
        return names
    return parse


def _sizes(text):
    try:
        sizes = [int(float(s)) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be numbers like 1000,1e5: {text!r}")
    if not sizes or any(s <= 0 for s in sizes):
        raise argparse.ArgumentTypeError(f"sizes must be positive: {text!r}")
    return sizes


def _positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer: {text!r}")
    return value


def add_arguments(parser):
    parser.add_argument("--quick", action="store_true",
                        help="the quick suite: smaller sizes, 0.2 s of timing per row "
                             "(the default)")
    parser.add_argument("--full", action="store_true",
                        help="the full suite (all sizes, 0.5 s of timing per row)")
    parser.add_argument("--workloads", type=_name_list(list(WORKLOADS), "workload"),
                        help="comma-separated; default: " + ",".join(DEFAULT_WORKLOADS)
                        + "; only when named: " + ",".join(
                            w for w in WORKLOADS if w not in DEFAULT_WORKLOADS))
    parser.add_argument("--peers", type=_name_list(PEERS, "peer"),
                        help=f"comma-separated systems to compare with; default every "
                             f"installed one of {','.join(DEFAULT_PEERS)}; opt-in: "
                             + ",".join(p for p in PEERS if SYSTEMS[p].opt_in))
    parser.add_argument("--sizes", type=_sizes,
                        help="sizes for every selected workload (its main dimension)")
    parser.add_argument("--dtype", choices=("float32", "float64"),
                        help="override each workload's dtype")
    parser.add_argument("--repeat", type=_positive_int, default=200,
                        help="at most N steady-state samples per row (default 200)")
    parser.add_argument("--threads", type=_positive_int,
                        help="threads for every system (CPU affinity and thread "
                             "variables); default: each library's own default")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="most seconds one row (first call included) may take before "
                             "it is recorded as timed out; default 20 (quick), 300 (full)")
    parser.add_argument("--json", metavar="PATH", help="write every figure as JSON")
    parser.add_argument("--plot", metavar="PATH", help="write a PNG (needs matplotlib)")
    parser.add_argument("--markdown", metavar="PATH",
                        help="write a results page (command, date, versions, table)")
    parser.add_argument("--plain", action="store_true",
                        help="plain-text table even when rich is installed")


def options_from_args(args):
    from .options import BenchOptions
    if args.quick and args.full:
        raise SystemExit("tracegrad bench: --quick and --full exclude each other")
    options = BenchOptions(quick=not args.full, repeat=args.repeat, threads=args.threads,
                           sizes=args.sizes, dtype=args.dtype, timeout_s=args.timeout)
    if args.workloads:
        options.workloads = args.workloads
    if args.peers is not None:
        options.peers = args.peers
    return options


def run(args, argv=None):
    from . import plot, schema, table
    from .suite import run_suite
    options = options_from_args(args)
    if args.plot and not _has_matplotlib():
        raise SystemExit("tracegrad bench: --plot needs matplotlib "
                         "(pip install 'tracegrad[bench]')")
    print(f"tracegrad bench ({'quick' if options.quick else 'full'} suite): "
          f"{len(options.rows())} rows, peers {','.join(options.peers) or 'none'}",
          flush=True)
    report = run_suite(options, log=lambda line: print(line, flush=True), argv=argv)
    print()
    table.print_table(report, use_rich=not args.plain)
    if args.json:
        schema.write_json(report, args.json)
        print(f"wrote {args.json}")
    if args.plot:
        plot.plot_report(report, args.plot)
        print(f"wrote {args.plot}")
    if args.markdown:
        from .markdown import write_results_page
        write_results_page(report, args.markdown, args.json, args.plot)
        print(f"wrote {args.markdown}")
    mismatches = [r for r in report["results"] if r["correct"] is False]
    for r in mismatches:
        print(f"MISMATCH: {r['label']} on {r['workload']} size={r['size']}: {r['check']}")
    return 0


def _has_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True
