"""The `tracegrad` command."""
from __future__ import annotations

import argparse
import sys

import numpy as np


def _demo(args) -> int:
    import tracegrad as tg

    def model(w, x):
        h = np.tanh(x @ w)
        return np.mean(np.sin(h) * np.exp(-h * h))

    rng = np.random.default_rng(0)
    w = rng.standard_normal((4, 3))
    x = rng.standard_normal((5, 4))
    traced = tg.make_ir(model)(w, x)
    print("# model(w, x) = mean(sin(h) * exp(-h*h)),  h = tanh(x @ w)")
    print(traced)
    print("interpreted:", traced.evaluate(w, x))
    print("numpy:      ", model(w, x))
    if hasattr(tg, "grad"):
        print("# d model / d w, traced forward + backward:")
        print(tg.make_ir(tg.grad(model))(w, x))
        print("gradient:\n", tg.grad(model)(w, x))
    return 0


def _cache(args) -> int:
    from tracegrad.runtime import cache_summary, clear_cache
    if args.action == "clear":
        removed = clear_cache()
        print(f"removed {removed} compiled programs from {cache_summary()['directory']}")
        return 0
    info = cache_summary()
    print(f"directory: {info['directory']}")
    print(f"programs:  {info['programs']}")
    print(f"size:      {info['bytes'] / 2**20:.1f} MiB")
    for name, current in info["layouts"]:
        print(f"  {name}{'  (this host and versions)' if current else ''}")
    return 0


def main(argv=None) -> int:
    import tracegrad
    parser = argparse.ArgumentParser(prog="tracegrad", description=__doc__)
    parser.add_argument("--version", action="version",
                        version=f"tracegrad {tracegrad.__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("demo", help="trace a small function, print its IR and results")
    cache = sub.add_parser("cache", help="show or empty the compiled-program cache "
                                          "($TRACEGRAD_CACHE_DIR)")
    cache.add_argument("action", choices=["info", "clear"])
    from .bench.command import add_arguments as add_bench_arguments
    add_bench_arguments(sub.add_parser(
        "bench", help="benchmark tracegrad against NumPy, JAX, PyTorch and autograd"))
    args = parser.parse_args(argv)
    if args.command == "bench":
        from .bench.command import run as run_bench
        return run_bench(args, argv=sys.argv[1:] if argv is None else argv)
    if args.command == "demo":
        return _demo(args)
    if args.command == "cache":
        return _cache(args)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
