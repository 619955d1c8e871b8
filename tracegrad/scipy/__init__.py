"""tracegrad.scipy: traceable counterparts of SciPy functions."""
from . import linalg, special

__all__ = ["linalg", "special"]
