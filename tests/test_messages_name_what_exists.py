"""No error or warning text names a feature the installed tracegrad lacks: every
`tg.X` / `tracegrad.X` / `tnp.X` in the package's strings resolves, and no text promises
a feature "once available" or "coming soon"."""
import ast
import importlib
import pathlib
import re

import pytest

import tracegrad

PACKAGE = pathlib.Path(tracegrad.__file__).parent
NAME = re.compile(r"\b(tg|tracegrad|tnp)((?:\.[A-Za-z_]\w*)+)")
PROMISE = re.compile(r"once (it is |they are )?available|coming soon|will be (added|"
                     r"supported)|not yet (implemented|available|supported)|in a future "
                     r"version", re.I)
ROOTS = {"tg": "tracegrad", "tracegrad": "tracegrad", "tnp": "tracegrad.numpy"}


def _docstrings(tree) -> set:
    """Docstrings describe tracegrad (and may cite other libraries' names); they are no
    messages."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                             ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def strings():
    """(file:line, text) of every string constant in the package but docstrings
    (f-string parts too), the benchmark suite aside (it names other libraries' APIs on
    purpose)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if "bench" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text())
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    id(node) not in docstrings:
                yield f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", node.value


def resolves(name: str) -> bool:
    root, *parts = name.split(".")
    obj = importlib.import_module(ROOTS[root])
    for part in parts:
        if hasattr(obj, part):
            obj = getattr(obj, part)
            continue
        try:
            obj = importlib.import_module(f"{obj.__name__}.{part}")
        except (ImportError, AttributeError):
            return False
    return True


NAMES = sorted({(m.group(0), where) for where, text in strings()
                for m in NAME.finditer(text)})


def test_messages_name_tracegrad_functions():
    assert len(NAMES) > 20          # the scan sees the messages


@pytest.mark.parametrize("name, where", NAMES, ids=[f"{n}@{w}" for n, w in NAMES])
def test_every_name_in_a_message_exists(name, where):
    assert resolves(name), f"{where} names {name}, which tracegrad does not have"


def test_no_message_promises_a_feature():
    found = [f"{where}: {text!r}" for where, text in strings() if PROMISE.search(text)]
    assert not found, found


def test_the_checker_catches_a_missing_name():
    assert resolves("tg.lax.dynamic_slice") and resolves("tracegrad.numpy.where")
    assert not resolves("tg.no_such_function") and not resolves("tracegrad.lax.no_such_op")
