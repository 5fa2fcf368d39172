"""Python's other operators, written with the primitives.

Each is a composition of the operations of the table, recorded step by step
the way the CS231n lecture draws it: ``-a`` is ``a * -1`` (a ``*-1`` gate),
``a - b`` is ``a + (b * -1)``, ``a / b`` is ``a * b.reciprocal()``, and
``1 / a`` is just ``a.reciprocal()`` (the ``1/x`` gate). ``Value`` inherits
them from ``DerivedOperators``.

>>> from autograd import Value
>>> a, b = Value(6.0, label="a"), Value(3.0, label="b")
>>> q = a / b
>>> q.data, q.op, [p.op or p.label for p in q.parents]
(2.0, '*', ['a', '1/x'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import numerics
from .node import Node

if TYPE_CHECKING:
    from .value import Number, Operand, Value


class DerivedOperators:
    """-a, a − b, a / b and their mirrored forms (2 − a, 2 / a), for ``Value``.

    >>> from autograd import Value
    >>> (2 - Value(5.0)).data, (1 / Value(4.0)).op
    (-3.0, '1/x')
    """

    __slots__ = ()

    if TYPE_CHECKING:  # the primitives the compositions use, defined by Value

        def __add__(self, other: Operand) -> Value: ...
        def __mul__(self, other: Operand) -> Value: ...
        def reciprocal(self) -> Value: ...

    def __neg__(self) -> Value:
        """−a, recorded as a * −1 (the lecture's ``*-1`` gate).

        >>> from autograd import Value
        >>> (-Value(2.0)).op
        '*'
        """
        return self * -1

    def __sub__(self, other: Operand) -> Value:
        """a − b, recorded as a + (b * −1); a number b is negated in place.

        >>> from autograd import Value
        >>> (Value(5.0) - Value(3.0)).data
        2.0
        """
        if isinstance(other, Node):
            return self + other * -1
        return self + -float(other) if numerics.is_real(other) else numerics.not_an_operand("-", other)

    def __rsub__(self, other: Operand) -> Value:
        """2 − a, recorded as 2 + (a * −1).

        >>> from autograd import Value
        >>> (2 - Value(5.0)).data
        -3.0
        """
        return other + self * -1 if numerics.is_real(other) else numerics.not_an_operand("-", other, reflected=True)

    def __truediv__(self, other: Operand) -> Value:
        """a / b, recorded as a * b.reciprocal(); dividing by a number multiplies by its reciprocal.

        >>> from autograd import Value
        >>> (Value(6.0) / Value(3.0)).data
        2.0
        """
        if isinstance(other, Node):
            return self * other.reciprocal()
        if not numerics.is_real(other):
            return numerics.not_an_operand("/", other)
        return self * numerics.reciprocal(float(other))

    def __rtruediv__(self, other: Operand) -> Value:
        """1 / a is just a.reciprocal() (the lecture's ``1/x`` gate); c / a is c * a.reciprocal().

        >>> from autograd import Value
        >>> (1 / Value(4.0)).op
        '1/x'
        """
        if not numerics.is_real(other):
            return numerics.not_an_operand("/", other, reflected=True)
        return self.reciprocal() if other == 1 else other * self.reciprocal()

    def __rpow__(self, base: Number) -> Value:
        """number ** Value is refused with the alternative spelled out.

        >>> from autograd import Value
        >>> 2 ** Value(3.0)
        Traceback (most recent call last):
        ...
        TypeError: number ** Value is not supported: for b ** a write (a * math.log(b)).exp()
        """
        raise TypeError("number ** Value is not supported: for b ** a write (a * math.log(b)).exp()")
