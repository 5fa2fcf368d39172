"""``Value``: a number that remembers how it was made, and ``backward()``.

Every operation on Values returns a new Value that records its operands
(``.parents``), the operation's symbol (``.op``) and the local
derivatives ∂out/∂operand, computed once during the forward pass.
``backward()`` then applies the chain rule in one loop over the nodes in
reverse topological order. The operations themselves are declared once,
in the table in ``ops.py``; every method here goes through ``_apply``.

>>> x = Value(-2.0, label="x"); y = Value(5.0, label="y"); z = Value(-4.0, label="z")
>>> f = (x + y) * z
>>> f.backward()
>>> x.grad, y.grad, z.grad
(-4.0, -4.0, 3.0)
"""

from __future__ import annotations

import numbers
from typing import Union

from . import numerics
from .graph import topological_order
from .modes import mode
from .ops import OPS, Op

Number = Union[int, float]
Operand = Union["Value", int, float]


def _as_float(x: object, where: str) -> float:
    """``x`` as a float, or a TypeError that names what was given."""
    if type(x) is float:  # the common case first: one type check
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)  # int, numpy scalars, Fraction
    shown = repr(x)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    raise TypeError(f"{where} takes an int or float, got {type(x).__name__} {shown}")


class Value:
    """A scalar in a computation graph: ``.data``, and after ``backward()``
    the gradient ``.grad`` of the output with respect to it.

    >>> a = Value(2.0, label="a")
    >>> a
    Value(a, data=2.0, grad=0.0)
    >>> (a * a).parents == (a, a)  # both wires kept
    True
    """

    # __slots__: no per-instance dict, about half the memory of a plain object.
    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads", "scope", "__weakref__")

    data: float
    grad: float
    label: str
    op: str
    parents: tuple[Value, ...]
    local_grads: tuple[float, ...]
    scope: str | None

    def __init__(self, data: Number, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__} {label!r}")
        self.data = _as_float(data, "Value()")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents = ()
        self.local_grads = ()
        self.scope = mode.scope

    def __repr__(self) -> str:
        name = f"{self.label}, " if self.label else ""
        return f"{type(self).__name__}({name}data={self.data!r}, grad={self.grad!r})"

    # ---- the operations: typed one-liners over the op table ----------------

    def __add__(self, other: Operand) -> Value:
        """a + b; local derivatives 1, 1 (the "gradient distributor").

        >>> (Value(1.0) + 2).data
        3.0
        """
        b = other if isinstance(other, Value) else _operand(other)
        if b is None:
            return NotImplemented
        # + and * are most nodes of any network, so they skip _apply (3x faster);
        # tests/test_ops.py checks that they agree with the table.
        return _record(self.data + b.data, "+", (self, b), _ONES)

    def __radd__(self, other: Operand) -> Value:
        """2 + a: the number comes first, as written (so ``sum()`` works).

        >>> sum([Value(1.0), Value(2.0)]).data
        3.0
        """
        a = _operand(other)
        return NotImplemented if a is None else _record(a.data + self.data, "+", (a, self), _ONES)

    def __mul__(self, other: Operand) -> Value:
        """a * b; local derivatives b, a (the "swap multiplier").

        >>> (Value(3.0) * 4).data
        12.0
        """
        b = other if isinstance(other, Value) else _operand(other)
        if b is None:
            return NotImplemented
        x, y = self.data, b.data
        return _record(x * y, "*", (self, b), (y, x))  # inlined like +

    def __rmul__(self, other: Operand) -> Value:
        """3 * a, recorded with the number first.

        >>> (3 * Value(4.0)).parents[0].data
        3.0
        """
        a = _operand(other)
        if a is None:
            return NotImplemented
        x, y = a.data, self.data
        return _record(x * y, "*", (a, self), (y, x))

    def __pow__(self, n: Number) -> Value:
        """a ** n for a number n, recorded as ``**n``; local derivative n·a^(n−1).

        >>> y = Value(3.0) ** 2
        >>> y.op, y.data
        ('**2', 9.0)
        """
        if isinstance(n, Value):
            raise TypeError(
                "Value ** Value is not supported: the exponent must be a number; "
                "for a Value exponent b write (b * a.log()).exp()"
            )
        if not _is_number(n):
            return NotImplemented
        n = float(n)
        return _apply(_POW, (self,), n, symbol=f"**{n:g}")

    def __rpow__(self, base: Number) -> Value:
        """number ** Value is refused with the alternative spelled out.

        >>> 2 ** Value(3.0)
        Traceback (most recent call last):
        ...
        TypeError: number ** Value is not supported: for b ** a write (a * math.log(b)).exp()
        """
        raise TypeError("number ** Value is not supported: for b ** a write (a * math.log(b)).exp()")

    def __neg__(self) -> Value:
        """−a, recorded as a * −1 (the lecture's ``*-1`` gate).

        >>> (-Value(2.0)).op
        '*'
        """
        return self * -1

    def __sub__(self, other: Operand) -> Value:
        """a − b, recorded as a + (b * −1); a number b is negated in place.

        >>> (Value(5.0) - Value(3.0)).data
        2.0
        """
        if isinstance(other, Value):
            return self + other * -1
        return self + (-_as_float(other, "Value - x")) if _is_number(other) else NotImplemented

    def __rsub__(self, other: Operand) -> Value:
        """2 − a, recorded as 2 + (a * −1).

        >>> (2 - Value(5.0)).data
        -3.0
        """
        return other + self * -1 if _is_number(other) else NotImplemented

    def __truediv__(self, other: Operand) -> Value:
        """a / b, recorded as a * b.reciprocal(); dividing by a number multiplies by its reciprocal.

        >>> (Value(6.0) / Value(3.0)).data
        2.0
        """
        if isinstance(other, Value):
            return self * other.reciprocal()
        if not _is_number(other):
            return NotImplemented
        return self * numerics.reciprocal(_as_float(other, "Value / x"))

    def __rtruediv__(self, other: Operand) -> Value:
        """1 / a is just a.reciprocal() (the lecture's ``1/x`` gate); c / a is c * a.reciprocal().

        >>> (1 / Value(4.0)).op
        '1/x'
        """
        if not _is_number(other):
            return NotImplemented
        return self.reciprocal() if other == 1 else other * self.reciprocal()

    def exp(self) -> Value:
        """e^a; local derivative e^a (the output itself).

        >>> Value(0.0).exp().data
        1.0
        """
        return _apply(_EXP, (self,))

    def log(self) -> Value:
        """Natural log; local derivative 1/a. nan below 0, −inf at 0.

        >>> Value(1.0).log().data
        0.0
        """
        return _apply(_LOG, (self,))

    def reciprocal(self) -> Value:
        """1/a; local derivative −1/a². inf at 0, never ZeroDivisionError.

        >>> Value(4.0).reciprocal().data
        0.25
        """
        return _apply(_RECIPROCAL, (self,))

    def max(self, other: Operand) -> Value:
        """The larger of a and b; the gradient goes to it alone (ties: to a).

        >>> Value(2.0).max(-1).data
        2.0
        """
        b = _operand(other)
        if b is None:
            _as_float(other, "Value.max()")  # raises a TypeError naming what was given
        return _apply(_MAX, (self, b))  # type: ignore[arg-type]

    def relu(self) -> Value:
        """max(a, 0); local derivative 1 if a > 0 else 0 (0 at the kink).

        >>> Value(-3.0).relu().data
        0.0
        """
        return _apply(_RELU, (self,))

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """a if a > 0 else slope·a; local derivative 1 or slope.

        >>> Value(-2.0).leaky_relu(0.1).data
        -0.2
        """
        return _apply(_LEAKY_RELU, (self,), _as_float(slope, "leaky_relu(slope=)"))

    def tanh(self) -> Value:
        """tanh(a); local derivative 1 − tanh². Exact ±1 at large |a|.

        >>> Value(0.0).tanh().data
        0.0
        """
        return _apply(_TANH, (self,))

    def sigmoid(self) -> Value:
        """σ(a) = 1/(1+e^−a) as one gate; local derivative σ(1−σ).

        >>> Value(0.0).sigmoid().data
        0.5
        """
        return _apply(_SIGMOID, (self,))

    # ---- the backward pass ----------------------------------------------

    def backward(self) -> None:
        """Fill ``.grad`` with ∂self/∂node for every node self depends on.

        Leaves accumulate across calls (as in PyTorch); every other node
        is reset first, so it holds the gradient of this pass only.

        >>> x = Value(3.0)
        >>> y = x * x
        >>> y.backward(); x.grad
        6.0
        >>> y.backward(); x.grad  # leaves accumulate
        12.0
        """
        order = topological_order(self)
        for node in order:
            if node.parents:
                node.grad = 0.0
        self.grad = 1.0 if self.parents else self.grad + 1.0
        check = mode.anomaly
        for node in reversed(order):
            upstream = node.grad
            # chain rule: downstream = upstream × local, summed over every use (fan-out)
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += upstream * local
            if check:
                _check_backward(node)


class Constant(Value):
    """A number written in an expression (the 2 in ``2 * a``): a leaf the
    drawing folds into its gate (``*2``). Otherwise an ordinary Value.

    >>> type((2 * Value(1.0)).parents[0]).__name__
    'Constant'
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Value(data={self.data!r}, grad={self.grad!r})"


def maximum(a: Operand, b: Operand) -> Value:
    """``a.max(b)`` for Values or numbers.

    >>> maximum(2, Value(3.0)).data
    3.0
    """
    first = a if isinstance(a, Value) else Constant(_as_float(a, "maximum()"))
    return first.max(b)


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _operand(x: object) -> Value | None:
    """A Value for an operand: Values as they are, numbers as Constant leaves."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or _is_number(x):  # exact types first: cheap
        c = _new(Constant)
        c.data = float(x)  # type: ignore[arg-type]
        c.grad = 0.0
        c.label = ""
        c.op = ""
        c.parents = ()
        c.local_grads = ()
        c.scope = mode.scope
        return c
    return None


_ADD, _MUL, _POW, _EXP, _LOG, _RECIPROCAL, _MAX, _RELU, _LEAKY_RELU, _TANH, _SIGMOID = (
    OPS[name]
    for name in ("add", "mul", "pow", "exp", "log", "reciprocal", "max", "relu", "leaky_relu", "tanh", "sigmoid")
)
_ONES = (1.0, 1.0)  # the local derivatives of every +, shared: no tuple per node
_new = object.__new__  # makes a bare Value without running __init__'s type checks


def _apply(op: Op, operands: tuple[Value, ...], *param: float, symbol: str = "") -> Value:
    """The path every operation takes (+ and * inline it): compute, record.

    The local derivatives are computed now, while the inputs are at hand,
    so backward() is one multiply-add per wire.
    """
    inputs = [v.data for v in operands]
    data = op.forward(*inputs, *param)
    if mode.grad_enabled:
        return _record(data, symbol or op.symbol, operands, op.local(data, *inputs, *param))
    return _record(data, "", (), ())


def _record(data: float, symbol: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """A new result node; a leaf when gradients are off (no_grad)."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.scope = mode.scope
    if mode.grad_enabled:
        out.op = symbol
        out.parents = parents
        out.local_grads = local_grads
    else:
        out.op = ""
        out.parents = ()
        out.local_grads = ()
    if mode.anomaly and not numerics.is_finite(data):
        raise FloatingPointError(f"{symbol} produced {data} from {_describe(parents)} (forward pass)")
    return out


def _describe(operands: tuple[Value, ...]) -> str:
    parts = [f"{v.label}={v.data}" if v.label else str(v.data) for v in operands]
    return ("input " if len(parts) == 1 else "inputs ") + ", ".join(parts)


def _check_backward(node: Value) -> None:
    for i, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
        contribution = node.grad * local
        if not numerics.is_finite(contribution):
            raise FloatingPointError(
                f"backward of {node.op} produced {contribution} for operand {i} "
                f"({_describe((parent,))}): upstream {node.grad} × local {local} (backward pass)"
            )
