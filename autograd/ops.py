"""The table of primitive operations — the single source of truth.

Each primitive is declared once: the method that builds it, the symbol
stored in ``Value.op``, how many Value operands it takes, the forward
function, the local derivatives ∂out/∂input (written through the output
``out`` where that is cheaper: exp → out, 1/x → −out², σ → out(1−out),
tanh → 1−out²), the glyph the drawing puts in the gate circle, and the
domain the property tests sample from. The engine's one apply-and-record
path, the visualizer's glyphs and the parametrized tests all read it.

Two operations carry a number that is not an operand: ``a ** n`` (the
exponent) and ``a.leaky_relu(slope)``. It is passed after the operands.

>>> OPS["exp"].forward(0.0), OPS["exp"].local(1.0, 0.0)
(1.0, (1.0,))
>>> lookup("**2").name
'pow'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import numerics as F

Interval = tuple[float, float]


@dataclass(frozen=True)
class Op:
    """One primitive: how to compute it, differentiate it and draw it."""

    name: str  # the Value method: a.exp()
    symbol: str  # stored in .op ("**" gets its exponent appended: "**2")
    arity: int  # Value operands (a parameter such as the exponent is extra)
    forward: Callable[..., float]  # (*operands, *param) -> out
    local: Callable[..., tuple[float, ...]]  # (out, *operands, *param) -> ∂out/∂operand each
    glyph: str  # what the drawing writes in the gate circle
    domain: tuple[Interval, ...]  # where tests sample each operand: a union of intervals, away from kinks
    derivative: str  # the local derivative in words, for docs and the README table
    param: Interval | None = None  # where tests draw the extra number (the exponent, the slope), if any


def _max_local(out: float, a: float, b: float) -> tuple[float, float]:
    # The router: the whole gradient goes to the larger operand (ties: the first).
    return (1.0, 0.0) if (a >= b or a != a) else (0.0, 1.0)


def _pow_local(out: float, x: float, n: float) -> tuple[float]:
    # n·x^(n−1); for n == 0 the function is constant, so 0 (as PyTorch does,
    # rather than 0 · x^−1, which is nan at x = 0).
    return (0.0 if n == 0.0 else n * F.power(x, n - 1.0),)


def _leaky_relu_local(out: float, x: float, slope: float) -> tuple[float]:
    return (1.0 if x > 0.0 else slope,)


_WIDE: tuple[Interval, ...] = ((-5.0, 5.0),)
_POSITIVE: tuple[Interval, ...] = ((0.1, 5.0),)
_NO_ZERO: tuple[Interval, ...] = ((-5.0, -0.1), (0.1, 5.0))

OPS: dict[str, Op] = {
    op.name: op
    for op in [
        Op("add", "+", 2, lambda a, b: a + b, lambda out, a, b: (1.0, 1.0), "+", _WIDE, "1, 1"),
        Op("mul", "*", 2, lambda a, b: a * b, lambda out, a, b: (b, a), "*", _WIDE, "b, a"),
        Op("pow", "**", 1, F.power, _pow_local, "**", _POSITIVE, "n·a^(n−1)", (-3.0, 3.0)),
        Op("exp", "exp", 1, F.exp, lambda out, a: (out,), "exp", _WIDE, "e^a = out"),
        Op("log", "log", 1, F.log, lambda out, a: (F.reciprocal(a),), "log", _POSITIVE, "1/a"),
        Op("reciprocal", "1/x", 1, F.reciprocal, lambda out, a: (-out * out,), "1/x", _NO_ZERO, "−1/a² = −out²"),
        Op("max", "max", 2, F.maximum, _max_local, "max", _WIDE, "1 to the larger, 0 to the other (ties: the first)"),
        Op("relu", "relu", 1, F.relu, lambda out, a: (1.0 if a > 0.0 else 0.0,), "relu", _NO_ZERO, "1 if a > 0 else 0"),
        Op("leaky_relu", "leaky_relu", 1, F.leaky_relu, _leaky_relu_local, "lrelu", _NO_ZERO, "1 or slope", (0.0, 1.0)),
        Op("tanh", "tanh", 1, F.tanh, lambda out, a: (1.0 - out * out,), "tanh", _WIDE, "1 − tanh² = 1 − out²"),
        Op("sigmoid", "sigmoid", 1, F.sigmoid, lambda out, a: (out * (1.0 - out),), "σ", _WIDE, "σ(1−σ) = out(1−out)"),
    ]
}

_BY_SYMBOL = {op.symbol: op for op in OPS.values()}


def lookup(symbol: str) -> Op:
    """The Op whose ``.op`` symbol this is (``"**2"`` finds ``pow``).

    >>> lookup("sigmoid").glyph
    'σ'
    """
    if symbol.startswith("**"):
        return OPS["pow"]
    try:
        return _BY_SYMBOL[symbol]
    except KeyError:
        known = ", ".join(repr(s) for s in _BY_SYMBOL)
        raise KeyError(f"no operation has symbol {symbol!r}; known: {known}") from None
