"""What to do instead, when a traced value reaches code that needs a concrete one behind
the user's back: a slice bound (`data[a:a + 256]`) or a conversion to a NumPy array (a
NumPy or SciPy function calling np.asarray on its argument). The advice is written with
the user's own expression, read from their source, so it can be pasted."""
from __future__ import annotations

import ast
import sys

from .source import describe_location, running_expression, user_frames


def _parse(text: str | None):
    if not text:
        return None
    try:
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None


def _affine(node, frame) -> tuple:
    """node as (constant, {sub-expression: integer coefficient}): sums and integer
    multiples are expanded, names of Python ints in the user's frame are their values,
    anything else is one opaque term; so `(i % 4 + 1) * B` minus `(i % 4) * B` is B."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value, {}
    if isinstance(node, ast.Name) and type(_read(node, frame)) is int:
        return _read(node, frame), {}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _scaled(_affine(node.operand, frame),
                       -1 if isinstance(node.op, ast.USub) else 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        sign = 1 if isinstance(node.op, ast.Add) else -1
        return _plus(_affine(node.left, frame), _scaled(_affine(node.right, frame), sign))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        left, right = _affine(node.left, frame), _affine(node.right, frame)
        if not left[1]:
            return _scaled(right, left[0])
        if not right[1]:
            return _scaled(left, right[0])
    return 0, {ast.dump(node): 1}


def _scaled(form, k):
    return form[0] * k, {t: c * k for t, c in form[1].items()}


def _plus(a, b):
    terms = dict(a[1])
    for t, c in b[1].items():
        terms[t] = terms.get(t, 0) + c
    return a[0] + b[0], {t: c for t, c in terms.items() if c}


def _read(name: ast.Name, frame):
    """The value a plain name has in the user's frame (read, nothing evaluated)."""
    return frame.f_locals.get(name.id, frame.f_globals.get(name.id))


def _length(entry: ast.Slice, frame):
    """stop - start when the source shows it is an int, else None."""
    if entry.upper is None:
        return None
    start = (0, {}) if entry.lower is None else _affine(entry.lower, frame)
    constant, terms = _plus(_affine(entry.upper, frame), _scaled(start, -1))
    return constant if not terms and constant >= 0 else None


def _is_literal(node) -> bool:
    return node is None or (isinstance(node, ast.Constant) and type(node.value) is int) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
        and _is_literal(node.operand))


def _shape_of(node, frame):
    """The shape of the array a plain name refers to in the user's frame, or None (the
    name is read, nothing is evaluated)."""
    if not isinstance(node, ast.Name):
        return None
    shape = getattr(_read(node, frame), "shape", None)
    return tuple(shape) if isinstance(shape, tuple) else None


def _axes(entries) -> dict | None:
    """{entry position: the array axis it indexes} (negative after an ellipsis: counted
    from the end); None for two ellipses."""
    marks = [i for i, e in enumerate(entries) if isinstance(e, ast.Constant)
             and e.value is Ellipsis]
    if len(marks) > 1:
        return None
    split = marks[0] if marks else len(entries)
    consumes = [not (isinstance(e, ast.Constant) and e.value in (Ellipsis, None))
                for e in entries]
    axes = {}
    for i in range(len(entries)):
        if i < split:
            axes[i] = sum(consumes[:i])
        elif i > split:
            axes[i] = -sum(consumes[i:])
    return axes


def _tuple(items) -> str:
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _rewrite(text, node, frame) -> tuple | None:
    """(the rewrite of subscript `node`, whether it needs LENGTH filled in), or None
    when its slices cannot be placed on axes from the source alone."""
    entries = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
    dynamic = [i for i, e in enumerate(entries) if isinstance(e, ast.Slice) and not
               (_is_literal(e.lower) and _is_literal(e.upper))]
    if not dynamic:
        return None
    axes = _axes(entries)
    if axes is None:
        return None
    source = lambda n: ast.get_source_segment(text, n)   # noqa: E731  (user's spelling)
    array = source(node.value)
    blocks = []                             # (axis, start, length)
    for i in dynamic:
        entry = entries[i]
        length = _length(entry, frame)
        blocks.append((axes[i], "0" if entry.lower is None else source(entry.lower),
                       "LENGTH" if length is None else str(length)))
    rest = [":" + ("" if entries[i].step is None else ":" + source(entries[i].step))
            if i in dynamic else source(e) for i, e in enumerate(entries)]
    while rest and rest[-1] == ":":
        rest.pop()
    shape = _shape_of(node.value, frame)
    unknown = any(length == "LENGTH" for _, _, length in blocks)
    if not rest and shape is not None and all(a >= 0 for a in axes.values()) and \
            len(entries) <= len(shape):
        starts, sizes = ["0"] * len(shape), [str(n) for n in shape]
        for axis, start, length in blocks:
            starts[axis], sizes[axis] = start, length
        return f"tg.lax.dynamic_slice({array}, {_tuple(starts)}, {_tuple(sizes)})", unknown
    out = array
    for axis, start, length in blocks:
        out = f"tg.lax.dynamic_slice_in_dim({out}, {start}, {length}" + \
            (f", axis={axis})" if axis else ")")
    if all(r in (":", "...") for r in rest):
        rest = []
    return out + (f"[{', '.join(rest)}]" if rest else ""), unknown


def traced_slice_message(aval) -> str | None:
    """The error for a traced slice bound in the expression the user's line is
    evaluating, with its rewrite; None when that expression is not such a slice."""
    frame, _ = user_frames()
    text = running_expression(frame) if frame is not None else None
    node = _parse(text)
    if not isinstance(node, ast.Subscript):
        return None
    found = _rewrite(text.strip(), node, frame)
    if found is None:
        return None
    rewrite, unknown = found
    loc = describe_location(f"{frame.f_code.co_filename}:{frame.f_lineno}")
    expression = " ".join(text.split())     # on one line, if it spans several
    length_note = (" LENGTH is the slice's length as a Python int: a length that depends "
                   "on traced values has no fixed shape (mask with tracegrad.numpy.where "
                   "instead)." if unknown else "")
    return (
        f"The slice `{expression}` has a bound that is traced (a value of type {aval}) "
        f"at {loc}. A slice's bounds decide its shape, and under `compile` and `make_ir` "
        f"shapes are fixed before any value is known.\n"
        f"Fixes, best first:\n"
        f"  1. Pass the batch as an argument: compute `{expression}` outside the compiled "
        f"function and pass the result in; every batch of the same shape runs the same "
        f"program.\n"
        f"  2. Keep the position traced and the size static: {rewrite}. "
        f"tg.lax.dynamic_slice(x, start_indices, slice_sizes) takes one start and one "
        f"static size per axis; a start out of range is clamped so the block stays in "
        f"bounds (NumPy would return a shorter slice).{length_note}\n"
        f"  3. Mark the argument static (static_argnums=... / static_argnames=...) only "
        f"if it takes few distinct values: every new value compiles a new program.")


def _library_function(frame) -> tuple | None:
    """(name, exact) for a frame running NumPy or SciPy code: ('scipy.special.logsumexp',
    True) for a public function, ('rv_continuous.logpdf in scipy.stats', False) for
    anything else; None for other code."""
    module = frame.f_globals.get("__name__", "")
    parts = module.split(".")
    if parts[0] not in ("numpy", "scipy"):
        return None
    name = frame.f_code.co_name
    distribution = _stats_distribution(frame) if parts[:2] == ["scipy", "stats"] else None
    if distribution is not None:
        return f"scipy.stats.{distribution}.{name}", True
    publics = [".".join(parts[:end]) for end in range(len(parts), 0, -1)
               if not any(p.startswith("_") for p in parts[:end])]
    for public in publics:
        candidate = getattr(sys.modules.get(public), name, None)
        code = getattr(getattr(candidate, "__wrapped__", candidate), "__code__", None)
        if code is frame.f_code:
            return f"{public}.{name}", True
    return f"{getattr(frame.f_code, 'co_qualname', name)} in {publics[0]}", False


def _stats_distribution(frame) -> str | None:
    """'norm' for a method of scipy.stats.norm (or of a frozen norm(...)) running in
    `frame`: SciPy's distributions are objects whose methods live in private classes."""
    owner = frame.f_locals.get("self")
    owner = getattr(owner, "dist", owner)                 # frozen: the distribution
    stats = sys.modules.get("scipy.stats")
    name = getattr(owner, "name", None)
    # A frozen distribution holds a copy, so compare classes, not objects.
    if isinstance(name, str) and type(getattr(stats, name, None)) is type(owner):
        return name
    return next((n for n in getattr(stats, "__all__", ())
                 if getattr(stats, n, None) is owner), None)


def _counterpart(name: str) -> str | None:
    """tracegrad's traceable version of a public NumPy or SciPy function: the same name
    under tracegrad.numpy or tracegrad.scipy (`scipy.linalg.expm` ->
    `tracegrad.scipy.linalg.expm`, `scipy.stats.norm.logpdf` ->
    `tracegrad.scipy.stats.norm.logpdf`), when that module is loaded and has it."""
    parts = ("tracegrad." + name).split(".")
    for cut in range(len(parts) - 1, 0, -1):               # the longest loaded module
        found = sys.modules.get(".".join(parts[:cut]))
        if found is None:
            continue
        exported = getattr(found, "__all__", None)
        if exported is not None and parts[cut] not in exported:
            return None
        for attr in parts[cut:]:
            found = getattr(found, attr, None)
        return "tracegrad." + name if callable(found) else None
    return None


def conversion_message(aval) -> str:
    """The error for converting a tracer to a NumPy array: names the user's line (not
    the library line that converted) and what can be done instead."""
    frame, called = user_frames()
    loc = describe_location(f"{frame.f_code.co_filename}:{frame.f_lineno}"
                            if frame is not None else None)
    outside = ("compute the value outside the compiled or differentiated function and "
               "pass it in as an argument")
    if called is not None and getattr(called.f_code, "co_qualname", "") == \
            "AxisConcatenator.__getitem__":
        # np.r_[x, y] reads as indexing, but it is numpy.r_/c_ calling np.array.
        return (f"numpy.r_/numpy.c_ convert their items with np.array, and one of them is "
                f"a traced array of type {aval} (at {loc}); a NumPy array cannot stay in "
                f"the trace.\nFixes: write tracegrad.numpy.r_[...] or tracegrad.numpy.c_"
                f"[...] (the same items and directives; they trace); or {outside}.")
    text = running_expression(frame) if frame is not None else None
    node = _parse(text)
    if isinstance(node, ast.Subscript):
        array, index = (ast.get_source_segment(text.strip(), n) for n in
                        (node.value, node.slice))
        single = "" if isinstance(node.slice, ast.Tuple) else (
            f"tracegrad.numpy.take({array}, {index}, axis=0) or "
            f"tg.lax.dynamic_index_in_dim({array}, {index}, keepdims=False) index it "
            f"where it is; ")
        return (f"Indexing `{array}`, a NumPy array, with a traced index (a value of type "
                f"{aval}) at {loc} converts the index to a NumPy array, which cuts it out "
                f"of the trace.\nFixes: pass `{array}` in as an argument (a traced array "
                f"takes traced indices, as in NumPy); {single}or {outside}.")
    found = _library_function(called) if called is not None else None
    if found is None:
        return (f"A traced array of type {aval} is converted to a NumPy array at {loc}; a "
                f"NumPy array cannot stay in the trace.\nFixes: tracegrad.numpy.asarray "
                f"keeps it traced (and plain `np.` functions on traced values dispatch to "
                f"tracegrad.numpy); where a concrete NumPy value is needed, {outside}.")
    library, exact = found
    ours = _counterpart(library) if exact else None
    instead = (f"use {ours}, which traces" if ours else
               f"tracegrad has no traceable {library}: write it with tracegrad.numpy "
               f"functions")
    return (f"{library} converts its arguments to NumPy arrays, and one of them is a "
            f"traced array of type {aval} (at {loc}); a NumPy array cannot stay in the "
            f"trace.\nFixes: {instead}; or {outside}.")
