"""LLVM IR as text: types, constants and an `Emitter` that appends instructions.

Kernels are emitted as LLVM IR text (parsed by llvmlite, linked into the program's Numba
library) instead of Numba Python source: Numba's front end spends milliseconds per
generated statement, LLVM's parser microseconds per instruction.

Values in registers use `reg(dtype)` (bool is i1); in memory `mem(dtype)` (bool is i8,
as NumPy stores it). Float arithmetic carries the `contract` flag (FMA allowed, as
Numba's fastmath={'contract'}); nothing else that changes results."""
from __future__ import annotations

import struct

import numpy as np

FLOAT_FLAGS = "contract"
REDUCE_FLAGS = "reassoc contract"    # only on reduction accumulators: lets loops vectorize


def reg(dtype) -> str:
    """The LLVM type of a value of `dtype` in a register."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return "i1"
    if dtype.kind == "f":
        return {4: "float", 8: "double"}[dtype.itemsize]
    return f"i{dtype.itemsize * 8}"


def mem(dtype) -> str:
    """The LLVM type of one element of `dtype` in an array."""
    dtype = np.dtype(dtype)
    return "i8" if dtype == np.bool_ else reg(dtype)


def is_float(dtype) -> bool:
    return np.dtype(dtype).kind == "f"


def is_signed(dtype) -> bool:
    return np.dtype(dtype).kind == "i"


def double_hex(value: float) -> str:
    """LLVM's exact spelling of a double (float constants are doubles that fit)."""
    return "0x" + struct.pack(">d", float(value)).hex().upper()


def const(value, dtype) -> str:
    """A constant operand of `dtype` (the value is converted as NumPy would)."""
    dtype = np.dtype(dtype)
    value = np.asarray(value).astype(dtype)[()]
    if dtype == np.bool_:
        return "true" if value else "false"
    if dtype.kind == "f":
        return double_hex(float(value))
    return str(int(value) if dtype.kind == "i" else _as_signed(int(value), dtype.itemsize))


def _as_signed(value: int, itemsize: int) -> int:
    bits = itemsize * 8
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


def identity(op: str, dtype) -> str:
    """The start value of a reduction or scan with this combining op."""
    dtype = np.dtype(dtype)
    if op in ("sum", "prod"):
        return const(op == "prod", dtype)
    lowest = op in ("max", "argmax")
    if dtype.kind == "f":
        return const(-np.inf if lowest else np.inf, dtype)
    if dtype == np.bool_:
        return const(not lowest, dtype)
    info = np.iinfo(dtype)
    return const(info.min if lowest else info.max, dtype)


class Counter:
    """Unique local names for one LLVM function."""

    def __init__(self):
        self.n = 0

    def __call__(self, hint: str = "t") -> str:
        self.n += 1
        return f"%{hint}.{self.n}"


class Emitter:
    """Appends instructions to `out` (a list of lines); every value-producing method
    returns the name of its result. `helpers` collects the helper functions called."""

    def __init__(self, out: list, names: Counter, helpers: set):
        self.out, self.names, self.helpers = out, names, helpers

    def __call__(self, text: str, hint: str = "t") -> str:
        name = self.names(hint)
        self.out.append(f"  {name} = {text}")
        return name

    def do(self, text: str):
        self.out.append(f"  {text}")

    def at(self, out: list) -> "Emitter":
        """The same names and helpers, appending somewhere else."""
        return Emitter(out, self.names, self.helpers)

    # ---- arithmetic ----------------------------------------------------------------
    def fop(self, op, ty, a, b, flags=FLOAT_FLAGS):
        return self(f"{op} {flags} {ty} {a}, {b}")

    def iop(self, op, ty, a, b):
        return self(f"{op} {ty} {a}, {b}")

    def fneg(self, ty, a):
        return self(f"fneg {ty} {a}")

    def fcmp(self, cond, ty, a, b):
        return self(f"fcmp {cond} {ty} {a}, {b}", "c")

    def icmp(self, cond, ty, a, b):
        return self(f"icmp {cond} {ty} {a}, {b}", "c")

    def select(self, c, ty, a, b):
        return self(f"select i1 {c}, {ty} {a}, {ty} {b}")

    def cast(self, op, src_ty, a, dst_ty):
        return self(f"{op} {src_ty} {a} to {dst_ty}")

    def call(self, ret, fn, args, hint="t"):
        """`args`: [(type, value)]."""
        text = ", ".join(f"{t} {v}" for t, v in args)
        return self(f"call {ret} @{fn}({text})", hint)

    def intrinsic(self, name, ty, *args):
        """llvm.<name>.<f32|f64> on float arguments of type `ty`."""
        suffix = {"double": "f64", "float": "f32"}.get(ty, ty)
        return self.call(ty, f"llvm.{name}.{suffix}", [(ty, a) for a in args])

    def helper(self, name, ret, args, hint="t"):
        """Call a module helper (see helpers.py) and note that the module needs it."""
        self.helpers.add(name)
        return self.call(ret, name, args, hint)

    # ---- memory --------------------------------------------------------------------
    def gep(self, elem_ty, ptr, index):
        if index == "0":
            return ptr
        return self(f"getelementptr inbounds {elem_ty}, ptr {ptr}, i64 {index}", "p")

    def load(self, dtype, ptr, index, hint="v"):
        ty = mem(dtype)
        value = self(f"load {ty}, ptr {self.gep(ty, ptr, index)}", hint)
        return self.icmp("ne", "i8", value, "0") if np.dtype(dtype) == np.bool_ else value

    def store(self, dtype, value, ptr, index):
        ty = mem(dtype)
        if np.dtype(dtype) == np.bool_:
            value = self.cast("zext", "i1", value, "i8")
        self.do(f"store {ty} {value}, ptr {self.gep(ty, ptr, index)}")


def extreme(e: Emitter, larger: bool, dtype, x: str, y: str) -> str:
    """max(x, y) (or min) as np.maximum: a NaN in x or y propagates; bools are or/and."""
    dtype = np.dtype(dtype)
    ty = reg(dtype)
    if dtype == np.bool_:
        return e.iop("or" if larger else "and", "i1", x, y)
    if is_float(dtype):
        take_x = e.iop("or", "i1", e.fcmp("ogt" if larger else "olt", ty, x, y),
                       e.fcmp("uno", ty, x, x))
    else:
        cond = ("sgt" if larger else "slt") if is_signed(dtype) else \
            ("ugt" if larger else "ult")
        take_x = e.icmp(cond, ty, x, y)
    return e.select(take_x, ty, x, y)


def convert(e: Emitter, x: str, src, dst) -> str:
    """x of dtype src as dtype dst, with NumPy's astype semantics (wrapping integers,
    truncating float -> int, nonzero -> True)."""
    src, dst = np.dtype(src), np.dtype(dst)
    if src == dst:
        return x
    s, d = reg(src), reg(dst)
    if dst == np.bool_:
        if src.kind == "f":
            return e.fcmp("une", s, x, const(0, src))
        return e.icmp("ne", s, x, "0")
    if src == np.bool_:
        return e.cast("uitofp" if dst.kind == "f" else "zext", "i1", x, d)
    if src.kind == "f" and dst.kind == "f":
        return e.cast("fpext" if dst.itemsize > src.itemsize else "fptrunc", s, x, d)
    if src.kind == "f":
        return e.cast("fptosi" if dst.kind == "i" else "fptoui", s, x, d)
    if dst.kind == "f":
        return e.cast("sitofp" if src.kind == "i" else "uitofp", s, x, d)
    if dst.itemsize == src.itemsize:
        return x
    if dst.itemsize < src.itemsize:
        return e.cast("trunc", s, x, d)
    return e.cast("sext" if src.kind == "i" else "zext", s, x, d)


class Function:
    """One LLVM function as text: `emitter()` appends to its current block, `block()`
    starts a new one. Parameters are (type, name) pairs; names without the '%'."""

    def __init__(self, name: str, ret: str, params, attrs: str = "nounwind",
                 linkage: str = "internal"):
        self.name, self.ret, self.params = name, ret, list(params)
        self.attrs, self.linkage = attrs, linkage
        self.names = Counter()
        self.helpers: set = set()
        self.lines: list = []
        self.allocas: list = []         # hoisted to the entry block (mem2reg promotes them)
        self.current = "entry"          # the block instructions go to now (for phis)

    def emitter(self) -> Emitter:
        return Emitter(self.lines, self.names, self.helpers)

    def label(self, hint: str) -> str:
        return self.names(hint)[1:]

    def block(self, label: str):
        self.lines.append(f"{label}:")
        self.current = label

    def branch(self, label: str):
        """End the current block with a jump to `label` and start that block."""
        self.lines.append(f"  br label %{label}")
        self.block(label)

    def alloca(self, ty: str, hint: str = "acc") -> str:
        name = self.names(hint)
        self.allocas.append(f"  {name} = alloca {ty}")
        return name

    def text(self) -> str:
        params = ", ".join(f"{t} %{n}" for t, n in self.params)
        return "\n".join([f"define {self.linkage} {self.ret} @{self.name}({params}) "
                          f"{self.attrs} {{", "entry:", *self.allocas, *self.lines, "}"])
