"""Keywords of other libraries: `grad(f, argnum=1)` is HIPS autograd's spelling, and
tracegrad (like JAX) says `argnums=`. A transformation given a keyword it does not take
names the one it means, instead of a bare TypeError."""
from __future__ import annotations

import functools
import inspect

from ..errors import ArgumentError

# keyword -> (what tracegrad calls it, where the other spelling comes from)
SPELLINGS = {
    "argnum": ("argnums", "HIPS autograd's argnum"),
    "static_argnum": ("static_argnums", "a misspelling of JAX's static_argnums"),
    "static_argname": ("static_argnames", "a misspelling of JAX's static_argnames"),
}


def checked_keywords(fn):
    """fn, raising ArgumentError (a TypeError) for a keyword it does not take, with
    tracegrad's spelling when the keyword is another library's."""
    accepted = set(inspect.signature(fn).parameters)

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        for key in kwargs:
            if key not in accepted:
                raise _unexpected(fn.__name__, key)
        return fn(*args, **kwargs)
    return checked


def _unexpected(name: str, key: str) -> ArgumentError:
    message = f"{name}() got an unexpected keyword argument {key!r}"
    if key in SPELLINGS:
        ours, origin = SPELLINGS[key]
        message += f" ({origin}); tracegrad spells it {ours}=, as JAX does: " \
                   f"{name}(f, {ours}=...)"
    return ArgumentError(message)
