"""Your own gates: an operation defined by its forward function and its local derivatives.

The lecture packages every gate the same way — a forward function, and the
local gradient of its output with respect to each input — and then builds a
"sigmoid gate" whose local gradient is σ(1−σ). ``gate`` does exactly that:
the new operation records one node per use, draws as one gate holding its
symbol, and ``backward()``, ``gradcheck`` and ``grad`` treat it like a
built-in. Write ``local`` with the same arithmetic you would write on paper
(``out * (1 - out)``): it then works on numbers for ``backward()`` and on
Values for ``grad(..., create_graph=True)``, so even its second derivative
is right. (A ``local`` that leaves Values for ``math`` functions raises a
TypeError under ``create_graph=True`` rather than silently dropping terms.)

>>> import math
>>> from autograd import Value
>>> sigmoid = gate("σ", lambda x: 1 / (1 + math.exp(-x)), lambda out, x: (out * (1 - out),))
>>> y = sigmoid(Value(0.0, label="x"))
>>> y.backward()
>>> y.op, y.data, y.parents[0].grad
('σ', 0.5, 0.25)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import numerics
from .engine import Value, apply
from .ops import Op


class Gate:
    """An operation of your own: call it with Values or numbers to record one node.

    >>> from autograd import Value
    >>> twice = gate("×2", lambda x: 2 * x, lambda out, x: (2.0,))
    >>> twice(Value(3.0)).data, twice
    (6.0, gate('×2'))
    """

    def __init__(self, op: Op) -> None:
        self.op = op

    def __call__(self, *operands: Value | float) -> Value:
        if not operands:
            raise TypeError(f"gate {self.op.symbol!r} needs at least one operand")
        return apply(self.op, *operands)

    def __repr__(self) -> str:
        return f"gate({self.op.symbol!r})"


def gate(symbol: str, forward: Callable[..., float], local: Callable[..., Any]) -> Gate:
    """A new operation: ``forward(*xs) -> out`` and ``local(out, *xs)`` -> ∂out/∂x, one per operand.

    >>> from autograd import Value
    >>> mul3 = gate("xyz", lambda x, y, z: x * y * z, lambda out, x, y, z: (y * z, x * z, x * y))
    >>> f = mul3(Value(2.0), Value(3.0), 4)
    >>> f.backward()
    >>> [p.grad for p in f.parents]
    [12.0, 8.0, 6.0]
    """
    if not isinstance(symbol, str) or not symbol.strip():
        raise TypeError(f"gate() takes a symbol to draw in the gate, a non-empty str; got {numerics.describe(symbol)}")
    for name, fn in (("forward", forward), ("local", local)):
        if not callable(fn):
            raise TypeError(f"gate {symbol!r}: {name} must be a function, got {numerics.describe(fn)}")

    def checked_forward(m: Any, *xs: float) -> float:
        out = forward(*xs)
        if not numerics.is_real(out):
            raise TypeError(
                f"gate {symbol!r}: forward{_args(xs)} returned {numerics.describe(out)}; it must return a number"
            )
        return numerics.to_float(out, "forward")

    def checked_local(m: Any, out: Any, *xs: Any) -> tuple[Any, ...]:
        derivatives = local(out, *xs)
        if len(xs) == 1 and (numerics.is_real(derivatives) or isinstance(derivatives, Value)):
            derivatives = (derivatives,)  # one operand: a bare derivative will do
        if not isinstance(derivatives, (tuple, list)) or len(derivatives) != len(xs):
            given = (
                f"{len(derivatives)} derivatives"
                if isinstance(derivatives, (tuple, list))
                else numerics.describe(derivatives)
            )
            raise TypeError(
                f"gate {symbol!r}: local(out, {', '.join('x' + str(i) for i in range(len(xs)))}) returned {given}; "
                f"it must return one derivative ∂out/∂x per operand ({len(xs)}), as a tuple"
            )
        for i, d in enumerate(derivatives):
            if not (numerics.is_real(d) or isinstance(d, Value)):
                shown = numerics.describe(d)
                raise TypeError(
                    f"gate {symbol!r}: local's derivative for operand {i} is {shown}; each must be a number"
                )
        if isinstance(out, Value):  # evaluated on Values, for grad(..., create_graph=True)
            return tuple(derivatives)
        return tuple(numerics.to_float(d, "local") for d in derivatives)

    return Gate(Op(
        name=symbol, symbol=symbol, glyph=symbol, arity=0, forward=checked_forward, local=checked_local,
        derivative="your local()",
    ))  # fmt: skip


def _args(xs: tuple[float, ...]) -> str:
    return "(" + ", ".join(repr(x) for x in xs) + ")"
