"""Where every number came from: the chain rule, written out for each wire, arrow and gate.

The lecture's one rule, at every gate: **downstream = upstream × local**.
The *upstream* gradient ∂f/∂q arrives from the right, the gate knows its
*local* gradient ∂q/∂x, and their product ∂f/∂x flows on to the left. A
value used several times gets one such product back along each branch,
and they add up. This module writes that out, with the drawing's
numbers, as the hover text (SVG ``<title>``) of every wire, arrow and
gate, as the captions of ``viz.backward_steps``, and as the red number
each branch of a reused value carries back.

Values are named as the learner wrote them (``naming.py``): ``q``, ``f``,
``w0*x0``. Two gates with the same glyph are told apart by what they make.

>>> from autograd import Value
>>> from .structure import analyze, topological_order
>>> a, b = Value(1.5, label="a"), Value(3.0, label="b")
>>> f = a * b + a.exp()
>>> f.backward()
>>> why = Explainer(analyze(topological_order(f)), 2, {"g2": "*", "g3": "exp", "g4": "+"})
>>> why.wire(0).splitlines()[0]
'∂f/∂a = 3.00 (via *) + 4.48 (via exp) = 7.48'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .formatting import format_number
from .naming import Names, d
from .structure import ELIDED, NO_GROUP, Shape

__all__ = ["Explainer", "drawn_gate"]

BRANCHES_LISTED = 8  # a hover text lists this many branches of a value used more often, then counts the rest
# What each gate does to the upstream gradient, in the slides' words.
PATTERNS = {
    "+": "the add gate distributes: each input gets the upstream gradient unchanged",
    "*": "the mul gate swaps: each input's local gradient is the other input",
    "max": "the max gate routes: the larger input gets the upstream gradient, the other 0",
}


def drawn_gate(shape: Shape, c: int) -> str:
    """The id of the drawn node that computes node ``c``: its gate, the Σ gate it is part of, or its box."""
    while shape.in_sum[c]:
        c = shape.consumers[c][0][0]
    return f"n{shape.group[c]}" if shape.group[c] != NO_GROUP else f"g{c}"


class Explainer:
    """The chain rule of one drawing, in words and its numbers.

    ``glyphs`` maps each drawn gate's id to its glyph, so that a use can be
    named by the gate it goes through ("via *"), or by that gate's output
    when several gates share a glyph ("via a*b").

    >>> from autograd import Value
    >>> from .structure import analyze, topological_order
    >>> x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
    >>> q = x + y
    >>> q.label = "q"
    >>> f = q * z
    >>> f.backward()
    >>> why = Explainer(analyze(topological_order(f)), 2, {"g2": "+", "g4": "*"})
    >>> why.wire(0).splitlines()[0]
    '∂f/∂x = ∂f/∂q · ∂q/∂x = -4.00 × 1.00 = -4.00'
    """

    def __init__(self, shape: Shape, precision: int, glyphs: dict[str, str]) -> None:
        self.shape = shape
        self.precision = precision
        self.names = Names(shape)
        self.glyphs = glyphs
        self._repeated = {glyph for glyph, k in Counter(glyphs.values()).items() if k > 1}
        self._drawn: dict[int, str] = {}

    def drawn(self, c: int) -> str:
        """``drawn_gate``, remembered: the id of the drawn node that computes node ``c``."""
        if c not in self._drawn:
            self._drawn[c] = drawn_gate(self.shape, c)
        return self._drawn[c]

    def number(self, x: float) -> str:
        return format_number(x, self.precision)

    def via(self, c: int) -> str:
        """How a use by node ``c`` is named: its gate's glyph, else (glyph repeated) its output, or its box."""
        drawn = self.drawn(c)
        if drawn.startswith("n"):
            return self.shape.groups[int(drawn[1:])]
        glyph = self.glyphs.get(drawn)
        return glyph if glyph is not None and glyph not in self._repeated else self.names[int(drawn[1:])]

    def which_gate(self, c: int) -> str:
        """The gate that computes node ``c``, in words: "the * gate", "the * gate making w0*x0"."""
        drawn = self.drawn(c)
        if drawn.startswith("n"):
            return self.shape.groups[int(drawn[1:])]
        glyph = self.glyphs.get(drawn, "?")
        return f"the {glyph} gate" + (f" making {self.names[int(drawn[1:])]}" if glyph in self._repeated else "")

    def share(self, c: int, pos: int) -> float:
        """What node ``c`` sends back to its operand ``pos``: upstream × local."""
        v = self.shape.order[c]
        return v.grad * v.local_grads[pos]

    def chain(self, i: int, c: int, pos: int) -> str:
        """One use of node ``i`` by node ``c``: ``∂f/∂q · ∂q/∂x = -4.00 × 1.00 = -4.00``."""
        out, x, q = self.names[-1], self.names[i], self.names[c]
        up, local = self.shape.order[c].grad, self.shape.order[c].local_grads[pos]
        n = self.number
        return f"{d(out, q)} · {d(q, x)} = {n(up)} × {n(local)} = {n(up * local)}"

    def wire(self, i: int) -> str:
        """The hover text of node ``i``'s wire: its gradient as the chain rule built it, then its value.

        At a value used several times, the first line is the sum over its
        branches: ``∂f/∂a = 3.00 (via *) + 4.48 (via exp) = 7.48``.
        """
        v, out, x, n = self.shape.order[i], self.names[-1], self.names[i], self.number
        value = f"{x} = {n(v.data)}"
        if i == len(self.shape.order) - 1:
            return f"{d(out, out)} = {n(v.grad)} (the seed: the backward pass starts here)\n{value}"
        found = self.shape.consumers[i]
        if len(found) == 1:
            lines = [f"{d(out, x)} = {self.chain(i, *found[0])}"]
        else:
            shown = found[:BRANCHES_LISTED]  # an input read by a whole layer: the first few branches, then a count
            twice = {c for c, k in Counter(c for c, _ in found).items() if k > 1}  # a*a: one gate, two operands
            vias = [self.via(c) + (f", operand {pos + 1}" if c in twice else "") for c, pos in shown]
            terms = [f"{n(self.share(c, pos))} (via {via})" for (c, pos), via in zip(shown, vias, strict=True)]
            more = len(found) - len(shown)
            if more:
                terms.append(f"… ({more} more branches)")
            lines = [f"{d(out, x)} = {' + '.join(terms)} = {n(v.grad)}", "the branches add up:"]
            lines += [f"  via {via}: {self.chain(i, c, pos)}" for (c, pos), via in zip(shown, vias, strict=True)]
        earlier = v.grad - sum(self.share(c, pos) for c, pos in found)
        if not v.parents and abs(earlier) > 1e-9 * max(1.0, abs(v.grad)):  # leaves accumulate across passes
            lines.append(f"(plus {n(earlier)} kept from earlier backward() calls: leaves accumulate)")
        return "\n".join([*lines, value])

    def forward(self, i: int) -> str:
        """The forward pass reaching node ``i``: which gate computed it, from what.

        >>> from autograd import Value
        >>> from .structure import analyze, topological_order
        >>> x, y = Value(-2.0, label="x"), Value(5.0, label="y")
        >>> why = Explainer(analyze(topological_order(x + y)), 2, {"g2": "+"})
        >>> why.forward(0), why.forward(2)
        ('x = -2.00, an input', 'the + gate computes f = 3.00 from x = -2.00 and y = 5.00')
        """
        shape, n = self.shape, self.number
        v, name = shape.order[i], self.names[i]
        if not v.parents:
            return f"{name} = {n(v.data)}, an input"
        inputs = [
            f"{self.names[p]} = {n(shape.order[p].data)}"
            for pos, p in enumerate(shape.parents[i])
            if pos not in shape.folded[i] and p != ELIDED
        ]
        return f"{self.which_gate(i)} computes {name} = {n(v.data)}" + (
            f" from {' and '.join(inputs)}" if inputs else ""
        )

    def slide(self, i: int) -> str:
        """The backward pass reaching node ``i``, in the slides' words: upstream × local = downstream.

        >>> from autograd import Value
        >>> from .structure import analyze, topological_order
        >>> x, y = Value(-2.0, label="x"), Value(5.0, label="y")
        >>> f = x + y
        >>> f.backward()
        >>> Explainer(analyze(topological_order(f)), 2, {"g2": "+"}).slide(0)
        'at the + gate: upstream ∂f/∂f = 1.00 × local ∂f/∂x = 1.00 = downstream ∂f/∂x = 1.00'
        """
        v, out, x, n = self.shape.order[i], self.names[-1], self.names[i], self.number
        if i == len(self.shape.order) - 1:
            return f"the seed: {d(out, out)} = {n(v.grad)}; the backward pass starts at the output"
        found = self.shape.consumers[i]
        if len(found) == 1:
            c, pos = found[0]
            up, local = self.shape.order[c].grad, self.shape.order[c].local_grads[pos]
            q = self.names[c]
            return (
                f"at {self.which_gate(c)}: upstream {d(out, q)} = {n(up)} × local {d(q, x)} = {n(local)}"
                f" = downstream {d(out, x)} = {n(v.grad)}"
            )
        first = self.wire(i).splitlines()[0]
        return f"{x} feeds {len(found)} gates, and the gradients coming back along its branches add up: {first}"

    def caption(self, i: int) -> str:
        """A step caption: node ``i``'s gradient as the sum over its uses of upstream × local.

        >>> from autograd import Value
        >>> from .structure import analyze, topological_order
        >>> a = Value(3.0, label="a")
        >>> f = a * a
        >>> f.backward()
        >>> Explainer(analyze(topological_order(f)), 2, {"g1": "*"}).caption(0)
        'a: 1.00 × 3.00 + 1.00 × 3.00 = 6.00'
        """
        v, name, n = self.shape.order[i], self.names[i], self.number
        if i == len(self.shape.order) - 1:
            return f"{name}: {n(v.grad)} (the seed, {d(name, name)})" if v.parents else f"{name}: {n(v.grad)}"
        order = self.shape.order
        terms = [f"{n(order[c].grad)} × {n(order[c].local_grads[pos])}" for c, pos in self.shape.consumers[i]]
        return f"{name}: {' + '.join(terms) or '0'} = {n(v.grad)}"

    def arrows(self, edges: Sequence[tuple[str, str]]) -> list[list[tuple[int, int]]]:
        """For each arrow (tail id, head id), the uses it stands for: (consumer, operand position).

        An arrow from a wire into a gate is one use; into a box, every use
        inside it; ``a*a`` draws two arrows, one per operand. Arrows that
        leave a gate or a box stand for no use: [].
        """
        pairs = Counter(edges)
        taken: Counter[tuple[str, str]] = Counter()
        by_head: dict[int, dict[str, list[tuple[int, int]]]] = {}  # wire -> drawn gate -> its uses there
        out: list[list[tuple[int, int]]] = []
        for tail, head in edges:
            if not tail.startswith("v") or head.startswith(("v", "b")):
                out.append([])
                continue
            i = int(tail[1:])
            if i not in by_head:
                by_head[i] = {}
                for c, pos in self.shape.consumers[i]:
                    by_head[i].setdefault(self.drawn(c), []).append((c, pos))
            found = by_head[i].get(head, [])
            if pairs[tail, head] == len(found) > 1:
                found = [found[taken[tail, head]]]
                taken[tail, head] += 1
            out.append(found)
        return out

    def branch(self, i: int, uses: Sequence[tuple[int, int]]) -> tuple[str, float]:
        """The hover text of an arrow from node ``i`` standing for ``uses``, and the share it carries back."""
        share = sum(self.share(c, pos) for c, pos in uses)
        lines = [f"carries back {self.number(share)} to {self.names[i]} (upstream × local):"]
        lines += [f"  {self.chain(i, c, pos)}" for c, pos in uses[:BRANCHES_LISTED]]
        if len(uses) > BRANCHES_LISTED:
            lines.append(f"  … and {len(uses) - BRANCHES_LISTED} more uses inside")
        return "\n".join(lines), share

    def gate_title(self, i: int, glyph: str, grads: bool) -> str:
        """The hover text of node ``i``'s gate: what it computes, its local gradients and, after
        backward(), upstream × local = downstream for each input, in the slides' words."""
        shape, n = self.shape, self.number
        v, out, q = shape.order[i], self.names[-1], self.names[i]
        lines = [f"{glyph} gate: {q} = {n(v.data)}"]
        if glyph.startswith("Σ"):
            lines.append(f"adds {len(shape.sum_operands(i))} values; the local gradient of each is 1")
            return "\n".join(lines + ([f"each input gets the upstream {n(v.grad)}"] if grads else []))
        inputs = [(pos, p) for pos, p in enumerate(shape.parents[i]) if pos not in shape.folded[i] and p != ELIDED]
        names = self.names
        lines.append("local " + ", ".join(f"{d(q, names[p])} = {n(v.local_grads[pos])}" for pos, p in inputs))
        if grads:
            lines.append(f"upstream {d(out, q)} = {n(v.grad)}")
            downstream = [f"{n(v.grad)} × {n(v.local_grads[pos])} = {n(self.share(i, pos))} to {names[p]}"
                          for pos, p in inputs]  # fmt: skip
            lines.append("downstream " + ", ".join(downstream))
        if v.op in PATTERNS:
            lines.append(f"({PATTERNS[v.op]})")
        return "\n".join(lines)
