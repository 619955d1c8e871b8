"""Errors about SciPy's ufuncs on traced values name them as scipy.special.<name>, the
way the user wrote them, not as numpy.<name>; NumPy's keep numpy.<name>."""
import numpy as np
import pytest
import scipy.special as sp

import tracegrad as tg
import tracegrad.scipy.special  # noqa: F401  (SciPy's ufuncs dispatch once it is loaded)


@pytest.mark.parametrize("fn, named", [
    (lambda x: sp.struve(1.0, x), "scipy.special.struve is not supported"),
    (lambda x: sp.erf(x, out=x), "scipy.special.erf(..., out=...)"),
    (lambda x: sp.gamma(x, out=x), "scipy.special.gamma(..., out=...)"),
    (lambda x: np.exp(x, out=x), "numpy.exp(..., out=...)"),
    (lambda x: np.gcd(x, x), "numpy.gcd is not supported"),
])
def test_unsupported_calls_name_the_function_as_written(fn, named):
    with pytest.raises(tg.UnsupportedError) as info:
        tg.make_ir(fn)(np.ones(2))
    assert named in str(info.value)
    assert "numpy.struve" not in str(info.value) and "numpy.erf(" not in str(info.value)
