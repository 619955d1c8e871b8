"""Integer index expressions: affine forms over loop variables, plus floor-division and
modulo atoms (for reshapes of computed values) and named scalars (data-dependent indices).

They are hashable and canonical, so two loads at the same point compare equal, and each
knows the deepest loop it depends on, so code can be hoisted to the outermost loop
where all its indices are defined."""
from __future__ import annotations


class Idx:
    """const + sum(coeff * atom). Atoms: ('var', name, depth), ('sym', name, depth),
    ('div', Idx, n), ('mod', Idx, n)."""

    __slots__ = ("const", "terms", "_key")

    def __init__(self, const: int = 0, terms=()):
        merged: dict = {}
        for atom, coeff in terms:
            merged[atom] = merged.get(atom, 0) + coeff
        self.const = int(const)
        self.terms = tuple(sorted(((a, c) for a, c in merged.items() if c),
                                  key=lambda t: _order(t[0])))
        self._key = (self.const, self.terms)

    @staticmethod
    def var(name: str, depth: int) -> "Idx":
        return Idx(0, [(("var", name, depth), 1)])

    @staticmethod
    def sym(name: str, depth: int) -> "Idx":
        return Idx(0, [(("sym", name, depth), 1)])

    def is_const(self) -> bool:
        return not self.terms

    def __add__(self, other):
        other = other if isinstance(other, Idx) else Idx(other)
        return Idx(self.const + other.const, self.terms + other.terms)

    def __mul__(self, k: int):
        return Idx(self.const * k, [(a, c * k) for a, c in self.terms])

    def floordiv(self, n: int) -> "Idx":
        if n == 1:
            return self
        if self.is_const():
            return Idx(self.const // n)
        return Idx(0, [(("div", self, n), 1)])

    def mod(self, n: int) -> "Idx":
        if n == 1:
            return Idx(0)
        if self.is_const():
            return Idx(self.const % n)
        return Idx(0, [(("mod", self, n), 1)])

    def clamp(self, n: int) -> "Idx":
        """min(max(self, 0), n-1) as a symbol: keeps a speculative load in bounds."""
        if self.is_const():
            return Idx(min(max(self.const, 0), n - 1))
        return Idx(0, [(("clamp", self, n), 1)])

    def depth(self) -> int:
        return max((_atom_depth(a) for a, _ in self.terms), default=0)

    def __eq__(self, other):
        return isinstance(other, Idx) and self._key == other._key

    def __hash__(self):
        return hash(self._key)

    def __repr__(self):
        return f"Idx({self.source()})"

    def source(self) -> str:
        parts = []
        for atom, coeff in self.terms:
            text = _atom_source(atom)
            if coeff == 1:
                parts.append(("+", text))
            elif coeff == -1:
                parts.append(("-", text))
            elif coeff < 0:
                parts.append(("-", f"{text} * {-coeff}"))
            else:
                parts.append(("+", f"{text} * {coeff}"))
        if self.const or not parts:
            parts.append(("+" if self.const >= 0 else "-", str(abs(self.const))))
        out = parts[0][1] if parts[0][0] == "+" else f"-{parts[0][1]}"
        for sign, text in parts[1:]:
            out += f" {sign} {text}"
        return out


def _order(atom):
    kind, a, b = atom
    return (kind != "var", kind, a if isinstance(a, str) else repr(a), b)


def _atom_depth(atom) -> int:
    kind, a, b = atom
    if kind in ("var", "sym"):
        return b
    return a.depth()


def _atom_source(atom) -> str:
    kind, a, b = atom
    if kind in ("var", "sym"):
        return a
    if kind == "div":
        return f"(({a.source()}) // {b})"
    if kind == "mod":
        return f"(({a.source()}) % {b})"
    return f"min(max({a.source()}, 0), {b - 1})"


def linear(point, shape) -> Idx:
    """Row-major offset of `point` in an array of `shape`."""
    out, stride = Idx(0), 1
    for p, n in zip(reversed(point), reversed(shape)):
        out = out + p * stride
        stride *= n
    return out


def unravel(flat: Idx, shape) -> tuple:
    """The point of `shape` whose row-major offset is `flat`."""
    point, stride = [], 1
    for axis in reversed(range(len(shape))):
        n = shape[axis]
        q = flat.floordiv(stride)
        point.append(Idx(0) if n == 1 else (q if axis == 0 else q.mod(n)))
        stride *= n
    return tuple(reversed(point))
