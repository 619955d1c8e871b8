"""tracegrad.autograd: PyTorch's imperative autograd on tracegrad's eager engine.

Tensors record the operations applied to them on a tape while they require gradients;
`backward()` runs tracegrad's backward builder (the VJP rules of tg.grad) over the
recorded part. See docs/imperative.md for the PyTorch-to-tracegrad table."""
from . import inplace as _inplace, operators as _operators
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .engine import grad, run_backward as backward
from .function import Function, FunctionCtx
from .grad_fn import GradFn
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .tensor import Size, Tensor, as_tensor, tensor

_operators.install()
_inplace.install()

__all__ = ["Tensor", "tensor", "as_tensor", "Size", "backward", "grad", "Function",
           "FunctionCtx", "GradFn", "no_grad", "enable_grad", "set_grad_enabled",
           "is_grad_enabled", "set_detect_anomaly", "detect_anomaly", "is_anomaly_enabled",
           "gradcheck", "gradgradcheck", "GradcheckError"]
