"""FFT kernels: an fft node (ir/fft.py) becomes a kernel of its own, like a LAPACK call
(lapack.py): its operand is copied to scratch where its producers are fused (or read in
place when it is already in memory), one call of rocket-fft's C entry point transforms
the whole stack, and the result is written straight into the node's buffer.

Why rocket-fft: it is DUCC0's FFT (the successor of the pocketfft NumPy and SciPy use;
JAX's CPU FFT is DUCC0's) built for Numba: a shared library whose C entry point
`rf_execute` Numba-compiled code calls by symbol. Its `numpy.fft` overloads and
`rocket_fft.lowlevel` intrinsics lower to exactly that call; our kernels are LLVM IR, not
Numba Python, so they emit the same call themselves: an options struct, two array
structs in Numba's layout (meminfo, parent, nitems, itemsize, data, shape, strides), and
integer sequences for the shape (none) and the axes. The layout is rocket-fft's ABI
version 1, checked when a program is loaded (`load`); another version is an ImportError
that says so, never a wrong call. One thread per transform (workers=1).

Complex values reach this point split (complex_split.py): `split_fft` gives the node its
interleaved form, whose real (..., 2) arrays are the memory of the complex ones, so the
library reads and writes them as complex arrays."""
from __future__ import annotations

import math
import os

import numpy as np

from ..ir import Literal, Value
from ..ir.complex import complex_dtype
from .index import linear
from .irtext import const
from .nest import LoopNest

SYMBOL = "rf_execute"
ABI_VERSION = 1                     # rocket-fft's rf_execute ABI these kernels call

_KINDS = {"fft": 0, "ifft": 0, "rfft": 1, "irfft": 2}          # C2C, R2C, C2R
_DTYPE_CODES = {np.dtype(np.float32): 9, np.dtype(np.float64): 10,
                np.dtype(np.complex64): 11, np.dtype(np.complex128): 12}
_FORWARD, _UNIQUE_AXES, _LENGTHS_FROM_OUTPUT = 1, 2, 4
_NORM_EXPLICIT = 3
_INT64_CODE = 4


_loaded: list = []


def load() -> None:
    """Make rf_execute a symbol of this process, with the ABI these kernels were written
    for (once). rocket-fft's package, when imported, loads its library for LLVM; that
    import also imports scipy.fft and its Numba overloads (~0.4 s), which compiled
    programs do not need, so the library is loaded here directly the way rocket-fft's
    own loader does it (its AVX2 build where the CPU has AVX2 and FMA), and the package
    is imported only where that is not possible (ROCKET_FFT_SIMD set, an unusual
    installation)."""
    if _loaded:
        return
    path = None if os.environ.get("ROCKET_FFT_SIMD") else _library_path()
    if path is None:
        try:
            from rocket_fft import _native
        except ImportError as error:
            raise ImportError("compiled numpy.fft needs the rocket-fft package "
                              "(pip install rocket-fft)") from error
        _check_abi(getattr(_native, "ABI_VERSION", None))
    else:
        import ctypes

        import numba                 # noqa: F401  (before any submodule: circular imports)
        from llvmlite import binding as llvm
        from numba.core.runtime import _nrt_python
        library = ctypes.CDLL(path)
        _check_abi(library.rf_abi_version() if hasattr(library, "rf_abi_version") else None)
        llvm.load_library_permanently(path)
        get_api = ctypes.CFUNCTYPE(ctypes.c_void_p)(_nrt_python.c_helpers["get_api"])
        library.rf_set_nrt_api.argtypes = [ctypes.c_void_p]
        library.rf_set_nrt_api(get_api())
    _loaded.append(True)


def _check_abi(found) -> None:
    if found != ABI_VERSION:
        raise ImportError(f"rocket-fft's native ABI is version {found}; tracegrad's FFT "
                          f"kernels call version {ABI_VERSION}. Install a rocket-fft "
                          f"release that matches (see pyproject.toml).")


def _library_path():
    """rocket-fft's shared library for this CPU, found without importing the package."""
    import ctypes
    import glob
    import importlib.util
    spec = importlib.util.find_spec("rocket_fft")
    if spec is None:
        raise ImportError("compiled numpy.fft needs the rocket-fft package "
                          "(pip install rocket-fft)")
    if not spec.submodule_search_locations:
        return None
    where = spec.submodule_search_locations[0]
    generic = glob.glob(os.path.join(where, "_rocket_fft_numba.*so"))
    avx2 = glob.glob(os.path.join(where, "_rocket_fft_numba_avx2.*so"))
    if len(generic) != 1:
        return None
    try:
        if len(avx2) == 1 and ctypes.CDLL(generic[0]).rf_cpu_supports_avx2() != 0:
            return avx2[0]
    except (OSError, AttributeError):
        return None
    return generic[0]


# ---- complex values: the interleaved form -------------------------------------------------

def split_fft(b, node, x):
    """complex_split's rule: complex operands interleaved into real (..., 2) arrays, the
    node in its interleaved form, complex results taken apart again."""
    p = node.params
    whole = getattr(b, "whole", {})
    if isinstance(x, tuple) and all(isinstance(part, Value) for part in x) and x in whole:
        x = whole[x]                # already interleaved (an input, another fft's result)
    elif isinstance(x, tuple):
        shape = node.inputs[0].aval.shape
        columns = [b.op("broadcast_in_dim", part, shape=shape + (1,),
                        dims=tuple(range(len(shape))) if part.aval.shape else ())
                   for part in x]
        x = b.op("concatenate", *columns, axis=len(shape))
    y = b.op("fft", x, fft_type=p["fft_type"], fft_lengths=p["fft_lengths"], interleaved=True)
    if p["fft_type"] == "irfft":
        return [y]
    shape = node.outputs[0].aval.shape
    dims = tuple((0, 1, n) for n in shape)
    parts = tuple(b.op("reshape", b.op("slice", y, dims=dims + ((k, 1, 1),)), shape=shape)
                  for k in (0, 1))
    whole[parts] = y
    return [parts]


# ---- the kernel -----------------------------------------------------------------------------

def build_fft(node, g) -> list:
    """`g`: lapack._Kernel (the kernel function, its context, the nests it emitted)."""
    (x,) = node.inputs
    p = node.params
    fft_type, lengths = p["fft_type"], tuple(p["fft_lengths"])
    if not p.get("interleaved"):
        raise AssertionError("fft reaches code generation in its interleaved form only")
    part = np.dtype(node.outputs[0].aval.dtype)
    complex_in, complex_out = fft_type != "rfft", fft_type != "irfft"
    in_shape = x.aval.shape[:-1] if complex_in else x.aval.shape
    out_shape = node.outputs[0].aval.shape[:-1] if complex_out else node.outputs[0].aval.shape
    k = len(lengths)
    batch = math.prod(in_shape[:len(in_shape) - k])
    if batch == 0:
        return g.nests
    if isinstance(x, Literal) or g.ctx.fused(x):
        source = g.kf.scratch("fft", part, x.aval.size)
        nest = LoopNest(g.fn, g.ctx, x.aval.shape, range(len(x.aval.shape)))
        nest.store(x, source, linear(nest.point, x.aval.shape))
        nest.emit()
        g.nests.append(nest)
    else:
        source = g.kf.buffer(x)
    out = g.kf.buffer(node.outputs[0])
    in_dtype = complex_dtype(part) if complex_in else part
    out_dtype = complex_dtype(part) if complex_out else part
    dims_in = (batch,) + tuple(in_shape[len(in_shape) - k:])
    dims_out = (batch,) + tuple(out_shape[len(out_shape) - k:])
    forward = fft_type in ("fft", "rfft")
    scale = 1.0 if forward else 1.0 / math.prod(lengths)
    _call(g.fn, _KINDS[fft_type], forward, scale, source, in_dtype, dims_in, out,
          out_dtype, dims_out)
    return g.nests


def _call(fn, kind, forward, scale, source, in_dtype, dims_in, out, out_dtype, dims_out):
    e = fn.emitter()
    fn.lines.append(f"  ; rocket-fft {SYMBOL} (ABI {ABI_VERSION})")

    def words(values, hint):
        """An alloca of i64 words holding `values` (ints, or ('ptr', p) / ('double', v))."""
        ty = f"[{len(values)} x i64]"
        block = fn.alloca(ty, hint)
        for i, v in enumerate(values):
            slot = e(f"getelementptr inbounds {ty}, ptr {block}, i64 0, i64 {i}", "p")
            if isinstance(v, tuple) and v[0] == "ptr":
                e.do(f"store ptr {v[1]}, ptr {slot}")
            elif isinstance(v, tuple):
                e.do(f"store double {const(v[1], np.float64)}, ptr {slot}")
            else:
                e.do(f"store i64 {int(v)}, ptr {slot}")
        return block

    def array(pointer, dtype, dims, hint):
        itemsize = np.dtype(dtype).itemsize
        strides = [itemsize * math.prod(dims[i + 1:]) for i in range(len(dims))]
        return words([0, 0, math.prod(dims), itemsize, ("ptr", pointer), *dims, *strides],
                     hint)

    flags = (_FORWARD if forward else 0) | _UNIQUE_AXES | _LENGTHS_FROM_OUTPUT
    options = words([kind, flags, _DTYPE_CODES[np.dtype(in_dtype)],
                     _DTYPE_CODES[np.dtype(out_dtype)], _NORM_EXPLICIT, ("double", scale),
                     0, 0, 1, 1], "fft.options")
    ain = array(source, in_dtype, dims_in, "fft.in")
    aout = array(out, out_dtype, dims_out, "fft.out")
    no_shape = words([-1, 0, 0, 0], "fft.shape")
    axis_list = words(list(range(1, len(dims_in))), "fft.axis")
    axes = words([len(dims_in) - 1, ("ptr", axis_list), 8, _INT64_CODE], "fft.axes")
    e.call("i64", SYMBOL, [("ptr", options), ("ptr", ain), ("ptr", aout),
                           ("i64", str(len(dims_in))), ("ptr", no_shape), ("ptr", axes)],
           "fft.status")
