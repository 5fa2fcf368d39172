"""A Value behaves like the number it holds wherever Python expects a number.

As a 0-d PyTorch tensor does: ``float(v)``, ``int(v)``, ``v.item()``,
``round(v)``, ``f"{loss:.4f}"``, and comparisons with Values or numbers that
return a plain ``bool`` — so ``sorted(values)``, the built-in ``max`` and
``if loss < best:`` work. Comparisons read ``.data`` and record nothing (they
are not differentiable). Values stay hashable by identity: two Values holding
the same number are still two nodes, as dict keys and in sets.

>>> from autograd import Value
>>> loss = Value(0.25)
>>> f"{loss:.4f}", float(loss), loss < 0.5, loss == Value(0.25)
('0.2500', 0.25, True, True)
"""

from __future__ import annotations

from typing import Any

from . import numerics
from .modes import check_float


def _number(x: object) -> float | None:
    """The number an operand of a comparison stands for, or None if it is not one."""
    if isinstance(x, NumberLike):
        return x.data
    return float(x) if numerics.is_real(x) else None  # type: ignore[arg-type]


class NumberLike:
    """Conversions, formatting and comparisons, all through ``.data``.

    >>> from autograd import Value
    >>> sorted([Value(3.0), Value(1.0)], key=float)[0].data, max(Value(1.0), Value(2.0)).data
    (1.0, 2.0)
    """

    __slots__ = ()
    data: float

    __hash__ = object.__hash__  # by identity: defining == would otherwise make Values unhashable

    def __float__(self) -> float:
        check_float("float")
        return self.data

    def __int__(self) -> int:
        check_float("int")
        return int(self.data)

    def __round__(self, ndigits: int | None = None) -> Any:
        return round(self.data, ndigits)

    def __bool__(self) -> bool:
        return self.data != 0.0

    def item(self) -> float:
        """The number, as PyTorch's ``tensor.item()``.

        >>> from autograd import Value
        >>> Value(2).item()
        2.0
        """
        check_float("float")
        return self.data

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else str(self)

    def __eq__(self, other: object) -> bool:
        x = _number(other)
        return NotImplemented if x is None else self.data == x

    def __ne__(self, other: object) -> bool:
        x = _number(other)
        return NotImplemented if x is None else self.data != x

    def __lt__(self, other: object) -> bool:
        x = _number(other)
        return NotImplemented if x is None else self.data < x

    def __le__(self, other: object) -> bool:
        x = _number(other)
        return NotImplemented if x is None else self.data <= x

    def __gt__(self, other: object) -> bool:
        x = _number(other)
        return NotImplemented if x is None else self.data > x

    def __ge__(self, other: object) -> bool:
        x = _number(other)
        return NotImplemented if x is None else self.data >= x
