"""tracegrad.numpy.random: NumPy's random functions under NumPy's names, drawing from
NumPy's own streams eagerly (the same numbers as numpy.random for the same seed; a
`default_rng(seed)` Generator draws what NumPy's does).

A draw here is a value, not an operation of the program: under tg.compile (and make_ir)
it would be made once, while tracing, and every call would reuse it.
So there, and on traced arguments, these functions raise with the rewrite in
tracegrad.random, which draws from a key passed in as an argument. numpy.random called
directly cannot be intercepted (its results are plain arrays); see docs/random.md."""
from __future__ import annotations

import numpy as np

from ..errors import UnsupportedError
from ..tracer import Tracer, current_trace, describe_location, tree_leaves, user_location


def _shape(size) -> str:
    if size is None:
        return "()"
    if isinstance(size, (int, np.integer)):
        return f"({int(size)},)"
    return repr(tuple(int(n) for n in size))


def _text(value, name: str) -> str:
    """A parameter as it can be written back: a Python number as itself, else its name."""
    if isinstance(value, (bool, int, float)) or (isinstance(value, np.generic) and
                                                   value.ndim == 0):
        return repr(value.item() if isinstance(value, np.generic) else value)
    return name


def _tracing() -> bool:
    trace = current_trace()
    return trace is not None and not trace.eager


def _refuse(call: str, rewrite: str):
    loc = describe_location(user_location())
    if _tracing():
        why = (f"draws its numbers once, while the function is traced (at {loc}); under "
               f"tg.compile every call would reuse that draw")
    else:
        why = (f"got a traced argument (at {loc}); NumPy's random stream is not part of "
               f"the traced program, so its draws cannot depend on traced values or be "
               f"differentiated")
    raise UnsupportedError(
        f"{call} {why}. Draw from a key passed in as an argument instead:\n"
        f"    def f(key, ...):\n"
        f"        ... {rewrite} ...\n"
        f"and give each call its own key: `key, sub = tg.random.split(key); f(sub, ...)` "
        f"(or tg.random.fold_in(key, step)); a function that draws several times splits "
        f"its key, one subkey per draw. See docs/random.md.")


def _checked(name: str, rewrite):
    """Decorate a NumPy-delegating function: refused in a trace, with `rewrite(*args,
    **kwargs)` as the key-based call to write instead."""
    def wrap(draw):
        def fn(*args, **kwargs):
            if _tracing() or any(isinstance(leaf, Tracer) for leaf in
                                 tree_leaves([args, kwargs])):
                _refuse(f"tracegrad.numpy.random.{name}", rewrite(*args, **kwargs))
            return draw(*args, **kwargs)
        fn.__name__ = fn.__qualname__ = name
        fn.__doc__ = (f"numpy.random.{name}, drawn eagerly from NumPy's stream (refused "
                      f"inside traced functions: use tracegrad.random with a key).")
        return fn
    return wrap


# ---- the key-based calls each NumPy call becomes ------------------------------------------

def _uniform(low=0.0, high=1.0, size=None):
    bounds = "".join(f", {k}={_text(v, k)}" for k, v, default in
                     (("minval", low, 0.0), ("maxval", high, 1.0)) if
                     not (isinstance(v, (int, float)) and v == default))
    return f"tg.random.uniform(key, {_shape(size)}{bounds})"


def _normal(loc=0.0, scale=1.0, size=None):
    draw = f"tg.random.normal(key, {_shape(size)})"
    if not (isinstance(scale, (int, float)) and scale == 1):
        draw = f"{_text(scale, 'scale')} * {draw}"
    if not (isinstance(loc, (int, float)) and loc == 0):
        draw = f"{_text(loc, 'loc')} + {draw}"
    return draw


def _randint(low, high=None, size=None, dtype=int, endpoint=False):
    low, high = (0, low) if high is None else (low, high)
    top = _text(high, "high") + (" + 1" if endpoint else "")
    return f"tg.random.randint(key, {_shape(size)}, {_text(low, 'low')}, {top})"


def _choice(a, size=None, replace=True, p=None, *rest, **more):
    if p is not None:
        return f"a[tg.random.categorical(key, tnp.log(p), shape={_shape(size)})]"
    if not replace:
        count = size if isinstance(size, (int, np.integer)) else "n"
        return f"tg.random.permutation(key, {_text(a, 'a')})[:{count}]"
    length = _text(a, "len(a)") if isinstance(a, (int, np.integer)) else "len(a)"
    index = f"tg.random.randint(key, {_shape(size)}, 0, {length})"
    return index if isinstance(a, (int, np.integer)) else f"a[{index}]"


def _dims_uniform(*dims):
    return f"tg.random.uniform(key, {_shape(dims)})"


def _dims_normal(*dims):
    return f"tg.random.normal(key, {_shape(dims)})"


def _sized(function):
    return lambda size=None, *rest, **more: f"tg.random.{function}(key, {_shape(size)})"


def _permutation(x, *rest, **more):
    return "tg.random.permutation(key, x)"


def _seed(seed=None, *rest, **more):
    return f"key = tg.random.key({_text(seed, 'seed')})"


# ---- numpy.random's global stream ----------------------------------------------------

seed = _checked("seed", _seed)(np.random.seed)
rand = _checked("rand", _dims_uniform)(np.random.rand)
randn = _checked("randn", _dims_normal)(np.random.randn)
random = _checked("random", _sized("uniform"))(np.random.random)
standard_normal = _checked("standard_normal", _sized("normal"))(np.random.standard_normal)
normal = _checked("normal", _normal)(np.random.normal)
uniform = _checked("uniform", _uniform)(np.random.uniform)
randint = _checked("randint", _randint)(np.random.randint)
choice = _checked("choice", _choice)(np.random.choice)
permutation = _checked("permutation", _permutation)(np.random.permutation)
shuffle = _checked("shuffle", lambda x: "x = tg.random.permutation(key, x)")(np.random.shuffle)


# ---- Generators -------------------------------------------------------------------------

class Generator:
    """numpy.random.Generator's drawing methods on a NumPy Generator (the same numbers),
    refused inside traced functions as the module's functions are. `.numpy` is the
    NumPy Generator itself."""

    def __init__(self, generator: np.random.Generator):
        self.numpy = generator

    def __repr__(self):
        return f"tracegrad.numpy.random.Generator({self.numpy.bit_generator!r})"


def _method(name: str, rewrite):
    def method(self, *args, **kwargs):
        return _checked(f"Generator.{name}", rewrite)(getattr(self.numpy, name))(*args,
                                                                                  **kwargs)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"numpy.random.Generator.{name} (eager; refused while tracing)."
    return method


for _name, _rewrite in {"normal": _normal, "standard_normal": _sized("normal"),
                        "uniform": _uniform, "random": _sized("uniform"),
                        "integers": _randint, "choice": _choice,
                        "permutation": _permutation}.items():
    setattr(Generator, _name, _method(_name, _rewrite))


def default_rng(seed=None) -> Generator:
    """numpy.random.default_rng(seed), wrapped: its draws are NumPy's."""
    return Generator(np.random.default_rng(seed))


__all__ = ["seed", "rand", "randn", "random", "standard_normal", "normal", "uniform",
           "randint", "choice", "permutation", "shuffle", "default_rng", "Generator"]
