"""``Value``: a number that remembers how it was made.

Every operation on Values returns a new Value that records its operands,
the operation's symbol and the local derivatives ∂out/∂operand (the record
and ``backward()`` are in ``node.py``). The operations are declared once, in
the table in ``ops.py``; each method here is a typed one-liner that runs its
table entry through one recording path, ``_record`` (``+`` and ``*``, the
bulk of any network, spell that path out inline for speed). Python's other
operators (``-a``, ``a - b``, ``a / b``) are compositions of these
primitives, in ``derived.py``.

>>> x = Value(-2.0, label="x"); y = Value(5.0, label="y"); z = Value(-4.0, label="z")
>>> f = (x + y) * z
>>> f.backward()
>>> x.grad, y.grad, z.grad
(-4.0, -4.0, 3.0)
"""

from __future__ import annotations

from typing import Union

from . import numerics
from .derived import DerivedOperators
from .modes import check_forward, mode
from .node import Node
from .ops import OPS, Op

Number = int | float
Operand = Union["Value", int, float]


class Value(Node, DerivedOperators):
    """A scalar in a computation graph: ``.data``, and after ``backward()``
    the gradient ``.grad`` of the output with respect to it.

    >>> a = Value(2.0, label="a")
    >>> a
    Value(a, data=2.0, grad=0.0)
    >>> (a * a).parents == (a, a)  # both wires kept
    True
    """

    __slots__ = ()  # the slots are Node's

    # ---- the primitives, each recorded as one node ----------------------

    def __add__(self, other: Operand) -> Value:
        """a + b; local derivatives 1, 1 (the "gradient distributor").

        >>> (Value(1.0) + 2).data
        3.0
        """
        b = other if type(other) is Value else _operand(other)
        if b is None:
            return numerics.not_an_operand("+", other)
        if not mode.plain:  # under no_grad or detect_anomaly: the general path
            return _record(self.data + b.data, "+", self, 1.0, b, 1.0)
        # + and * are most nodes of any network, so they build the node inline:
        # a function call less, ~20% faster per node; tests check they match the table.
        out = _new(Value)
        out.data = self.data + b.data
        out.grad = 0.0
        out.label = ""
        out.op = "+"
        out.scope = mode.scope
        out._a = self
        out._da = 1.0
        out._b = b
        out._db = 1.0
        out._seen = None
        return out

    def __radd__(self, other: Operand) -> Value:
        """2 + a: the number comes first, as written (so ``sum()`` works).

        >>> sum([Value(1.0), Value(2.0)]).data
        3.0
        """
        a = _operand(other)
        if a is None:
            return numerics.not_an_operand("+", other, reflected=True)
        return _record(a.data + self.data, "+", a, 1.0, self, 1.0)

    def __mul__(self, other: Operand) -> Value:
        """a * b; local derivatives b, a (the "swap multiplier").

        >>> (Value(3.0) * 4).data
        12.0
        """
        b = other if type(other) is Value else _operand(other)
        if b is None:
            return numerics.not_an_operand("*", other)
        x, y = self.data, b.data
        if not mode.plain:
            return _record(x * y, "*", self, y, b, x)
        out = _new(Value)  # inline, as in __add__
        out.data = x * y
        out.grad = 0.0
        out.label = ""
        out.op = "*"
        out.scope = mode.scope
        out._a = self
        out._da = y
        out._b = b
        out._db = x
        out._seen = None
        return out

    def __rmul__(self, other: Operand) -> Value:
        """3 * a, recorded with the number first.

        >>> (3 * Value(4.0)).parents[0].data
        3.0
        """
        a = _operand(other)
        if a is None:
            return numerics.not_an_operand("*", other, reflected=True)
        x, y = a.data, self.data
        return _record(x * y, "*", a, y, self, x)

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
        if not numerics.is_real(n):
            return numerics.not_an_operand("**", n)
        n = float(n)
        return _unary(_POW, self, n, symbol=f"**{n:g}")

    def exp(self) -> Value:
        """e^a; local derivative e^a (the output itself).

        >>> Value(0.0).exp().data
        1.0
        """
        return _unary(_EXP, self)

    def log(self) -> Value:
        """Natural log; local derivative 1/a. nan below 0, −inf at 0.

        >>> Value(1.0).log().data
        0.0
        """
        return _unary(_LOG, self)

    def reciprocal(self) -> Value:
        """1/a; local derivative −1/a². inf at 0, never ZeroDivisionError.

        >>> Value(4.0).reciprocal().data
        0.25
        """
        return _unary(_RECIPROCAL, self)

    def max(self, other: Operand) -> Value:
        """The larger of a and b; the gradient goes to it alone (ties: to a).

        >>> Value(2.0).max(-1).data
        2.0
        """
        b = _operand(other)
        if b is None:
            raise TypeError(f"max() takes a Value, int or float, got {numerics.describe(other)}")
        x, y = self.data, b.data
        out = _MAX.forward(x, y)
        da, db = _MAX.local(out, x, y)
        return _record(out, _MAX.symbol, self, da, b, db)

    def relu(self) -> Value:
        """max(a, 0); local derivative 1 if a > 0 else 0 (0 at the kink).

        >>> Value(-3.0).relu().data
        0.0
        """
        return _unary(_RELU, self)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """a if a > 0 else slope·a; local derivative 1 or slope.

        >>> Value(-2.0).leaky_relu(0.1).data
        -0.2
        """
        return _unary(_LEAKY_RELU, self, numerics.to_float(slope, "leaky_relu(slope=)"))

    def tanh(self) -> Value:
        """tanh(a); local derivative 1 − tanh². Exact ±1 at large |a|.

        >>> Value(0.0).tanh().data
        0.0
        """
        return _unary(_TANH, self)

    def sigmoid(self) -> Value:
        """σ(a) = 1/(1+e^−a) as one gate; local derivative σ(1−σ).

        >>> Value(0.0).sigmoid().data
        0.5
        """
        return _unary(_SIGMOID, self)


class Constant(Value):
    """A number written in an expression (the 2 in ``2 * a``): a leaf the
    drawing folds into its gate (``*2``). Otherwise an ordinary Value.

    >>> type((2 * Value(1.0)).parents[0]).__name__
    'Constant'
    """

    __slots__ = ()


def maximum(a: Operand, b: Operand) -> Value:
    """``a.max(b)`` for Values or numbers.

    >>> maximum(2, Value(3.0)).data
    3.0
    """
    first = _operand(a)
    if first is None:
        raise TypeError(f"maximum() takes Values, ints or floats, got {numerics.describe(a)}")
    return first.max(b)


_POW, _EXP, _LOG, _RECIPROCAL, _MAX, _RELU, _LEAKY_RELU, _TANH, _SIGMOID = (
    OPS[name] for name in ("pow", "exp", "log", "reciprocal", "max", "relu", "leaky_relu", "tanh", "sigmoid")
)
_new = object.__new__  # a bare node without running __init__'s checks: the inputs are already floats


def _operand(x: object) -> Value | None:
    """A Value for an operand: Values as they are, numbers as Constant leaves, else None."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or numerics.is_real(x):  # exact types first: cheap
        return _leaf(Constant, float(x))  # type: ignore[arg-type]
    return None


def _leaf(cls: type[Value], data: float) -> Value:
    """A new node holding ``data`` with no operands, built without ``__init__``'s checks (``data`` is a float)."""
    out = _new(cls)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.op = ""
    out.scope = mode.scope
    out._a = out._b = None
    out._da = out._db = 0.0
    out._seen = None
    return out


def _unary(op: Op, a: Value, *param: float, symbol: str = "") -> Value:
    """Apply a one-operand entry of the table: compute, differentiate, record.

    The local derivative is computed now, while the input is at hand, so
    backward() is one multiply-add per wire.
    """
    x = a.data
    out = op.forward(x, *param)
    (da,) = op.local(out, x, *param)
    return _record(out, symbol or op.symbol, a, da)


def _record(data: float, symbol: str, a: Value, da: float, b: Value | None = None, db: float = 0.0) -> Value:
    """The new node ``symbol(a, b) = data`` with its local derivatives; a leaf under no_grad."""
    out = _leaf(Value, data)
    if mode.grad_enabled:
        out.op = symbol
        out._a = a
        out._da = da
        out._b = b
        out._db = db
    if mode.anomaly:
        check_forward(out, symbol, a, b)
    return out
