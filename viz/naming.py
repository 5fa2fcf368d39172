"""How the drawing names things: the glyph in a gate, and a name for every value.

A gate holds the op table's glyph, with a folded constant written as the
learner wrote it (``-1``, ``/3``, ``*2``). A value is named as the learner
wrote it: a label if it has one (``q``, ``w0``), the output ``f`` if it has
none, else the expression that made it (``w0*x0``, ``exp(…) + 1``; ``…``
stands for a part too long to repeat). ``d("f", "x")`` writes ∂f/∂x.

>>> from autograd import Value
>>> from .structure import analyze, topological_order
>>> a, b = Value(1.5, label="a"), Value(3.0, label="b")
>>> names = Names(analyze(topological_order(a * b - 1)))
>>> names[2], names[4], d(names[4], names[2])
('a*b', 'f', '∂f/∂(a*b)')
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from autograd import Constant, Value

from .structure import ELIDED, Shape

__all__ = ["LONGEST_NAME", "OUTPUT_NAME", "Names", "d", "folded_glyph", "gate_glyph"]

LONGEST_NAME = 24  # characters; a longer expression names its parts "…"
OUTPUT_NAME = "f"  # the lecture's name for an unlabelled output
_IDENTIFIER = re.compile(r"[^\W\d]\w*(\[[\d, ]*\])?")  # x, w0, w[0,1]: no parentheses needed after ∂


def gate_glyph(v: Value) -> str:
    """What the gate circle of ``v`` holds: its operation's glyph, with the exponent of ``**2``.

    >>> from autograd import Value
    >>> gate_glyph(Value(2.0).sigmoid()), gate_glyph(Value(2.0) ** 2)
    ('σ', '**2')
    """
    op = v.operation  # its table entry: a gate of your own has one too (ops.lookup knows the built-ins only)
    if op is None:
        return v.op
    return op.glyph + (f"{op.param[0]:g}" if op.shows_param else "")


def folded_glyph(glyph: str, constant: float) -> str:
    """A ``+`` or ``*`` gate with its constant folded in, as a learner wrote it: ``-1``, ``/3``, ``*2``.

    ``a - 1`` is recorded as ``a + -1`` and ``a / 3`` as ``a * 0.333…``;
    the drawing turns them back.

    >>> folded_glyph("+", -1.0), folded_glyph("+", 2.0), folded_glyph("*", 1 / 3), folded_glyph("*", 0.25)
    ('-1', '+2', '/3', '*0.25')
    """
    if glyph == "+":
        return f"-{-constant:g}" if constant < 0 else f"+{constant:g}"
    if glyph == "*" and not _short(constant) and constant != 0 and _short(1 / constant):
        return f"/{1 / constant:g}"  # a / 3: the reciprocal of the constant is the number written
    return f"{glyph}{constant:g}"


def _short(x: float) -> bool:
    """Whether ``x`` prints exactly in a few digits (0.25 does, 1/3 does not)."""
    return float(f"{x:g}") == x


class Names:
    """A name for each node of ``shape``, worked out when first asked for: its label, ``f`` for the
    output, else the expression that made it, from its operands' names.

    Only the nodes a drawing shows or mentions are named, and an expression looks at most
    DEPTH operands deep (deeper parts are "…"), so naming costs little however large the graph.
    ``unique(nodes)`` numbers the expressions among ``nodes`` that came out the same.

    >>> from autograd import Value
    >>> from .structure import analyze, topological_order
    >>> x, y = Value(1.0, label="x"), Value(2.0, label="y")
    >>> names = Names(analyze(topological_order(((x + y) * 2 - 1).exp())))
    >>> [names[i] for i in range(8)]
    ['x', 'y', 'x + y', '2', '(x + y)*2', '-1', '(x + y)*2 - 1', 'f']
    """

    DEPTH = 12  # an operand this deep never fits in LONGEST_NAME characters anyway

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self._known: dict[int, tuple[str, int]] = {}  # node -> (name, how tightly it binds)
        self._numbered: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        i %= len(self.shape.order)  # names[-1]: the output
        return self._numbered.get(i) or self._name(i, self.DEPTH)[0]

    def _name(self, i: int, depth: int) -> tuple[str, int, bool]:
        """(name, binding: 0 a sum, 1 a product, 2 an atom, whether it is whole: no depth cut-off)."""
        if i in self._known:
            return (*self._known[i], True)
        v, root = self.shape.order[i], len(self.shape.order) - 1
        if v.label.strip():
            found = (v.label, 2, True)
        elif i == root and v.parents:
            found = (OUTPUT_NAME, 2, True)
        elif not v.parents:
            found = (f"{v.data:g}", 2 if v.data >= 0 else 0, True)
        elif depth == 0:
            return ("…", 2, False)
        else:
            parts = [self._name(p, depth - 1) if p != ELIDED else ("…", 2, True) for p in self.shape.parents[i]]
            text, binds = _expression(v, [(t, b) for t, b, _ in parts])
            whole = all(w for _, _, w in parts)
            if len(text) > LONGEST_NAME:  # name the unnamed parts "…": exp(…) + 1
                short = [
                    part if p == ELIDED or self.shape.order[p].label.strip() or not self.shape.order[p].parents
                    else ("…", 2, True)
                    for p, part in zip(self.shape.parents[i], parts, strict=True)
                ]  # fmt: skip
                text, binds = _expression(v, [(t, b) for t, b, _ in short])
                whole = True
            found = (text, binds, whole)
        if found[2]:
            self._known[i] = found[:2]
        return found

    def unique(self, nodes: Sequence[int]) -> None:
        """Number the expressions among ``nodes`` that came out the same (``exp(…) #2``); labels stay."""
        unnamed = sorted({i for i in nodes if not self.shape.order[i].label.strip() and self.shape.order[i].parents})
        repeated = {name for name, k in Counter(self[i] for i in unnamed).items() if k > 1}
        count: Counter[str] = Counter()
        for i in unnamed:
            name = self[i]
            if name in repeated:
                count[name] += 1
                self._numbered[i] = f"{name} #{count[name]}"


def _expression(v: Value, parts: list[tuple[str, int]]) -> tuple[str, int]:
    """``v`` written as an expression of its operands' names (each with how tightly it binds)."""

    def operand(k: int, tighter_than: int) -> str:
        text, binds = parts[k]
        return text if binds > tighter_than else f"({text})"

    if v.op == "+" and len(parts) == 2:
        second = parts[1][0]
        if second.startswith("-") and isinstance(v.parents[1], Constant):
            return f"{parts[0][0]} - {second[1:]}", 0  # a - 1, as written
        return f"{parts[0][0]} + {operand(1, 0)}", 0
    if v.op == "*" and len(parts) == 2:
        if isinstance(v.parents[1], Constant):
            c = v.parents[1].data
            if c == -1:
                return f"-{operand(0, 1)}", 0
            glyph = folded_glyph("*", c)
            if glyph.startswith("/"):
                return f"{operand(0, 1)}{glyph}", 1
        return f"{operand(0, 0)}*{operand(1, 1)}", 1
    if v.op.startswith("**"):
        exponent = v.op[2:] or operand(1, 1)
        return f"{operand(0, 1)}**{exponent}", 2
    if v.op == "1/x":
        return f"1/{operand(0, 1)}", 1
    return f"{gate_glyph(v)}({', '.join(text for text, _ in parts)})", 2


def d(of: str, by: str) -> str:
    """``∂of/∂by``, with parentheses around more than a name: ``∂f/∂(w0*x0)``.

    >>> d("f", "x"), d("x + y", "x"), d("L", "w[0,1]")
    ('∂f/∂x', '∂(x + y)/∂x', '∂L/∂w[0,1]')
    """
    return f"∂{_atom(of)}/∂{_atom(by)}"


def _atom(name: str) -> str:
    return name if _IDENTIFIER.fullmatch(name) else f"({name})"
