"""Products: dot, matmul, outer, inner, vdot, tensordot, einsum — all one primitive,
dot_general, plus reshapes."""
from __future__ import annotations

import numpy as np

from .. import lax
from ..errors import ShapeError
from . import _core
from ._core import asarray_traced, broadcast_to_shape, convert, implements, \
    result_type, shape
from .indexing import getitem
from .reductions import sum as _sum
from .shape import transpose
from .ufuncs import multiply


def _common(a, b):
    dtype = result_type(a, b)
    return convert(asarray_traced(a), dtype, weak=False), \
        convert(asarray_traced(b), dtype, weak=False)


def dot_general(a, b, contract, batch=((), ())):
    return lax.dot_general(a, b, (contract, batch))


@implements(np.matmul)
def matmul(a, b, out=None, **kwargs):
    _core.reject_kwargs("matmul", out=out, **kwargs)
    a, b = _common(a, b)
    sa, sb = shape(a), shape(b)
    if not sa or not sb:
        raise ShapeError("matmul: input operand does not have enough dimensions (0-d "
                         "arrays are not allowed; use *)")
    a2 = _core.reshape(a, (1,) + sa) if len(sa) == 1 else a
    b2 = _core.reshape(b, sb + (1,)) if len(sb) == 1 else b
    sa2, sb2 = shape(a2), shape(b2)
    if sa2[-1] != sb2[-2]:
        raise ShapeError(f"matmul: input operand 1 has a mismatch in its core dimension 0 "
                         f"(size {sb2[-2]} is different from {sa2[-1]}); shapes {sa} and "
                         f"{sb}")
    batch = np.broadcast_shapes(sa2[:-2], sb2[:-2])
    a2 = broadcast_to_shape(a2, batch + sa2[-2:])
    b2 = broadcast_to_shape(b2, batch + sb2[-2:])
    nb = len(batch)
    out = dot_general(a2, b2, ((nb + 1,), (nb,)), (tuple(range(nb)), tuple(range(nb))))
    out_shape = batch + (sa2[-2],) * (len(sa) > 1) + (sb2[-1],) * (len(sb) > 1)
    return _core.reshape(out, out_shape)


@implements(np.dot)
def dot(a, b, out=None):
    _core.reject_kwargs("dot", out=out)
    a, b = _common(a, b)
    sa, sb = shape(a), shape(b)
    if not sa or not sb:
        return multiply(a, b)
    rc = 0 if len(sb) == 1 else len(sb) - 2
    if sa[-1] != sb[rc]:
        raise ShapeError(f"dot: shapes {sa} and {sb} not aligned: {sa[-1]} (dim "
                         f"{len(sa) - 1}) != {sb[rc]} (dim {rc})")
    return dot_general(a, b, ((len(sa) - 1,), (rc,)))


@implements(np.vdot)
def vdot(a, b):
    return dot(_core.reshape(asarray_traced(a), (-1,)), _core.reshape(asarray_traced(b), (-1,)))


@implements(np.inner)
def inner(a, b):
    a, b = _common(a, b)
    if not shape(a) or not shape(b):
        return multiply(a, b)
    return dot_general(a, b, ((len(shape(a)) - 1,), (len(shape(b)) - 1,)))


@implements(np.outer)
def outer(a, b, out=None):
    _core.reject_kwargs("outer", out=out)
    a, b = _common(a, b)
    return multiply(_core.reshape(a, (-1, 1)), _core.reshape(b, (1, -1)))


@implements(np.tensordot)
def tensordot(a, b, axes=2):
    a, b = _common(a, b)
    na, nb = len(shape(a)), len(shape(b))
    if isinstance(axes, (int, np.integer)):
        ax_a, ax_b = list(range(na - axes, na)), list(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, (int, np.integer)) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, (int, np.integer)) else list(ax_b)
    ax_a = [_core.normalize_axis(i, na) for i in ax_a]
    ax_b = [_core.normalize_axis(i, nb) for i in ax_b]
    if [shape(a)[i] for i in ax_a] != [shape(b)[i] for i in ax_b]:
        raise ShapeError(f"tensordot: shape-mismatch for sum: {shape(a)} and {shape(b)} "
                         f"along axes {ax_a} and {ax_b}")
    return dot_general(a, b, (ax_a, ax_b))


# -- einsum --------------------------------------------------------------------------------

def _parse(subscripts, operands):
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        lhs, out = subscripts.split("->")
    else:
        lhs, out = subscripts, None
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise ValueError(f"einsum: {len(terms)} operand subscripts for {len(operands)} "
                         f"operands")
    used = set(lhs) - set(".,")
    spare = iter(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used)
    ell_nd = max((len(shape(op)) - len(t.replace("...", ""))
                  for t, op in zip(terms, operands) if "..." in t), default=0)
    ell = "".join(next(spare) for _ in range(ell_nd))
    expanded = []
    for t, op in zip(terms, operands):
        if "..." in t:
            n = len(shape(op)) - len(t.replace("...", ""))
            t = t.replace("...", ell[ell_nd - n:])
        if len(t) != len(shape(op)):
            raise ValueError(f"einsum: subscripts {t!r} do not match an operand of shape "
                             f"{shape(op)}")
        expanded.append(t)
    if out is None:
        counts = {}
        for t in expanded:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ell))
    else:
        out = out.replace("...", ell)
    return expanded, out


def _diagonal(op, term):
    """Take diagonals for letters repeated within one operand ('ii->i')."""
    while len(set(term)) != len(term):
        c = next(c for c in term if term.count(c) > 1)
        i = term.index(c)
        j = term.index(c, i + 1)
        ramp = np.arange(shape(op)[i])
        key = [slice(None)] * len(term)
        key[i] = key[j] = ramp
        op = getitem(op, tuple(key))
        rest = term[:i] + term[i + 1:j] + term[j + 1:]
        # NumPy puts the indexed axis where adjacent index arrays were, else in front.
        term = term[:i] + c + term[j + 1:] if j == i + 1 else c + rest
    return op, term


def _interleaved(*args):
    """einsum(op0, sublist0, op1, sublist1, ..., [sublistout]) as NumPy spells it in
    letters: label i is 'A'..'Z' then 'a'..'z', Ellipsis is '...'."""
    def letters(sublist):
        out = ""
        for s in sublist:
            if s is Ellipsis:
                out += "..."
            elif isinstance(s, (int, np.integer)) and 0 <= s < 52:
                out += chr(ord("A") + s) if s < 26 else chr(ord("a") + s - 26)
            else:
                raise ValueError("subscript is not within the valid range [0, 52)")
        return out
    operands, terms = list(args[0:-1:2]), [letters(s) for s in args[1::2]]
    spec = ",".join(terms)
    if len(args) % 2:
        spec += "->" + letters(args[-1])
    return spec, operands


@implements(np.einsum)
def einsum(subscripts, *operands, out=None, optimize=False, dtype=None, **kwargs):
    _core.reject_kwargs("einsum", out=out)
    if not isinstance(subscripts, str):
        subscripts, operands = _interleaved(subscripts, *operands)
    dtype_all = result_type(*operands) if dtype is None else np.dtype(dtype)
    ops = [convert(asarray_traced(o), dtype_all, weak=False) for o in operands]
    terms, out_term = _parse(subscripts, ops)
    ops_terms = [_diagonal(o, t) for o, t in zip(ops, terms)]
    sizes = {}
    for o, t in ops_terms:
        for c, n in zip(t, shape(o)):
            if sizes.get(c, 1) == 1:
                sizes[c] = n
            elif n not in (1, sizes[c]):
                raise ShapeError(f"einsum: size of label {c!r} differs: {sizes[c]} vs {n}")
    # Broadcast size-1 dims to the label's size.
    ops_terms = [(broadcast_to_shape(o, [sizes[c] for c in t]), t) for o, t in ops_terms]

    def needed_after(k):
        later = set(out_term)
        for _, t in ops_terms[k + 1:]:
            later |= set(t)
        return later

    def reduce_unused(op, term, keep):
        axes = tuple(i for i, c in enumerate(term) if c not in keep)
        if axes:
            op = _sum(op, axis=axes)
            term = "".join(c for c in term if c in keep)
        return op, term

    acc, acc_t = reduce_unused(*ops_terms[0], needed_after(0) | set(
        "".join(t for _, t in ops_terms[1:])))
    for k in range(1, len(ops_terms)):
        op, t = ops_terms[k]
        later = needed_after(k)
        op, t = reduce_unused(op, t, later | set(acc_t))
        acc, acc_t = reduce_unused(acc, acc_t, later | set(t))
        shared = [c for c in acc_t if c in t]
        batch = [c for c in shared if c in later]
        contract = [c for c in shared if c not in later]
        acc = dot_general(acc, op,
                          ([acc_t.index(c) for c in contract], [t.index(c) for c in contract]),
                          ([acc_t.index(c) for c in batch], [t.index(c) for c in batch]))
        acc_t = "".join(batch) + "".join(c for c in acc_t if c not in shared) + \
            "".join(c for c in t if c not in shared)
    acc, acc_t = reduce_unused(acc, acc_t, set(out_term))
    if sorted(acc_t) != sorted(out_term):
        raise ValueError(f"einsum: output subscripts {out_term!r} are invalid")
    return transpose(acc, [acc_t.index(c) for c in out_term]) if acc_t != out_term else acc
