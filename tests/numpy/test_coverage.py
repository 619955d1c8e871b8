"""Every function the namespace promises exists in tracegrad.numpy, tracegrad.nn,
tracegrad.scipy.special or tracegrad.scipy.stats, and NumPy functions are routed to
tracegrad on traced values."""
import numpy as np
import pytest

import tracegrad.nn as tnn
import tracegrad.numpy as tnp
import tracegrad.scipy.special as tsp

NUMPY_NAMES = """
array asarray zeros ones full empty zeros_like ones_like full_like empty_like arange linspace
logspace eye identity tri meshgrid indices
negative positive abs absolute fabs sign exp exp2 expm1 log log2 log10 log1p sqrt cbrt square
reciprocal sin cos tan arcsin arccos arctan sinh cosh tanh arcsinh arccosh arctanh deg2rad
rad2deg degrees radians floor ceil trunc rint round around sinc signbit nan_to_num
add subtract multiply divide true_divide floor_divide mod remainder fmod power float_power
maximum minimum fmax fmin arctan2 hypot logaddexp logaddexp2 copysign heaviside
equal not_equal less less_equal greater greater_equal logical_and logical_or logical_xor
logical_not isnan isinf isfinite isclose where select clip
sum prod mean average max amax min amin ptp argmax argmin var std all any count_nonzero
cumsum cumprod nansum nanmean nanmax nanmin median quantile percentile sort argsort
reshape ravel transpose swapaxes moveaxis expand_dims squeeze broadcast_to broadcast_arrays
atleast_1d atleast_2d atleast_3d concatenate stack hstack vstack dstack column_stack split
array_split tile repeat flip fliplr flipud roll rot90 take take_along_axis diag diagonal
diagflat trace triu tril pad outer kron searchsorted at
dot vdot inner matmul tensordot einsum cross matrix_transpose
r_ c_ append diff ediff1d hsplit vsplit dsplit convolve correlate trapezoid polyval interp
piecewise unwrap
acos acosh asin asinh atan atanh atan2 pow concat permute_dims cumulative_sum cumulative_prod
vecdot matvec vecmat nanprod nancumsum nancumprod nanvar nanstd polyadd polysub polyder
polyint vander gradient cov corrcoef unstack rollaxis block
pi e inf nan newaxis float32 float64 int32 int64 bool_ result_type astype finfo iinfo
""".split()

NN_NAMES = """relu relu6 leaky_relu elu selu gelu silu swish sigmoid log_sigmoid softplus
softmax log_softmax logsumexp one_hot normalize standardize""".split()

FFT_NAMES = """fft ifft rfft irfft hfft ihfft fft2 ifft2 rfft2 irfft2 fftn ifftn rfftn irfftn
fftshift ifftshift fftfreq rfftfreq""".split()

SPECIAL_NAMES = """expit logit logsumexp erf erfc gammaln xlogy xlog1py entr gamma
digamma psi gammasgn rgamma polygamma multigammaln beta betaln betainc betaincc gammainc
gammaincc gammaincinv gammainccinv erfinv erfcinv erfcx ndtr ndtri log_ndtr log_expit
softmax log_softmax i0 i0e i1 i1e iv ive j0 j1 jn jv y0 y1 yn zeta""".split()

_TAILS = "logpdf pdf logcdf cdf logsf sf"
STATS_METHODS = {"norm": _TAILS + " ppf isf", "t": _TAILS, "beta": _TAILS,
                 "gamma": _TAILS + " ppf isf", "chi2": _TAILS + " ppf isf",
                 "poisson": "logpmf pmf logcdf cdf logsf sf",
                 "multivariate_normal": "logpdf pdf", "dirichlet": "logpdf pdf"}

TRACER_METHODS = """at round sort argsort flatten trace diagonal repeat sum mean reshape
astype""".split()


@pytest.mark.parametrize("name", NUMPY_NAMES)
def test_numpy_namespace_has(name):
    assert hasattr(tnp, name), f"tracegrad.numpy.{name} is missing"


def test_linalg_namespace():
    assert callable(tnp.linalg.norm) and callable(tnp.linalg.matrix_transpose)


@pytest.mark.parametrize("name", FFT_NAMES)
def test_fft_namespace_has_and_dispatches(name):
    from tracegrad.numpy._core import HANDLED_FUNCTIONS
    assert callable(getattr(tnp.fft, name, None)), f"tracegrad.numpy.fft.{name} is missing"
    assert getattr(np.fft, name) in HANDLED_FUNCTIONS, f"numpy.fft.{name} is not dispatched"


@pytest.mark.parametrize("name", NN_NAMES)
def test_nn_has(name):
    assert callable(getattr(tnn, name, None)), f"tracegrad.nn.{name} is missing"


@pytest.mark.parametrize("name", SPECIAL_NAMES)
def test_scipy_special_has(name):
    assert callable(getattr(tsp, name, None)), f"tracegrad.scipy.special.{name} is missing"


@pytest.mark.parametrize("dist, method", [(d, m) for d, ms in STATS_METHODS.items()
                                          for m in ms.split()])
def test_scipy_stats_has(dist, method):
    import tracegrad.scipy.stats as stats
    assert callable(getattr(getattr(stats, dist), method, None)), \
        f"tracegrad.scipy.stats.{dist}.{method} is missing"


@pytest.mark.parametrize("name", TRACER_METHODS)
def test_tracer_methods(name):
    from tracegrad import Tracer
    assert hasattr(Tracer, name), f"Tracer.{name} is missing"


@pytest.mark.parametrize("name", [n for n in NUMPY_NAMES if callable(getattr(np, n, None))
                                  and not isinstance(getattr(np, n), type)])
def test_numpy_function_dispatches_on_tracers(name):
    """np.<name>(tracer) must reach tracegrad, never run NumPy on a tracer: each NumPy
    function that accepts arrays is registered (shape-only creators are exempt)."""
    from tracegrad.numpy._core import HANDLED_FUNCTIONS
    shape_only = {"zeros", "ones", "empty", "eye", "identity", "tri", "indices",
                  "result_type", "finfo", "iinfo", "arange"}
    if name in shape_only:
        return
    assert getattr(np, name) in HANDLED_FUNCTIONS, f"numpy.{name} is not dispatched"


def test_linalg_norm_dispatches():
    from tracegrad.numpy._core import HANDLED_FUNCTIONS
    assert np.linalg.norm in HANDLED_FUNCTIONS
