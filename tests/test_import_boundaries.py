"""DESIGN §1: imports point one way. Every module under tracegrad/ is parsed (ast) and
each import of tracegrad, absolute or relative, at module level or inside a function,
must target a package its own package may import."""
import ast
import pathlib
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "tracegrad"
LEAVES = {"config", "errors"}                    # import nothing of tracegrad

# package -> top-level parts of tracegrad it may import (besides itself and LEAVES).
ALLOWED = {
    "ir": set(),
    "tracer": {"ir"},
    "lax": {"ir", "tracer"},
    "numpy": {"ir", "tracer", "lax"},
    "autodiff": {"ir", "tracer", "lax", "numpy"},
    "codegen": {"ir"},
    "runtime": {"ir", "tracer", "lax", "numpy", "autodiff", "codegen"},
    # the imperative API records on the eager engine and runs its backward builder
    "autograd": {"ir", "tracer", "lax", "numpy", "autodiff", "nn"},
    "optim": {"tracer", "numpy", "autograd"},
}
# bench and distributed may use the public top-level modules (tracegrad,
# tracegrad.numpy, tracegrad.nn, ...), never the internal packages or their submodules.
INTERNAL = set(ALLOWED) - {"numpy", "lax", "autograd", "optim"}
PUBLIC_ONLY = {"bench", "distributed"}


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_in(source: str, module: str, is_package: bool):
    """(line, absolute module name) of every import in the source of `module`."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            prefix = node.module
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            # `from . import x` imports the submodule x.
            targets = [prefix] if node.module else [f"{prefix}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            yield node.lineno, target


def imported_modules(path: pathlib.Path):
    return imports_in(path.read_text(), module_name(path), path.name == "__init__.py")


def violation(importer: str, target: str):
    """Why `importer` may not import `target`, or None."""
    src = importer.split(".")
    dst = target.split(".")
    src_part = src[1] if len(src) > 1 else None
    dst_part = dst[1] if len(dst) > 1 else None
    if src_part is None or src_part == dst_part:
        return None                      # the top-level package wires everything
    if src_part in LEAVES:
        return f"{src_part} must import nothing of tracegrad"
    if dst_part in LEAVES:
        return None
    if src_part in PUBLIC_ONLY:
        public = len(dst) <= 2 and (dst_part is None or not (
            dst_part in INTERNAL or dst_part.startswith("_")))
        return None if public else f"{src_part} may use the public API only"
    if src_part in ALLOWED:
        return None if dst_part in ALLOWED[src_part] else \
            f"{src_part} may import only {sorted(ALLOWED[src_part]) or 'numpy'}"
    return None                          # pipeline.py, cli.py, ...: top-level wiring


FILES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_arrows(path):
    importer = module_name(path)
    bad = [f"line {line}: {target} ({why})" for line, target in imported_modules(path)
           if target.split(".")[0] == "tracegrad" and (why := violation(importer, target))]
    assert not bad, f"{path.relative_to(PACKAGE.parent)}: " + "; ".join(bad)


# The one exception: the reference LU and triangular solves call SciPy's LAPACK/BLAS
# (NumPy exposes neither; SciPy is a dependency already, Numba's linear algebra needs it).
IR_THIRD_PARTY = {"ir/lapack_reference.py": {"scipy"}}


def test_ir_uses_no_third_party_library_but_numpy():
    allowed = set(sys.stdlib_module_names) | {"numpy", "tracegrad"}
    bad = [f"{path.relative_to(PACKAGE)}:{line}: {target}"
           for path in sorted((PACKAGE / "ir").rglob("*.py"))
           for line, target in imported_modules(path)
           if target.split(".")[0] not in allowed | IR_THIRD_PARTY.get(
               str(path.relative_to(PACKAGE)), set())]
    assert not bad


def test_checker_sees_relative_and_inline_imports():
    source = "from ..tracer import bind\n\ndef f():\n    from tracegrad.numpy import sum\n"
    found = list(imports_in(source, "tracegrad.codegen.probe", is_package=False))
    assert found == [(1, "tracegrad.tracer"), (4, "tracegrad.numpy")]
    assert all(violation("tracegrad.codegen.probe", target) for _, target in found)
    assert violation("tracegrad.codegen.probe", "tracegrad.ir.graph") is None
    assert violation("tracegrad.bench.workloads", "tracegrad.ir") is not None
    assert violation("tracegrad.bench.workloads", "tracegrad.numpy") is None
    assert violation("tracegrad.bench.workloads", "tracegrad.nn") is None
    assert violation("tracegrad.bench.workloads", "tracegrad.numpy._core") is not None
    assert violation("tracegrad.errors", "tracegrad.config") is not None
