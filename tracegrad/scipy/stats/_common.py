"""What every distribution in tracegrad.scipy.stats shares: SciPy's own method on
concrete arguments, the traced composite otherwise, and SciPy's loc/scale convention."""
from __future__ import annotations

import numpy as np

from ... import numpy as tnp
from ...numpy import _core
from ..special import xlogy


def traced_or_scipy(name, method):
    """Concrete arguments go to scipy.stats.<name>.<method> (identical results); traced
    ones to the decorated composite. scipy.stats is imported on the first concrete call:
    importing it takes longer than importing tracegrad."""
    def wrap(traced):
        def call(*args, **kwargs):
            if _core.any_traced(args, kwargs):
                return traced(*_common_float(args), **dict(zip(kwargs, _common_float(
                    tuple(kwargs.values()), args))))
            import scipy.stats
            return getattr(getattr(scipy.stats, name), method)(*args, **kwargs)
        call.__name__ = call.__qualname__ = method
        call.__doc__ = (f"tracegrad version of scipy.stats.{name}.{method}: SciPy's own "
                        f"on NumPy arrays, traceable and differentiable on traced "
                        f"values.\n\n{traced.__doc__ or ''}")
        return call
    return wrap


def _numeric(a):
    return a is not None and not isinstance(a, (bool, str))


def _common_float(values, others=()):
    """values in the float dtype NumPy's promotion gives all the arguments (Python
    scalars weak; integers make float64): float32 data with Python-scalar parameters
    stays float32, and constants derived from concrete parameters (gammaln(a), ...)
    cannot promote it."""
    numbers = [a for a in tuple(values) + tuple(others) if _numeric(a)]
    dtype = _core.result_type(*numbers, 0.0)

    def cast(a):
        if not _numeric(a):
            return a
        a = _core.from_nested(a)                    # [tracer, 1.0] -> one tracer
        if _core.is_traced(a):
            return a if tnp.asarray(a).dtype == dtype else tnp.astype(a, dtype)
        return np.asarray(a, dtype)
    return tuple(cast(a) for a in values)


def standardize(x, loc, scale):
    """(z, scale_ok): SciPy evaluates every density at (x - loc) / scale and returns NaN
    where scale <= 0."""
    return tnp.true_divide(tnp.subtract(x, loc), scale), tnp.greater(scale, 0)


def safe(cond, value, fill):
    """value where cond holds, `fill` elsewhere: the masked-out branch of a later
    tnp.where then sees a harmless input, so it can put no NaN or inf into gradients
    (a zero cotangent times an infinite derivative is NaN)."""
    return tnp.where(cond, value, fill)


def finish(out, valid, support=None, outside=-np.inf):
    """SciPy's edges: NaN for invalid parameters, `outside` (log 0) off the support."""
    if support is not None:
        out = tnp.where(support, out, outside)
    return tnp.where(valid, out, np.nan)


def log_scale(ok, scale):
    """log(scale) where it is valid; a concrete scale stays a Python or NumPy number so
    the default scale=1 does not turn float32 results into float64."""
    if not _core.is_traced(scale):
        if np.ndim(scale) == 0:
            return float(np.log(scale)) if scale > 0 else 0.0
        return np.log(np.where(np.asarray(scale) > 0, scale, 1.0))
    return tnp.log(safe(ok, scale, 1.0))


def as_float(x):
    """x as a traced-or-concrete float array (integers become float64, as in SciPy)."""
    x = tnp.asarray(x)
    return x if np.issubdtype(x.dtype, np.inexact) else tnp.astype(x, np.float64)


class Distribution:
    """A namespace of methods of the same name as scipy.stats.<name>'s, each SciPy's own
    on concrete arguments and the given composite on traced ones."""

    def __init__(self, name, **methods):
        self.name = name
        for method, composite in methods.items():
            setattr(self, method, traced_or_scipy(name, method)(composite))
        self.methods = tuple(sorted(methods))

    def __call__(self, *args, **kwargs):
        """The distribution frozen at these parameters (traced or not), as SciPy's
        `norm(loc, scale).logpdf(x)`."""
        return Frozen(self, args, kwargs)

    def __repr__(self):
        return f"<tracegrad.scipy.stats.{self.name}: {', '.join(self.methods)}>"


class Frozen:
    """A distribution's methods with its parameters bound."""

    def __init__(self, dist, args, kwargs):
        self.dist, self.args, self.kwds = dist, args, kwargs
        for method in dist.methods:
            setattr(self, method, self._bound(getattr(dist, method)))

    def _bound(self, fn):
        def call(x):
            return fn(x, *self.args, **self.kwds)
        call.__name__ = call.__qualname__ = fn.__name__
        return call

    def __repr__(self):
        return f"<frozen tracegrad.scipy.stats.{self.dist.name}>"


def times_log(c, y, log_fn=tnp.log, scipy_fn=xlogy, inner=0.0):
    """c * log_fn(y) for a density's exponent c: SciPy's xlogy (or xlog1py) value where
    log_fn(y) is -inf (0 when c == 0), and the derivative log_fn(y) in c everywhere else
    (tracegrad.scipy.special.xlogy's derivative in c is 0 at c == 0, which would break
    gradients at gamma's a == 1, chi2's df == 2, beta's a or b == 1)."""
    ok = tnp.greater(y, inner)
    ys = safe(ok, y, inner + 1.0)
    return tnp.where(ok, c * log_fn(ys), scipy_fn(c, safe(ok, inner, y)))


def exp_of(logfn):
    """The density (or probability) whose log is logfn."""
    def density(*args, **kwargs):
        return tnp.exp(logfn(*args, **kwargs))
    density.__doc__ = f"exp of {logfn.__name__}."
    return density
