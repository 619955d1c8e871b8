"""tracegrad: trace NumPy-style functions, differentiate them exactly, compile them."""
from . import nn, numpy, random, scipy  # noqa: F401  (numpy installs the array interface on tracers)
from .aliases import missing_attribute as _missing_attribute
from .errors import (ArgumentError, ConcretizationError, DTypeError, MissingRuleError,
                     ShapeError, SpellingError, TracegradError, UnsupportedError)
from .autodiff import (check_grads, custom_jvp, custom_vjp, grad, hessian, jacfwd, jacrev, jvp,
                       stop_gradient, value_and_grad, vjp, vmap)
from .lax import (ShapeDtypeStruct, checkpoint, cond, fori_loop, pure_callback, remat, scan,
                  switch, while_loop)
from .pipeline import compile  # noqa: A001  (tg.compile, not the builtin)
from . import autograd  # noqa: E402  (the PyTorch-style API; common names below)
from .autograd import Tensor, enable_grad, no_grad, set_grad_enabled, tensor
from .tracer import (Tracer, make_ir, register_pytree_node, tree_flatten, tree_leaves,
                     tree_map, tree_structure, tree_unflatten)

__version__ = "0.1.0"

from .runtime import warmup as _warmup  # noqa: E402

_warmup.start()     # Numba and LLVM start up in the background while the user's code runs


def __getattr__(name):
    """tg.jit, tg.elementwise_grad, ...: other libraries' names say tracegrad's."""
    raise _missing_attribute(name)

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "jacfwd", "jacrev", "hessian", "custom_vjp",
           "custom_jvp", "vmap", "pure_callback", "ShapeDtypeStruct",
           "stop_gradient", "check_grads", "make_ir", "cond", "switch", "fori_loop", "scan",
           "while_loop", "checkpoint", "remat", "numpy", "random", "Tracer", "register_pytree_node", "tree_flatten",
           "tree_unflatten", "tree_map", "tree_leaves", "tree_structure",
           "TracegradError", "ConcretizationError", "ShapeError", "DTypeError",
           "UnsupportedError", "ArgumentError", "MissingRuleError", "SpellingError",
           "autograd", "Tensor", "tensor", "no_grad", "enable_grad", "set_grad_enabled",
           "__version__"]
