"""tracegrad.lax: the primitives as typed functions, one per primitive (JAX's `lax` is the
model), and structured control flow.

No NumPy promotion or broadcasting happens in the typed functions: operands must already
have the dtypes and shapes the primitive's rule accepts, and parameters are explicit.
Rules, composites, `nn` and `scipy` emit primitives through these functions, so there is
one way to emit each.

On tracers a function records its primitive; on concrete arrays it runs the primitive's
NumPy implementation. `like=` names a tracer whose trace should record the operation
when every operand is a constant (e.g. a ramp the shape of a traced array).

cond, switch, fori_loop, scan, while_loop and checkpoint (remat) have JAX's signatures;
see control.py. So do dynamic_slice, dynamic_update_slice and their one-axis forms (slices
at traced positions); see slicing.py. pure_callback (any Python on concrete arrays, in
compiled programs too) and ShapeDtypeStruct; see callback.py."""
from .ops import *  # noqa: F401,F403
from .ops import __all__ as _ops
from . import linalg
from .fft import fft
from .callback import ShapeDtypeStruct, pure_callback
from .control import checkpoint, cond, fori_loop, remat, scan, switch, while_loop
from .slicing import (dynamic_index_in_dim, dynamic_slice, dynamic_slice_in_dim,
                      dynamic_update_index_in_dim, dynamic_update_slice,
                      dynamic_update_slice_in_dim)
from .slicing import __all__ as _slicing

__all__ = list(_ops) + list(_slicing) + ["cond", "switch", "fori_loop", "scan", "while_loop",
                                         "checkpoint", "remat", "pure_callback",
                                         "ShapeDtypeStruct"]
