"""The arithmetic of a recorded backward pass: numbers fold, and each expression is recorded once.

``grad(..., create_graph=True)`` builds the backward pass out of Values.
Written naively, that graph fills with steps that change nothing — a
product with the seed 1, a ``* -1`` undone by another, ``1 − out²`` built
again for every order of derivative. A ``BackwardPass`` keeps it to what one
would write by hand:

- a quantity is either a **number** (a Constant counts as its number) or a
  **Value**; operations on numbers are computed, never recorded;
- ``× 1`` and ``+ 0`` vanish, ``× 0`` is 0 (unless the other factor is inf
  or nan: IEEE's 0 × inf is nan), and ``(v · 2) · 3`` is ``v · 6``;
- an operation already in the graph (same operation, same operands — in
  either order for ``+`` and ``*``) is reused instead of recorded again.

The op table's local derivatives (``ops.py``) are evaluated with this
arithmetic: ``ValueMath`` gives them ``m.exp``, ``m.power``, ``m.where``, …,
and their operands arrive as ``Term`` objects, whose ``+ - *`` go through
the pass. No derivative is written a second time.

>>> from autograd import Value, topological_order
>>> x = Value(2.0, label="x")
>>> y = x.tanh()
>>> recorded = BackwardPass([x, y])
>>> (local,) = recorded.local_derivatives(y)  # tanh's 1 − out², recorded: (y · y) · (−1) + 1
>>> [n.op for n in topological_order(local) if n.parents], local.data == 1 - y.data * y.data
(['tanh', '*', '*', '+'], True)
>>> recorded.local_derivatives(y)[0] is local  # asked again: the same node, nothing new
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import numerics
from .engine import Constant, Value, apply
from .modes import gate_local
from .ops import OPS, Op

__all__ = ["BackwardPass", "Term", "ValueMath"]

ADD, MUL = OPS["add"], OPS["mul"]


class BackwardPass:
    """Records operations on Values once each, and computes those on numbers.

    Seeded with the graph being differentiated, so an expression it already
    holds (``out * out`` from an earlier order) is found rather than rebuilt.

    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> recorded = BackwardPass([])
    >>> recorded.mul(x, 1.0) is x, recorded.mul(2.0, 4.0), recorded.add(0.0, x) is x
    (True, 8.0, True)
    >>> recorded.mul(recorded.mul(x, -1.0), -1.0) is x  # x · (−1) · (−1) is x
    True
    """

    def __init__(self, graph: Iterable[Value]) -> None:
        self._recorded: dict[tuple[Any, ...], Value] = {}  # (operation, operands) -> the node computing it
        for node in graph:
            if node.operation is not None:
                key = _key(node.operation, [self.quantity(p) for p in node.parents])
                self._recorded.setdefault(key, node)

    @staticmethod
    def quantity(x: Any) -> Any:
        """What the pass computes with: a Constant or any real number as a float, other Values as they are."""
        if isinstance(x, Constant):
            return x.data
        return x if isinstance(x, Value) else numerics.to_float(x, "grad")

    def apply(self, op: Op, *operands: Any) -> Any:
        """``op`` on the operands: a number if they all are, else the node computing it (new or found)."""
        if not any(isinstance(x, Value) for x in operands):
            return op.forward(numerics, *operands, *op.param)
        key = _key(op, operands)
        found = self._recorded.get(key)
        if found is None:
            found = self._recorded[key] = apply(op, *operands)
        return found

    def add(self, a: Any, b: Any) -> Any:
        """a + b, with + 0, (v + c₁) + c₂ = v + (c₁ + c₂) and c₁·v + c₂·v = (c₁ + c₂)·v folded."""
        if isinstance(a, Value) and isinstance(b, Value):
            (u, c1), (w, c2) = _scaled(a), _scaled(b)
            if u is w:  # like terms: a + a is a · 2, a − a is 0
                return self.mul(u, c1 + c2)
            return self.apply(ADD, a, b)
        if not isinstance(a, Value) and not isinstance(b, Value):
            return self.apply(ADD, a, b)
        value, number = (a, b) if isinstance(a, Value) else (b, a)
        if number == 0.0:
            return value
        inner = _constant_operand(value, ADD)
        if inner is not None:
            return self.add(inner[0], inner[1] + number)
        return self.apply(ADD, value, number)

    def mul(self, a: Any, b: Any) -> Any:
        """a × b, with × 1, × 0 and (v · c₁) · c₂ = v · (c₁c₂) folded."""
        if isinstance(a, Value) == isinstance(b, Value):
            return self.apply(MUL, a, b)
        value, number = (a, b) if isinstance(a, Value) else (b, a)
        if number == 1.0:
            return value
        if number == 0.0 and numerics.is_finite(value.data):  # 0 × inf stays nan, as in IEEE
            return 0.0
        base, factor = _scaled(value)
        if base is not value:
            return self.mul(base, factor * number)
        return self.apply(MUL, value, number)  # the Value first: drawn as one "*c" gate

    def local_derivatives(self, node: Value) -> tuple[Any, ...]:
        """The node's local derivatives as quantities: its table entry's formula, evaluated in this pass.

        A gate of your own (``autograd.gate``) gets the node's Values themselves,
        and a formula that turns one into a float (``math.cos(x)``) raises a
        TypeError naming the gate, rather than silently dropping a derivative.
        """
        op = node.operation
        assert op is not None, "a leaf has no local derivatives"
        if _in_table(op):
            terms = [Term(self.quantity(x), self) for x in (node, *node.parents)]
            return tuple(_unwrap(d) for d in op.local(ValueMath, *terms, *op.param))
        with gate_local(op.symbol):
            return tuple(self.quantity(d) for d in op.local(ValueMath, node, *node.parents, *op.param))


class Term:
    """A quantity as the op table's formulas see it: its ``+``, ``-`` and ``*`` go
    through a BackwardPass (folded, recorded once); comparisons read the number.

    >>> from autograd import Value
    >>> out = Term(Value(0.5), BackwardPass([]))
    >>> local = 1 - out * out  # tanh's local derivative, written as in ops.py
    >>> local.x.op, local.x.data, out > 0
    ('+', 0.75, True)
    """

    __slots__ = ("x", "recorded")

    def __init__(self, x: Any, recorded: BackwardPass) -> None:
        self.x = x  # a float or a Value
        self.recorded = recorded

    def _new(self, x: Any) -> Term:
        return Term(x, self.recorded)

    def __add__(self, other: Any) -> Term:
        return self._new(self.recorded.add(self.x, _unwrap(other)))

    def __radd__(self, other: Any) -> Term:
        return self._new(self.recorded.add(_unwrap(other), self.x))

    def __mul__(self, other: Any) -> Term:
        return self._new(self.recorded.mul(self.x, _unwrap(other)))

    def __rmul__(self, other: Any) -> Term:
        return self._new(self.recorded.mul(_unwrap(other), self.x))

    # As the engine writes them (engine.py): −a is a·(−1), a − b is a + b·(−1).
    def __neg__(self) -> Term:
        return self * -1.0

    def __sub__(self, other: Any) -> Term:
        return self + other * -1.0

    def __rsub__(self, other: Any) -> Term:
        return other + self * -1.0

    # Comparisons choose a branch (relu's a > 0); they are not differentiated.
    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return _number(self) == _number(other)

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return _number(self) != _number(other)

    def __lt__(self, other: Any) -> bool:
        return _number(self) < _number(other)

    def __le__(self, other: Any) -> bool:
        return _number(self) <= _number(other)

    def __gt__(self, other: Any) -> bool:
        return _number(self) > _number(other)

    def __ge__(self, other: Any) -> bool:
        return _number(self) >= _number(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Term({self.x!r})"


def _recorded(name: str) -> Any:
    """``m.exp`` and the like: the table's operation ``name`` on a Term, recorded (or computed, on a number)."""
    return staticmethod(lambda a: a._new(a.recorded.apply(OPS[name], a.x)))


class ValueMath:
    """The functions the op table's formulas call (``m.exp``, ``m.where``), for
    Terms: each is the recorded operation, so a local derivative evaluated
    with them is a graph. (``numerics`` is the same for floats.)

    >>> from autograd import OPS, Value
    >>> a = Value(2.0)
    >>> recorded = BackwardPass([])
    >>> (local,) = OPS["log"].local(ValueMath, Term(a.log(), recorded), Term(a, recorded))  # 1/a
    >>> local.x.op, local.x.data
    ('1/x', 0.5)
    """

    exp, log, reciprocal = _recorded("exp"), _recorded("log"), _recorded("reciprocal")
    tanh, sigmoid, relu, absolute = _recorded("tanh"), _recorded("sigmoid"), _recorded("relu"), _recorded("abs")

    @staticmethod
    def leaky_relu(a: Any, slope: float) -> Any:
        return a._new(a.recorded.apply(OPS["leaky_relu"].bind(slope), a.x))

    @staticmethod
    def maximum(a: Any, b: Any) -> Any:
        return a._new(a.recorded.apply(OPS["max"], a.x, _unwrap(b)))

    @staticmethod
    def power(a: Any, n: Any) -> Any:
        """a ** n: a number n is one ``**n`` node (``a ** 1`` is a, ``a ** 0`` is 1); a Term n, ``**``."""
        if isinstance(n, Term) and isinstance(n.x, Value):
            return a._new(a.recorded.apply(OPS["pow_value"], a.x, n.x))
        n = _unwrap(n)
        if n == 1.0:
            return a
        if n == 0.0:
            return 1.0
        return a._new(a.recorded.apply(OPS["pow"].bind(n), a.x))

    where = staticmethod(numerics.where)  # the condition is a bool already: pick a branch

    @staticmethod
    def sign(a: Any) -> float:
        return numerics.sign(_number(a))  # piecewise constant: its derivative is 0, so a number will do


def _unwrap(x: Any) -> Any:
    """A Term's quantity; anything else (a number from the formula) as it is."""
    return x.x if isinstance(x, Term) else x


def _number(x: Any) -> float:
    x = _unwrap(x)
    return x.data if isinstance(x, Value) else float(x)


def _in_table(op: Op) -> bool:
    """A built-in operation (or one bound to its exponent or slope), not a user's gate."""
    entry = OPS.get(op.name)
    return entry is not None and entry.local is op.local


def _key(op: Op, operands: Any) -> tuple[Any, ...]:
    """What identifies an operation's result: the operation and its operands (a Value by
    identity, a number by its bits), in either order for + and *."""
    keys = [id(x) if isinstance(x, Value) else float(x).hex() for x in operands]
    if op is ADD or op is MUL:
        keys.sort(key=str)
    return (id(op), *keys)


def _scaled(v: Value) -> tuple[Value, float]:
    """(u, c) with v = u · c, gathering the constant factors of nested ``*`` nodes (1 if none)."""
    factor = 1.0
    inner = _constant_operand(v, MUL)
    while inner is not None:
        v, factor = inner[0], factor * inner[1]
        inner = _constant_operand(v, MUL)
    return v, factor


def _constant_operand(v: Value, op: Op) -> tuple[Value, float] | None:
    """(u, c) if ``v`` is u ∘ c for the operation ``op`` and a Constant c: a constant to fold into."""
    if v.operation is not op:
        return None
    a, b = v.parents
    if isinstance(b, Constant) and not isinstance(a, Constant):
        return a, b.data
    if isinstance(a, Constant) and not isinstance(b, Constant):
        return b, a.data
    return None
