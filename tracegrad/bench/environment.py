"""The environment of the measuring subprocesses.

OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE override OpenBLAS's own detection of the CPU
and of its cache size. Set for another machine (or by an image's defaults) they make
OpenBLAS pick kernels and blockings that are wrong for this one, and every BLAS-bound
figure with them. The bench removes them for its measurement subprocesses only — the
calling shell, and any other process, keep them — and records what it removed."""
from __future__ import annotations

import os

OPENBLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "NUMBA_NUM_THREADS", "TRACEGRAD_THREADS")


def worker_environment(base=None, threads=None, cache_dir=None):
    """(env, removed): a copy of `base` (default os.environ) without the OpenBLAS
    overrides; with `threads`, every library's thread count set to it; with `cache_dir`,
    tracegrad's and torch.compile's disk caches pointed there."""
    env = dict(os.environ if base is None else base)
    removed = {name: env.pop(name) for name in OPENBLAS_OVERRIDES if name in env}
    if threads:
        for name in THREAD_VARIABLES:
            env[name] = str(threads)
    if cache_dir:
        # Compilers with a disk cache start from an empty one, as tracegrad does.
        env["TRACEGRAD_CACHE_DIR"] = cache_dir
        env["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(cache_dir, "torchinductor")
    env["PYTHONUNBUFFERED"] = "1"
    return env, removed


def peer_environment(env):
    """A peer's worker imports tracegrad's bench code: keep tracegrad's background
    warm-up of Numba and LLVM from taking CPU time while the peer is measured."""
    return dict(env, TRACEGRAD_WARMUP="0")
