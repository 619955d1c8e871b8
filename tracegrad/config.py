"""Every environment variable and switch of tracegrad, in one place.

A variable set to a value tracegrad cannot read stops `import tracegrad` with an error
that names the variable and what it accepts: a typo must not silently mean the default.
An empty value means the same as an unset one. (ValueError, not a tracegrad error
class: this module imports nothing of tracegrad.)"""
import os

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _raw(name: str):
    value = os.environ.get(name, "").strip()
    return value or None


def _flag(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ValueError(
        f"{name}={os.environ[name]!r} is not a switch: use one of "
        f"{', '.join(_TRUE)} (on) or {', '.join(_FALSE)} (off), or unset it "
        f"(default: {'on' if default else 'off'}).")


def _whole_number(name: str, default: int, minimum: int, meaning: str) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ValueError(
            f"{name}={os.environ[name]!r} is not valid: use a whole number >= {minimum} "
            f"({meaning}), or unset it (default: {default}).")
    return number


class Config:
    """Process-wide settings; read once from the environment, changeable at run time."""

    def __init__(self):
        # TRACEGRAD_CHECK=1: run the IR verifier after every graph pass.
        self.check = _flag("TRACEGRAD_CHECK")
        # TRACEGRAD_CACHE_DIR: where compiled programs are stored across processes.
        self.cache_dir = _raw("TRACEGRAD_CACHE_DIR") or os.path.join(
            os.path.expanduser("~"), ".cache", "tracegrad")
        # TRACEGRAD_DISABLE_DISK_CACHE=1: compile in memory only.
        self.disable_disk_cache = _flag("TRACEGRAD_DISABLE_DISK_CACHE")
        # TRACEGRAD_THREADS: threads for large kernels; 0 = always serial.
        self.threads = _whole_number("TRACEGRAD_THREADS", 0, 0,
                                     "threads for large kernels; 0 = serial")
        # TRACEGRAD_TIERED=0: a new signature waits for native code instead of being
        # answered by the interpreter while native code compiles in the background.
        self.tiered = _flag("TRACEGRAD_TIERED", True)
        # TRACEGRAD_WARMUP=0: do not start Numba and LLVM in the background at import.
        self.warmup = _flag("TRACEGRAD_WARMUP", True)
        # TRACEGRAD_CHECK_NANS=1: every call of a compiled function checks its results
        # for NaN and inf, and finds the operation that made one (runtime/compiled.py).
        self.check_nans = _flag("TRACEGRAD_CHECK_NANS")
        # TRACEGRAD_MAX_SIGNATURES: compiled programs each compiled function keeps in
        # memory (the most recently used); an evicted signature is traced again.
        self.max_signatures = _whole_number(
            "TRACEGRAD_MAX_SIGNATURES", 64, 1,
            "compiled programs kept per compiled function")


config = Config()


class _SettingsModule(type(os)):
    """`tracegrad.config.check_nans = True` reads and writes the settings themselves, as
    `tracegrad.config.config.check_nans` does (the module forwards them)."""

    def __getattr__(self, name):
        return getattr(self.__dict__["config"], name)

    def __setattr__(self, name, value):
        settings = self.__dict__.get("config")
        if settings is not None and name in vars(settings):
            setattr(settings, name, value)
        else:
            super().__setattr__(name, value)


import sys  # noqa: E402  (only for the line below)

sys.modules[__name__].__class__ = _SettingsModule
