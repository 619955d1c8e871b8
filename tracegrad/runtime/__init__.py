"""The runtime: compiled functions, signatures, the in-memory and on-disk caches,
loading generated modules, argument checking and conversion."""
from .compiled import CacheInfo, CompiledFunction
from .disk_cache import cache_summary, clear_cache, program_directory
from .executable import Executable
from .loader import LoadedModule, load_module
from .notices import TracegradWarning
from .program import Lowering, Program, Stopwatch

__all__ = ["CompiledFunction", "CacheInfo", "Executable", "Program", "Lowering",
           "LoadedModule", "load_module", "program_directory", "cache_summary",
           "clear_cache", "TracegradWarning", "Stopwatch"]
