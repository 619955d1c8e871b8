"""Error classes. Every message names the user's source line and what to do."""


class TracegradError(Exception):
    """Base class of every error tracegrad raises on purpose."""


class ConcretizationError(TracegradError):
    """A traced (abstract) value was used where a concrete Python value is needed."""


class ShapeError(TracegradError, ValueError):
    """Operand shapes do not fit the operation."""


class DTypeError(TracegradError, TypeError):
    """Operand dtypes do not fit the operation."""


class UnsupportedError(TracegradError, NotImplementedError):
    """A NumPy feature tracegrad does not (yet) support on traced values."""


class ArgumentError(TracegradError, TypeError):
    """Arguments do not match what the function or transformation expects."""


class MissingRuleError(TracegradError, NotImplementedError):
    """A primitive has no rule for the requested transformation."""


class SpellingError(TracegradError, AttributeError):
    """A name of another library (JAX, HIPS autograd, PyTorch) that tracegrad spells
    differently, or leaves out; the message says what to write."""
