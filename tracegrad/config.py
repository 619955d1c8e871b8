"""Every environment variable and switch of tracegrad, in one place."""
import os


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in ("", "0", "false", "no", "off")


class Config:
    """Process-wide settings; read once from the environment, changeable at run time."""

    def __init__(self):
        # TRACEGRAD_CHECK=1: run the IR verifier after every graph pass.
        self.check = _flag("TRACEGRAD_CHECK")
        # TRACEGRAD_CACHE_DIR: where compiled programs are stored across processes.
        self.cache_dir = os.environ.get("TRACEGRAD_CACHE_DIR") or os.path.join(
            os.path.expanduser("~"), ".cache", "tracegrad")
        # TRACEGRAD_DISABLE_DISK_CACHE=1: compile in memory only.
        self.disable_disk_cache = _flag("TRACEGRAD_DISABLE_DISK_CACHE")
        # TRACEGRAD_THREADS: threads for large kernels; 0 = always serial.
        self.threads = int(os.environ.get("TRACEGRAD_THREADS", "0") or 0)
        # TRACEGRAD_TIERED=0: a new signature waits for native code instead of being
        # answered by the interpreter while native code compiles in the background.
        self.tiered = _flag("TRACEGRAD_TIERED", True)
        # TRACEGRAD_WARMUP=0: do not start Numba and LLVM in the background at import.
        self.warmup = _flag("TRACEGRAD_WARMUP", True)


config = Config()
