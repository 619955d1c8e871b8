"""tracegrad.scipy.stats: densities and cdfs of scipy.stats distributions on
traced values, as compositions of tracegrad.numpy and tracegrad.scipy.special functions,
so they trace, compile and differentiate. On NumPy arrays each method is SciPy's own.

SciPy's own distribution methods convert their arguments with np.asarray and cannot
take traced values: call these instead (`stats.norm.logpdf(x, loc, scale)`)."""
from .continuous import beta, norm, t
from .gammas import chi2, gamma
from .discrete import poisson
from .multivariate import dirichlet, multivariate_normal

__all__ = ["norm", "t", "beta", "gamma", "chi2", "poisson", "multivariate_normal",
           "dirichlet"]
