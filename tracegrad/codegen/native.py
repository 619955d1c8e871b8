"""Machine code for a program's kernels, and the glue that lets its Numba driver call it.

`native_function(ir, name, module_file)` runs when a generated module is imported. It
makes `name` (the program's body function, see module.py) a symbol of this process:
machine code comes from `<module>.o` beside the module when that file is intact, else
LLVM compiles the IR (one optimization pipeline, our own) and the object is written there
for the next process. It returns a Numba intrinsic that calls `name` with the data
pointers of a tuple of arrays; the driver's own machine code (Numba's, cached by Numba)
refers to `name` by symbol, so it loads in any process that registered it first.

Why not let Numba compile the IR inside the driver: Numba optimizes a linked module three
times at O3 (function passes, a "cheap" module pipeline, the full one); one pipeline of
our own takes a third of the time for the same code.

Only generated modules (and the runtime, for statistics) import this file; it imports
Numba and llvmlite, the rest of codegen writes text."""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import threading
import time

from llvmlite import binding as llvm

from . import fft, host

MAGIC = b"tracegrad-object-1\n"
OPT_LEVEL = 2

_lock = threading.RLock()
_state: dict = {}                    # 'tm', 'engine'
_loaded: dict = {}                   # symbol -> address
_name_locks: dict = {}
STATS: dict = {}                     # module file -> {'llvm': seconds, 'origin': ...}


def _init():
    if "tm" in _state:
        return
    import numba                     # noqa: F401  (its target setup initializes LLVM)
    from numba import _helperlib
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    if sys.platform.startswith("linux"):
        try:                         # C math functions (erf, lgamma_r, ...) by name
            llvm.load_library_permanently("libm.so.6")
        except RuntimeError:
            pass
    # Numba's BLAS and LAPACK wrappers, which kernels call by name; SciPy's trsm.
    for name in ("xxgemm", "xxgemv") + LAPACK_HELPERS:
        llvm.add_symbol(f"numba_{name}", _helperlib.c_helpers[name])
    for kind in "ds":
        llvm.add_symbol(f"tracegrad_{kind}trsm", _scipy_blas(f"{kind}trsm"))
    target = llvm.Target.from_default_triple()
    cpu, features = host_cpu()
    reloc = "static" if target.name.startswith("x86") else "default"
    tm = target.create_target_machine(cpu=cpu, features=features, opt=OPT_LEVEL,
                                      reloc=reloc, codemodel="jitdefault", jit=True)
    _state["engine"] = llvm.create_mcjit_compiler(llvm.parse_assembly(""), tm)
    _state["tm"] = tm


LAPACK_HELPERS = ("xxpotrf", "xxgetrf", "ez_xxxevd", "ez_gesdd", "ez_geqrf", "ez_xxgqr")


def _scipy_blas(name: str) -> int:
    """The address of BLAS routine `name` as SciPy exports it (Fortran convention: every
    argument by pointer); the BLAS Numba's own wrappers call."""
    import ctypes
    from scipy.linalg import cython_blas
    capsule = cython_blas.__pyx_capi__[name]
    get_name, get_pointer = ctypes.pythonapi.PyCapsule_GetName, ctypes.pythonapi.PyCapsule_GetPointer
    get_name.restype, get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return get_pointer(capsule, get_name(capsule))


def lapack_int_bits() -> int:
    """Width of LAPACK's Fortran integers as Numba calls them (SciPy's build decides)."""
    import numba                     # noqa: F401  (before any submodule: circular imports)
    import numpy as np
    from numba.np.linalg import F_INT_nptype
    return np.dtype(F_INT_nptype).itemsize * 8


def host_cpu() -> tuple:
    """(CPU name, features) as Numba uses them (NUMBA_CPU_NAME/FEATURES honoured)."""
    import numba
    cpu = numba.config.CPU_NAME or llvm.get_host_cpu_name()
    features = numba.config.CPU_FEATURES
    if features is None:
        features = llvm.get_host_cpu_features().flatten()
    return cpu, features


def compile_object(ir_text: str) -> bytes:
    """LLVM IR text -> object code for this CPU (optimized once)."""
    with _lock:
        _init()
        tm = _state["tm"]
    module = llvm.parse_assembly(ir_text)
    module.triple = tm.triple
    module.data_layout = str(tm.target_data)
    options = llvm.create_pipeline_tuning_options(speed_level=OPT_LEVEL)
    options.loop_vectorization = True
    options.slp_vectorization = True
    builder = llvm.create_pass_builder(tm, options)
    builder.getModulePassManager().run(module, builder)
    return tm.emit_object(module)


def _load(data: bytes, name: str) -> int:
    with _lock:
        _init()
        engine = _state["engine"]
        engine.add_object_file(llvm.ObjectFileRef.from_data(data))
        engine.finalize_object()
        address = engine.get_function_address(name)
        if not address:
            raise RuntimeError(f"compiled kernels do not define {name}")
        llvm.add_symbol(name, address)
        _loaded[name] = address
        return address


def _read_cached(path: str, ir_text: str):
    """The object code stored at `path` for this IR, or None (missing or damaged)."""
    try:
        with open(path, "rb") as f:
            blob = f.read()
    except OSError:
        return None
    header = MAGIC + hashlib.sha256(ir_text.encode()).digest()
    if not blob.startswith(header) or len(blob) < len(header) + 32:
        return None
    digest, data = blob[len(header):len(header) + 32], blob[len(header) + 32:]
    return data if hashlib.sha256(data).digest() == digest else None


def _write_cached(path: str, ir_text: str, data: bytes) -> None:
    header = MAGIC + hashlib.sha256(ir_text.encode()).digest() + hashlib.sha256(data).digest()
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".obj.", suffix=".tmp")
    except OSError:
        return                      # a read-only cache: the next process compiles again
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(header + data)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)     # a damaged entry
        os.replace(tmp, path)
    except OSError:                 # a full disk: nothing half-written stays behind
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _name_lock(name) -> threading.Lock:
    with _lock:
        return _name_locks.setdefault(name, threading.Lock())


def ensure_loaded(ir_text: str, name: str, module_file: str | None = None) -> None:
    """Make `name` callable in this process (once; threads compiling other programs
    meanwhile are not held up)."""
    if name in _loaded:
        return
    with _name_lock(name):
        if name in _loaded:
            return
        if "@numba_xxgem" in ir_text or "trsm(" in ir_text:
            from numba.np.linalg import ensure_blas
            ensure_blas()           # a clear error when SciPy (BLAS) is missing
        if any(f"@numba_{name}(" in ir_text for name in LAPACK_HELPERS):
            from numba.np.linalg import ensure_lapack
            ensure_lapack()         # the same for LAPACK (and its integer width)
        if f"@{host.SYMBOL}(" in ir_text:
            host.install()
        if f"@{fft.SYMBOL}(" in ir_text:
            fft.load()              # rocket-fft's library, for the FFT kernels
        path = module_file[:-3] + ".o" if module_file and module_file.endswith(".py") else None
        start = time.perf_counter()
        data = _read_cached(path, ir_text) if path else None
        origin = "disk"
        if data is None:
            data = compile_object(ir_text)
            origin = "compiled"
            if path:
                _write_cached(path, ir_text, data)
        _load(data, name)
        if module_file:
            STATS[module_file] = {"llvm": time.perf_counter() - start, "origin": origin}


def native_function(ir_text: str, name: str, module_file, outputs, workspace: int,
                    calls_back: bool = False):
    """An intrinsic `f((array, ...))` -> tuple of new arrays: allocates the outputs
    (`outputs`: (shape, dtype) pairs) and a workspace of `workspace` bytes, runs
    `void name(inputs..., outputs..., workspace)` of `ir_text` on their data pointers,
    frees the workspace. One call in the driver, however many arrays: Numba's front end
    costs milliseconds per statement, this costs microseconds per array. A program that
    `calls_back` into Python then raises what a callback raised (host.py)."""
    import numpy as np
    from numba import types as nt
    from numba.core import cgutils
    from numba.extending import intrinsic
    from numba.np.arrayobj import _empty_nd_impl, make_array
    from numba.np.numpy_support import from_dtype

    ensure_loaded(ir_text, name, module_file)
    out_types = [nt.Array(from_dtype(np.dtype(dtype)), len(shape), "C")
                 for shape, dtype in outputs]
    space_type = nt.Array(nt.float64, 1, "C")

    @intrinsic
    def call(typingctx, arrays):
        result_type = nt.Tuple(out_types)

        def codegen(context, builder, signature, args):
            from llvmlite import ir
            intp = context.get_value_type(nt.intp)

            def new_array(arrtype, shape):
                sizes = [ir.Constant(intp, n) for n in shape]
                return _empty_nd_impl(context, builder, arrtype, sizes)
            items = cgutils.unpack_tuple(builder, args[0])
            pointers = [make_array(t)(context, builder, v).data
                        for t, v in zip(signature.args[0], items)]
            results = [new_array(t, shape) for t, (shape, _) in zip(out_types, outputs)]
            space = new_array(space_type, (max(-(-workspace // 8), 1),))
            pointers += [r.data for r in results] + [space.data]
            void_ptr = ir.IntType(8).as_pointer()
            pointers = [builder.bitcast(p, void_ptr) for p in pointers]
            fn = cgutils.get_or_insert_function(
                builder.module, ir.FunctionType(ir.VoidType(), [void_ptr] * len(pointers)),
                name)
            builder.call(fn, pointers)
            context.nrt.decref(builder, space_type, space._getvalue())
            if calls_back:
                _raise_if_a_callback_failed(context, builder, out_types, results)
            return context.make_tuple(builder, result_type, [r._getvalue() for r in results])
        return result_type(arrays), codegen

    return call


def _raise_if_a_callback_failed(context, builder, out_types, results):
    """If a callback of this run raised: free the outputs, take the GIL, let
    host.raise_pending set the Python error, and return the "exception set" status of
    Numba's calling convention (its wrapper then raises it to the caller)."""
    from llvmlite import ir
    from numba.core import cgutils
    i32, i64, ptr = ir.IntType(32), ir.IntType(64), ir.IntType(8).as_pointer()
    query = cgutils.get_or_insert_function(
        builder.module, ir.FunctionType(i32, [i64, ptr, ptr]), host.SYMBOL)
    status = builder.call(query, [ir.Constant(i64, host.QUERY), ir.Constant(ptr, None),
                                  ir.Constant(ptr, None)])
    with builder.if_then(builder.icmp_signed("!=", status, ir.Constant(i32, 0)),
                         likely=False):
        for t, r in zip(out_types, results):
            context.nrt.decref(builder, t, r._getvalue())
        api = context.get_python_api(builder)
        gil = api.gil_ensure()
        module = api.import_module(context.insert_const_string(builder.module, host.__name__))
        with builder.if_then(cgutils.is_not_null(builder, module)):
            raise_pending = api.object_getattr_string(module, "raise_pending")
            api.decref(module)
            with builder.if_then(cgutils.is_not_null(builder, raise_pending)):
                api.decref(api.call_function_objargs(raise_pending, []))
                api.decref(raise_pending)
        api.gil_release(gil)
        context.call_conv.return_exc(builder)
