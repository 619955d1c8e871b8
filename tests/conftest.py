import numpy as np
import pytest

from tracegrad.config import config

# Run the IR verifier on the output of every graph pass (TRACEGRAD_CHECK=1).
config.check = True


@pytest.fixture
def rng():
    return np.random.default_rng(0)
