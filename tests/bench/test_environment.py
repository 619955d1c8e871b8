"""The measurement subprocesses' environment: OpenBLAS overrides removed, threads set."""
import os

from tracegrad.bench.environment import OPENBLAS_OVERRIDES, worker_environment


def test_openblas_overrides_are_removed_for_workers_only():
    base = {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "1048576", "HOME": "/h"}
    env, removed = worker_environment(base)
    assert not set(OPENBLAS_OVERRIDES) & set(env)
    assert removed == {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "1048576"}
    assert env["HOME"] == "/h"
    assert base["OPENBLAS_CORETYPE"] == "Haswell"          # the caller's copy untouched


def test_nothing_is_removed_when_nothing_is_set():
    env, removed = worker_environment({"PATH": "/bin"})
    assert removed == {} and env["PATH"] == "/bin"


def test_threads_and_cache_dir_reach_the_workers():
    env, _ = worker_environment({}, threads=2, cache_dir="cache-here")
    assert env["OMP_NUM_THREADS"] == env["TRACEGRAD_THREADS"] == "2"
    assert env["TRACEGRAD_CACHE_DIR"] == "cache-here"


def test_the_default_reads_but_never_changes_os_environ():
    before = dict(os.environ)
    worker_environment(threads=3)
    assert dict(os.environ) == before
