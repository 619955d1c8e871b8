"""The systems the bench can run, tracegrad first (it is the reference)."""
from .autograd_peer import AutogradPeer
from .base import System
from .jax_peer import JaxPeer
from .numpy_hand import NumpyHandwritten
from .torch_compile_peer import TorchCompilePeer
from .torch_peer import TorchPeer
from .tracegrad_compiled import TracegradCompiled
from .tracegrad_eager import TracegradEager
from .tracegrad_loop import TracegradLoop

SYSTEMS: dict[str, System] = {s.name: s for s in (
    TracegradCompiled(), TracegradEager(), NumpyHandwritten(), JaxPeer(), TorchPeer(),
    TorchCompilePeer(), AutogradPeer(), TracegradLoop())}
REFERENCE = "tracegrad"
PEERS = [name for name in SYSTEMS if name != REFERENCE]
DEFAULT_PEERS = [name for name in PEERS if not SYSTEMS[name].opt_in]

__all__ = ["SYSTEMS", "REFERENCE", "PEERS", "DEFAULT_PEERS", "System"]
