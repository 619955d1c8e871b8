import os

import numpy as np
import pytest

from tracegrad.config import config

# Run the IR verifier on the output of every graph pass (TRACEGRAD_CHECK=1).
config.check = True
# Compiled functions wait for native code, so tests of compiled code test compiled code;
# tests of tiered execution (tests/runtime/test_tiered.py) ask for it.
config.tiered = False


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory):
    """One cache directory for the whole session (and the subprocesses tests start), so
    no test touches the user's cache."""
    path = tmp_path_factory.mktemp("tracegrad-cache")
    saved = config.cache_dir, config.disable_disk_cache, os.environ.get("TRACEGRAD_CACHE_DIR")
    config.cache_dir, config.disable_disk_cache = str(path), False
    os.environ["TRACEGRAD_CACHE_DIR"] = str(path)
    os.environ.pop("TRACEGRAD_DISABLE_DISK_CACHE", None)
    yield path
    config.cache_dir, config.disable_disk_cache = saved[0], saved[1]
    if saved[2] is None:
        os.environ.pop("TRACEGRAD_CACHE_DIR", None)
    else:
        os.environ["TRACEGRAD_CACHE_DIR"] = saved[2]
