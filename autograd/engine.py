"""The engine: a number that remembers how it was made, and ``backward()``.

Read this file top to bottom. A ``Value`` holds a number (``data``) and,
once ``backward()`` has run, the gradient of the output with respect to it
(``grad``). Every operation goes through ``apply``: it takes the
operation's entry in the table of ``ops.py``, computes the result, and
records on the new Value its ``parents`` (the operands, in the order
written) and its ``local_grads`` (∂result/∂parent for each, computed now,
while the inputs are at hand). ``backward()`` then visits the nodes from the
output back and, at each one, applies the chain rule as the lecture says it
(``backward_step``)::

    for parent, local in zip(node.parents, node.local_grads):
        parent.grad += node.grad * local

``+=`` sums the contributions of every use of a value (fan-out, and ``a * a``).

>>> x = Value(-2.0, label="x"); y = Value(5.0, label="y"); z = Value(-4.0, label="z")
>>> f = (x + y) * z
>>> f.backward()
>>> x.grad, y.grad, z.grad
(-4.0, -4.0, 3.0)
"""

from __future__ import annotations

import threading
from typing import Any, Union

from . import familiar, numerics
from .modes import check_backward, check_forward, current
from .numberlike import NumberLike
from .ops import OPS, Op

Number = int | float
Operand = Union["Value", int, float]
ADD, MUL = OPS["add"], OPS["mul"]


class Value(NumberLike):
    """A scalar in a computation graph.

    >>> a = Value(2.0, label="a")
    >>> a
    Value(a, data=2.0, grad=0.0)
    >>> (a * a).parents == (a, a)  # both wires kept
    True
    """

    # What a node records. Nearly every operation has one or two operands, so a
    # node keeps them (_a, _b) and their local derivatives (_da, _db) in slots of
    # its own, and ``parents`` and ``local_grads`` below give them back as the
    # lecture's tuples; more operands keep the tuples themselves in _b and _db.
    # Storing the tuples would make three objects per node instead of one, and
    # Python's garbage collector pays for each: the W1 step of
    # benchmarks/bench_engine.py (GC on) took 113 ms that way, 3.1x faster than
    # micrograd, and takes 47 ms this way. For the same reason a node made by an
    # operation leaves _label unset, and ``op`` is read off ``operation``.
    __slots__ = ("_data", "grad", "_label", "operation", "scope", "_a", "_b", "_da", "_db", "_walk", "__weakref__")
    _a: Value | None
    _b: Any  # a Value, or the tuple of all parents when there are more than two
    _da: float
    _db: Any  # a float, or the tuple of all local derivatives
    _walk: object | None

    def __init__(self, data: Number, label: str = "") -> None:
        self._data = numerics.to_float(data, "Value()")  # a TypeError naming anything but a number
        if label:
            self.label = label  # the setter below checks it
        self.grad = 0.0  # ∂output/∂self, filled by backward()
        self.operation: Op | None = None  # the table entry that made it; None for a leaf
        self.scope = current().scope  # the autograd.scope() it was made in, for drawings
        self._a = None
        self._b = None
        self._da = self._db = 0.0
        self._walk = None  # the latest topological_order() that reached it

    @property
    def data(self) -> float:
        """The number (a float); settable to a number, never to a Value."""
        return self._data

    @data.setter
    def data(self, x: Number) -> None:
        if isinstance(x, Value):
            raise TypeError(
                "Value.data takes a number, got a Value: to update a weight write "
                "w.data += -0.05 * w.grad (.grad is a number), or w.data = float(expression)"
            )
        self._data = numerics.to_float(x, "Value.data")

    @property
    def label(self) -> str:
        """A name for drawings and messages; settable to a str."""
        return getattr(self, "_label", "")

    @label.setter
    def label(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"label must be a str, got {numerics.describe(text)}")
        self._label = text

    @property
    def op(self) -> str:
        """The operation's symbol (``"+"``, ``"exp"``, ``"**2"``); ``""`` for a leaf."""
        return "" if self.operation is None else self.operation.symbol

    @property
    def parents(self) -> tuple[Value, ...]:
        """The operands, in the order written; ``()`` for a leaf.

        >>> a = Value(2.0)
        >>> (a * a).parents == (a, a), (a.exp()).parents == (a,), a.parents
        (True, True, ())
        """
        if self._a is None:  # a leaf, or more than two operands
            return () if self._b is None else self._b  # type: ignore[return-value]
        return (self._a,) if self._b is None else (self._a, self._b)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each of ``parents``, computed in the forward pass.

        >>> (Value(2.0) * Value(5.0)).local_grads
        (5.0, 2.0)
        """
        if self._a is None:  # a leaf, or more than two operands
            return () if self._b is None else self._db  # type: ignore[return-value]
        return (self._da,) if self._b is None else (self._da, self._db)

    def __repr__(self) -> str:
        name = f"{self.label}, " if self.label else ""
        return f"Value({name}data={self.data!r}, grad={self.grad!r})"

    # micrograd's names, answered with graphgrad's (familiar.py): d._prev says "use .parents".
    _prev, _op, _backward = familiar.Renamed(), familiar.Renamed(), familiar.Renamed()

    # ---- the primitives, each through apply() ----------------------------

    def __add__(self, other: Operand) -> Value:
        """a + b; local derivatives 1, 1 (the "gradient distributor").
        >>> (Value(1.0) + 2).data
        3.0"""
        b = other if type(other) is Value else _number(other)
        if b is None:  # a Constant, another library's type, a str: the general path says what to do
            return apply(ADD, self, other)
        return _record(ADD, self._data + b._data, self, 1.0, b, 1.0)  # the bulk of any graph: see _record

    def __radd__(self, other: Operand) -> Value:
        """2 + a: the number comes first, as written (so ``sum()`` works).
        >>> sum([Value(1.0), Value(2.0)]).data
        3.0"""
        a = _number(other)
        return apply(ADD, other, self) if a is None else _record(ADD, a._data + self._data, a, 1.0, self, 1.0)

    def __mul__(self, other: Operand) -> Value:
        """a * b; local derivatives b, a (the "swap multiplier").
        >>> (Value(3.0) * 4).data
        12.0"""
        b = other if type(other) is Value else _number(other)
        if b is None:
            return apply(MUL, self, other)
        return _record(MUL, self._data * b._data, self, b._data, b, self._data)  # see _record

    def __rmul__(self, other: Operand) -> Value:
        """3 * a, recorded with the number first.
        >>> (3 * Value(4.0)).parents[0].data
        3.0"""
        a = _number(other)
        return (
            apply(MUL, other, self) if a is None else _record(MUL, a._data * self._data, a, self._data, self, a._data)
        )

    def __pow__(self, exponent: Operand) -> Value:
        """a ** n (a number n: one parent, ``.op == "**2"``) or a ** b (a Value b: two parents).
        >>> (Value(3.0) ** 2).op, (Value(3.0) ** Value(2.0)).op
        ('**2', '**')"""
        if isinstance(exponent, Value):
            return apply(OPS["pow_value"], self, exponent)
        if not numerics.is_real(exponent):
            return numerics.not_an_operand("**", exponent)
        return apply(OPS["pow"].bind(numerics.to_float(exponent, "**")), self)

    def __rpow__(self, base: Number) -> Value:
        """2 ** a: the 2 is a constant leaf, the first of two parents.
        >>> (2 ** Value(3.0)).data
        8.0"""
        return apply(OPS["pow_value"], base, self)

    def exp(self) -> Value:
        """e^a; local derivative e^a (the output itself).
        >>> Value(0.0).exp().data
        1.0"""
        return apply(OPS["exp"], self)

    def log(self) -> Value:
        """Natural log; local derivative 1/a. nan below 0, −inf at 0.
        >>> Value(1.0).log().data
        0.0"""
        return apply(OPS["log"], self)

    def reciprocal(self) -> Value:
        """1/a; local derivative −1/a². inf at 0, never ZeroDivisionError.
        >>> Value(4.0).reciprocal().data
        0.25"""
        return apply(OPS["reciprocal"], self)

    def max(self, other: Operand) -> Value:
        """The larger of a and b; the gradient goes to it alone (ties: to a).
        >>> Value(2.0).max(-1).data
        2.0"""
        return apply(OPS["max"], self, other)

    def relu(self) -> Value:
        """max(a, 0); local derivative 1 if a > 0 else 0 (0 at the kink).
        >>> Value(-3.0).relu().data
        0.0"""
        return apply(OPS["relu"], self)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """a if a > 0 else slope·a; local derivative 1 or slope.
        >>> Value(-2.0).leaky_relu(0.1).data
        -0.2"""
        return apply(OPS["leaky_relu"].bind(numerics.to_float(slope, "leaky_relu(slope=)")), self)

    def tanh(self) -> Value:
        """tanh(a); local derivative 1 − tanh². Exact ±1 at large |a|.
        >>> Value(0.0).tanh().data
        0.0"""
        return apply(OPS["tanh"], self)

    def sigmoid(self) -> Value:
        """σ(a) = 1/(1+e^−a) as one gate; local derivative σ(1−σ).
        >>> Value(0.0).sigmoid().data
        0.5"""
        return apply(OPS["sigmoid"], self)

    def abs(self) -> Value:
        """|a|; local derivative sign(a), 0 at 0 (as PyTorch). ``abs(v)`` is the same.
        >>> abs(Value(-3.0)).data
        3.0"""
        return apply(OPS["abs"], self)

    __abs__ = abs

    # ---- the rest of Python's arithmetic, built from the primitives -----
    # (as the lecture draws it: a subtraction is an addition of b·(−1))

    def __neg__(self) -> Value:  # -a = a * -1, the lecture's "*-1" gate
        return self * -1

    def __sub__(self, other: Operand) -> Value:  # a - b = a + b*(-1); a - 3 = a + (-3)
        return self + (other * -1 if isinstance(other, Value) else _negated(other))

    def __rsub__(self, other: Operand) -> Value:  # 2 - a = 2 + a*(-1)
        return other + self * -1 if numerics.is_real(other) else numerics.not_an_operand("-", other, reflected=True)

    def __truediv__(self, other: Operand) -> Value:  # a / b = a * (1/b); a / 4 = a * 0.25
        if isinstance(other, Value):
            return self * other.reciprocal()
        if not numerics.is_real(other):
            return numerics.not_an_operand("/", other)
        return self * numerics.reciprocal(numerics.to_float(other, "/"))

    def __rtruediv__(self, other: Operand) -> Value:  # 1 / a is just the lecture's "1/x" gate
        if not numerics.is_real(other):
            return numerics.not_an_operand("/", other, reflected=True)
        return self.reciprocal() if other == 1 else other * self.reciprocal()

    # ---- backward -------------------------------------------------------

    def backward_step(self) -> None:
        """This node's step of the chain rule: each parent's gradient grows by
        upstream (``self.grad``) × local derivative. Call it by hand, node by
        node from the output back, to do what ``backward()`` does.

        >>> a, b = Value(2.0), Value(5.0)
        >>> y = a * b
        >>> y.grad = 1.0
        >>> y.backward_step()
        >>> a.grad, b.grad  # the swap multiplier
        (5.0, 2.0)
        """
        for parent, local in zip(self.parents, self.local_grads, strict=True):
            parent.grad += self.grad * local

    def backward(self, gradient: Number = 1.0) -> None:
        """Fill ``.grad`` with ∂self/∂node for every node self depends on.

        Seeds ``self.grad`` with ``gradient`` (1 by default), then takes each
        node's ``backward_step()``, every node after all the nodes that use it.
        Leaves accumulate across calls, as in PyTorch; every other node is
        reset first, so it holds the gradient of this pass only.

        >>> x = Value(3.0)
        >>> y = x * x
        >>> y.backward(); x.grad
        6.0
        >>> y.backward(); x.grad  # leaves accumulate
        12.0
        """
        order = topological_order(self)
        for node in order:
            if node.operation is not None or node.grad is None:  # `p.grad = None`, a PyTorch habit, means 0
                node.grad = 0.0
        self.grad += numerics.to_float(gradient, "backward(gradient=)")
        check = current().anomaly
        for node in reversed(order):
            # node.backward_step(), written out for one or two parents read from the
            # slots: W1's backward pass takes 10 ms this way, 22 through the method.
            a = node._a
            if a is not None:
                a.grad += node.grad * node._da
                b = node._b
                if b is not None:
                    b.grad += node.grad * node._db
            elif node._b is not None:  # more than two parents
                node.backward_step()
            if check:
                check_backward(node)


class Constant(Value):
    """A number written in an expression (the 2 in ``2 * a``): a leaf the
    drawing folds into its gate (``*2``). Otherwise an ordinary Value.

    >>> type((2 * Value(1.0)).parents[0]).__name__
    'Constant'
    """

    __slots__ = ()


def apply(op: Op, *operands: Operand) -> Value:
    """Compute ``op`` on the operands and record how. Numbers become Constant leaves.

    >>> y = apply(OPS["mul"], Value(3.0), 4)
    >>> y.data, y.op, y.local_grads
    (12.0, '*', (4.0, 3.0))
    """
    parents = _as_values(op, operands)
    if parents is NotImplemented:  # another library's type: let it try (Python asks it next)
        return NotImplemented  # type: ignore[no-any-return]
    inputs = (*[p.data for p in parents], *op.param)
    data = op.forward(numerics, *inputs)  # ops.py: `numerics` is the arithmetic of floats
    local_grads = op.local(numerics, data, *inputs)
    if len(parents) == 1:
        return _record(op, data, parents[0], local_grads[0], None, 0.0)
    if len(parents) == 2:
        return _record(op, data, parents[0], local_grads[0], parents[1], local_grads[1])
    return _record(op, data, None, 0.0, parents, tuple(local_grads))


def _record(op: Op, data: float, a: Value | None, da: float, b: Any, db: Any) -> Value:
    """The new node ``data = op(a, b)`` with its local derivatives; a leaf under ``no_grad``.

    ``+`` and ``*`` of a Value and a Value or a number come here straight from
    ``__add__``, ``__mul__`` and their mirrors, with the table's forward and
    local derivatives written out (a test checks they agree with ``OPS``):
    nearly every node of a network is one of them, and skipping apply()'s
    general steps makes the W1 step of benchmarks/bench_engine.py take 46 ms
    instead of 88.
    """
    modes = current()
    out = Value.__new__(Value)  # not Value(): its checks are for numbers a user gives
    out._data = data
    out.grad = 0.0
    out.scope = modes.scope
    out._walk = None
    if modes.grad_enabled:
        out.operation = op
        out._a = a
        out._da = da
        out._b = b
        out._db = db
    else:  # no_grad: a leaf
        out.operation = None
        out._a = out._b = None
        out._da = out._db = 0.0
    if modes.anomaly:
        check_forward(out)
    return out


def maximum(a: Operand, b: Operand) -> Value:
    """``a.max(b)`` for Values or numbers.

    >>> maximum(2, Value(3.0)).data
    3.0
    """
    return apply(OPS["max"], a, b)


_WALKING = threading.Lock()


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, each after its parents, root last.

    Iterative, so a chain a million nodes deep is fine (a recursive walk, as
    micrograd's, stops near Python's recursion limit of 1,000). The stack is
    the path being explored: its top descends into its first parent not yet
    visited, and is emitted once it has none left. Parents are visited in the
    order written, so the order is the same every time.

    >>> a = Value(2.0, label="a")
    >>> [v.op or v.label for v in topological_order((a * a).exp())]
    ['a', '*', 'exp']
    """
    # A visited node holds this walk's token in its _walk slot, rather than being
    # kept in a set: W1's walk takes 8 ms instead of 11. The lock keeps two
    # threads that walk the same nodes from reading each other's marks.
    with _WALKING:
        walk = object()
        order: list[Value] = []
        stack = [root]
        root._walk = walk
        node = root
        while True:
            parent = node._a  # node.parents, read from the slots
            if parent is None or parent._walk is walk:
                parent = node._b
                if type(parent) is tuple:  # more than two parents
                    parent = next((p for p in parent if p._walk is not walk), None)
                elif parent is not None and parent._walk is walk:
                    parent = None
                if parent is None:  # every parent is in the order already
                    order.append(stack.pop())
                    if not stack:
                        return order
                    node = stack[-1]
                    continue
            parent._walk = walk
            stack.append(parent)
            node = parent


def _as_values(op: Op, operands: tuple[object, ...]) -> Any:
    """The operands with numbers made Constant leaves; a TypeError naming anything else
    of Python's own (str, None, list, …); NotImplemented for another library's type."""
    parents = []
    for x in operands:
        if isinstance(x, Value):
            parents.append(x)
        elif numerics.is_real(x):
            parents.append(Constant(x))  # type: ignore[arg-type]
        else:
            reflected = len(operands) == 2 and x is operands[0]  # `x + a`: Python asked a.__radd__
            return numerics.not_an_operand(op.symbol, x, reflected=reflected)
    return tuple(parents)


def _number(x: object) -> Constant | None:
    """A float or int operand of + or * as the Constant leaf it becomes; None for anything else."""
    return Constant(x) if type(x) is float or type(x) is int else None  # type: ignore[arg-type]


def _negated(x: object) -> Any:
    """−x for a number subtracted from a Value (folded now: ``a - 3`` is ``a + -3``)."""
    return -numerics.to_float(x, "-") if numerics.is_real(x) else numerics.not_an_operand("-", x)
