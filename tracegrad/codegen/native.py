"""The glue between a generated driver and its LLVM IR: `native_function(ir, name)` is a
Numba intrinsic taking a tuple of arrays; compiling a call to it parses the IR, links it
into the calling function's code library and calls `name` with the arrays' data
pointers. Numba then optimizes, compiles and caches driver and kernels as one.

Only generated modules import this file (it imports Numba); the rest of codegen writes
text."""
from __future__ import annotations

import sys

from llvmlite import binding as llvm
from numba import types as nt
from numba.core import cgutils
from numba.extending import intrinsic


def _load_libm():
    # Kernels call C math functions (erf, lgamma_r, ...) by name; make sure the JIT finds
    # them even where the interpreter did not load libm with global symbols.
    if sys.platform.startswith("linux"):
        try:
            llvm.load_library_permanently("libm.so.6")
        except RuntimeError:
            pass


_load_libm()


def native_function(ir_text: str, name: str):
    """An intrinsic `f((array, ...))` that runs `void name(ptr, ...)` from `ir_text`."""

    @intrinsic
    def call(typingctx, arrays):
        def codegen(context, builder, signature, args):
            if "numba_xxgemm" in ir_text:
                from numba.np.linalg import ensure_blas
                ensure_blas()           # a clear error when SciPy (BLAS) is missing
            context.active_code_library.add_llvm_module(llvm.parse_assembly(ir_text))
            items = cgutils.unpack_tuple(builder, args[0])
            pointers = [context.make_array(t)(context, builder, v).data
                        for t, v in zip(signature.args[0], items)]
            fnty = llvm_function_type([p.type for p in pointers])
            fn = cgutils.get_or_insert_function(builder.module, fnty, name)
            builder.call(fn, pointers)
            return context.get_dummy_value()
        return nt.void(arrays), codegen

    return call


def llvm_function_type(arg_types):
    from llvmlite import ir
    return ir.FunctionType(ir.VoidType(), arg_types)
