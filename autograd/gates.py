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

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import numerics
from .engine import Value, apply
from .ops import Op


class Gate:
    """An operation of your own: call it with Values or numbers to record one node.

    ``symbol`` is what ``.op`` holds and what the drawing writes in the
    circle; ``forward`` and ``local`` are your two functions, as given.

    >>> from autograd import Value
    >>> twice = gate("×2", lambda x: 2 * x, lambda out, x: (2.0,))
    >>> twice(Value(3.0)).data, twice, twice.symbol
    (6.0, gate('×2'), '×2')
    """

    def __init__(self, op: Op, forward: Callable[..., float], local: Callable[..., Any]) -> None:
        self.op = op  # the table entry every node it records points to (``node.operation``)
        self.forward = forward
        self.local = local

    @property
    def symbol(self) -> str:
        """The gate's symbol: ``.op`` of every node it records, and the glyph drawn in its circle."""
        return self.op.symbol

    def __call__(self, *operands: Value | float) -> Value:
        if not operands:
            raise TypeError(f"gate {self.symbol!r} needs at least one operand (a Value or a number)")
        return apply(self.op, *operands)

    def __repr__(self) -> str:
        return f"gate({self.symbol!r})"


def gate(symbol: str, forward: Callable[..., float], local: Callable[..., Any]) -> Gate:
    """A new operation: ``forward(*xs) -> out`` and ``local(out, *xs)`` -> ∂out/∂x, one per operand.

    ``forward`` gets the operands as floats and returns a number. ``local``
    gets the output and the operands and returns a tuple with one
    derivative per operand (a bare number will do for one operand). A gate
    takes any number of operands; numbers become constant leaves.

    >>> from autograd import Value
    >>> mul3 = gate("xyz", lambda x, y, z: x * y * z, lambda out, x, y, z: (y * z, x * z, x * y))
    >>> f = mul3(Value(2.0), Value(3.0), 4)
    >>> f.backward()
    >>> [p.grad for p in f.parents]
    [12.0, 8.0, 6.0]
    """
    if not isinstance(symbol, str) or not symbol.strip():
        raise TypeError(
            f"gate() takes a symbol to draw in the gate, a non-empty str such as 'σ'; got {numerics.describe(symbol)}"
        )
    for name, fn in (("forward", forward), ("local", local)):
        if not callable(fn):
            raise TypeError(f"gate {symbol!r}: {name} must be a function, got {numerics.describe(fn)}")

    def checked_forward(m: Any, *xs: float) -> float:
        with _naming(symbol, "forward", xs):
            out = forward(*xs)
        if isinstance(out, Value):
            raise TypeError(
                f"gate {symbol!r}: forward{_args(xs)} returned a Value; forward computes on plain numbers "
                "(the floats it is given) and must return a number"
            )
        if not numerics.is_real(out):
            raise TypeError(
                f"gate {symbol!r}: forward{_args(xs)} returned {numerics.describe(out)}; it must return a number"
            )
        return numerics.to_float(out, f"gate {symbol!r} forward")

    def checked_local(m: Any, out: Any, *xs: Any) -> tuple[Any, ...]:
        on_values = isinstance(out, Value)  # evaluated on Values, for grad(..., create_graph=True)
        with _naming(symbol, "local", (out, *xs)):
            derivatives = local(out, *xs)
        if len(xs) == 1 and (numerics.is_real(derivatives) or isinstance(derivatives, Value)):
            derivatives = (derivatives,)  # one operand: a bare derivative will do
        elif _is_sequence(derivatives):
            derivatives = tuple(derivatives)  # a tuple, a list, a NumPy array, a generator
        call = f"local(out, {', '.join(f'x{i}' for i in range(len(xs)))})"
        if not isinstance(derivatives, tuple) or len(derivatives) != len(xs):
            given = (
                f"{len(derivatives)} derivative{'' if len(derivatives) == 1 else 's'}"
                if isinstance(derivatives, tuple)
                else numerics.describe(derivatives)
            )
            raise TypeError(
                f"gate {symbol!r}: {call} returned {given}; it must return one derivative ∂out/∂x per "
                f"operand ({len(xs)}), as a tuple"
            )
        for i, d in enumerate(derivatives):
            if isinstance(d, Value) and not on_values:
                raise TypeError(
                    f"gate {symbol!r}: {call} gave a Value as the derivative for operand {i}; with numbers in, "
                    "local must give numbers out (a Value from outside the gate would not be differentiated)"
                )
            if not (numerics.is_real(d) or isinstance(d, Value)):
                raise TypeError(
                    f"gate {symbol!r}: {call} gave {numerics.describe(d)} as the derivative for operand {i}; "
                    "each derivative must be a number"
                )
        if on_values:
            return tuple(derivatives)
        return tuple(numerics.to_float(d, f"gate {symbol!r} local") for d in derivatives)

    op = Op(
        name=symbol, symbol=symbol, glyph=symbol, arity=0, forward=checked_forward, local=checked_local,
        derivative="your local()",
    )  # fmt: skip
    return Gate(op, forward, local)


@contextmanager
def _naming(symbol: str, which: str, args: tuple[Any, ...]) -> Iterator[None]:
    """Let an error raised inside your function say which gate and which call it came from
    (``math.exp(1000)`` says only "math range error"). A note on Python 3.11+; unchanged before."""
    try:
        yield
    except Exception as error:
        if hasattr(error, "add_note"):
            error.add_note(f"(raised in gate {symbol!r}: {which}{_args(args)})")
        raise


def _is_sequence(x: object) -> bool:
    """Several derivatives: anything iterable but a str or a Value (a 0-d array is one number)."""
    return hasattr(x, "__iter__") and not isinstance(x, (str, bytes, Value)) and getattr(x, "shape", None) != ()


def _args(xs: tuple[Any, ...]) -> str:
    return "(" + ", ".join(repr(x.data) if isinstance(x, Value) else repr(x) for x in xs) + ")"
