"""pure_callback: a call of Python code on concrete arrays (JAX's primitive of that name).

Its params are `callback`, a callable taking one array per operand and returning one
array per result (it checks them against the declared types: tracegrad/lax/callback.py),
and `out_avals`, the declared result types. The graph knows nothing else about it: it is
opaque, pure (it may be removed when unused or merged with an identical call), never
folded at compile time, and has no derivative of its own."""
from __future__ import annotations

import numpy as np

from .kinds import CALLBACK
from .primitive import Primitive


def _rule(*avals, callback, out_avals):
    return list(out_avals)


def _impl(*args, callback, out_avals):
    return callback(*[np.asarray(x) for x in args])


Primitive("pure_callback", _rule, _impl, CALLBACK, multiple_results=True)
