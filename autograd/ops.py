"""The table of primitive operations — the single source of truth.

Each primitive is declared once, by keyword: the Value method that builds
it, the symbol stored in ``Value.op``, the glyph the drawing puts in the gate
circle, how many operands it takes, its forward function, its local
derivatives ∂out/∂operand (written through the output ``out`` where that is
cheaper: exp → out, 1/x → −out², σ → out(1−out), tanh → 1−out²), and the
domain the property tests sample from. The engine's one apply-and-record
path, the backward pass that records itself (``autograd.grad``), the
compiled batch path, the drawings' glyphs and the tests all read it.

**One formula, three kinds of number.** ``forward`` and ``local`` take, as
their first argument ``m``, the arithmetic of the numbers at hand, and write
everything that is not ``+ - * ** < > ==`` through it (``m.exp``,
``m.where``). The engine passes ``numerics`` (floats that never raise);
``autograd.grad(..., create_graph=True)`` passes Value methods, so the same
local derivative becomes a recorded expression; ``autograd.compile`` passes
NumPy, so it runs over a whole batch at once. No derivative is written twice.

Two operations carry a number that is not an operand: ``a ** n`` (the
exponent, shown in the symbol: ``**2``) and ``a.leaky_relu(slope)``. The
node records the table's entry bound to that number (``OPS["pow"].bind(2.0)``),
and the functions get it after the operands.

>>> from autograd import numerics
>>> OPS["exp"].forward(numerics, 0.0), OPS["exp"].local(numerics, 1.0, 0.0)
(1.0, (1.0,))
>>> lookup("**2").name
'pow'
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Interval = tuple[float, float]

WIDE: tuple[Interval, ...] = ((-5.0, 5.0),)
POSITIVE: tuple[Interval, ...] = ((0.1, 5.0),)
NO_ZERO: tuple[Interval, ...] = ((-5.0, -0.1), (0.1, 5.0))  # away from the kink of relu, abs and 1/x


@dataclass(frozen=True)
class Op:
    """One primitive: how to compute it, differentiate it and draw it."""

    name: str  # the Value method that builds it: a.exp(); "add" is a + b
    symbol: str  # stored in .op
    glyph: str  # what the drawing writes in the gate circle
    arity: int  # operands (Values or numbers); the exponent of ** n or leaky_relu's slope is extra
    forward: Callable[..., Any]  # (m, *operands, *param) -> out
    local: Callable[..., tuple[Any, ...]]  # (m, out, *operands, *param) -> ∂out/∂operand, one per operand
    derivative: str  # the local derivatives in words, for docs and the README's table
    domain: tuple[Interval, ...] = WIDE  # where tests sample each operand: a union of intervals, away from kinks
    param_domain: Interval | None = None  # where tests draw the extra number (exponent, slope), if there is one
    shows_param: bool = False  # the symbol ends in the extra number: "**" + "2"
    param: tuple[float, ...] = ()  # the extra number this entry is bound to (see bind)

    def bind(self, param: float) -> Op:
        """This entry with its extra number fixed: what a node of ``a ** 2`` records.

        >>> OPS["pow"].bind(2.0).symbol, OPS["pow"].bind(2.0).param, OPS["leaky_relu"].bind(0.1).symbol
        ('**2', (2.0,), 'leaky_relu')
        """
        return _bound(self, param)


@functools.cache  # one bound entry per exponent (or slope) in use, not one per node
def _bound(op: Op, param: float) -> Op:
    symbol = f"{op.symbol}{param:g}" if op.shows_param else op.symbol
    return dataclasses.replace(op, symbol=symbol, param=(param,))


def _max_local(m: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    # The router: the whole gradient goes to the larger operand (ties and nan: the first).
    first = (a >= b) | (a != a)
    return m.where(first, 1.0, 0.0), m.where(first, 0.0, 1.0)


def _pow_value_local(m: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    # b·a^(b−1) and a^b·ln a, with PyTorch's two conventions: 0 for the first where
    # b == 0 (the function is then constant), 0 for the second where a == 0 and
    # b >= 0 (a^b is 0 or 1 there, and 0·ln 0 would be nan).
    return (
        m.where(b == 0, 0.0, b * m.power(a, b - 1)),
        m.where((a == 0) & (b >= 0), 0.0, out * m.log(a)),
    )


OPS: dict[str, Op] = {
    op.name: op
    for op in [
        Op(
            name="add", symbol="+", glyph="+", arity=2,
            forward=lambda m, a, b: a + b,
            local=lambda m, out, a, b: (1.0, 1.0),
            derivative="1, 1",
        ),
        Op(
            name="mul", symbol="*", glyph="*", arity=2,
            forward=lambda m, a, b: a * b,
            local=lambda m, out, a, b: (b, a),
            derivative="b, a",
        ),
        Op(
            name="pow", symbol="**", glyph="**", arity=1, shows_param=True,
            forward=lambda m, a, n: m.power(a, n),
            # for n == 0 the function is constant: 0, as PyTorch (not 0·a^−1, nan at 0)
            local=lambda m, out, a, n: (0.0 if n == 0 else n * m.power(a, n - 1),),
            derivative="n·a^(n−1)", domain=POSITIVE, param_domain=(-3.0, 3.0),
        ),
        Op(
            name="pow_value", symbol="**", glyph="**", arity=2,
            forward=lambda m, a, b: m.power(a, b),
            local=_pow_value_local,
            derivative="b·a^(b−1), a^b·ln a", domain=POSITIVE,
        ),
        Op(
            name="exp", symbol="exp", glyph="exp", arity=1,
            forward=lambda m, a: m.exp(a),
            local=lambda m, out, a: (out,),
            derivative="e^a = out",
        ),
        Op(
            name="log", symbol="log", glyph="log", arity=1,
            forward=lambda m, a: m.log(a),
            local=lambda m, out, a: (m.reciprocal(a),),
            derivative="1/a", domain=POSITIVE,
        ),
        Op(
            name="reciprocal", symbol="1/x", glyph="1/x", arity=1,
            forward=lambda m, a: m.reciprocal(a),
            local=lambda m, out, a: (-out * out,),
            derivative="−1/a² = −out²", domain=NO_ZERO,
        ),
        Op(
            name="max", symbol="max", glyph="max", arity=2,
            forward=lambda m, a, b: m.maximum(a, b),
            local=_max_local,
            derivative="1 to the larger, 0 to the other (ties: the first)",
        ),
        Op(
            name="relu", symbol="relu", glyph="relu", arity=1,
            forward=lambda m, a: m.relu(a),
            local=lambda m, out, a: (m.where(a > 0, 1.0, 0.0),),
            derivative="1 if a > 0 else 0", domain=NO_ZERO,
        ),
        Op(
            name="leaky_relu", symbol="leaky_relu", glyph="lrelu", arity=1,
            forward=lambda m, a, slope: m.leaky_relu(a, slope),
            local=lambda m, out, a, slope: (m.where(a > 0, 1.0, slope),),
            derivative="1 or slope", domain=NO_ZERO, param_domain=(0.0, 1.0),
        ),
        Op(
            name="tanh", symbol="tanh", glyph="tanh", arity=1,
            forward=lambda m, a: m.tanh(a),
            local=lambda m, out, a: (1 - out * out,),
            derivative="1 − tanh² = 1 − out²",
        ),
        Op(
            name="sigmoid", symbol="sigmoid", glyph="σ", arity=1,
            forward=lambda m, a: m.sigmoid(a),
            local=lambda m, out, a: (out * (1 - out),),
            derivative="σ(1−σ) = out(1−out)",
        ),
        Op(
            name="abs", symbol="abs", glyph="|x|", arity=1,
            forward=lambda m, a: m.absolute(a),
            local=lambda m, out, a: (m.sign(a),),
            derivative="sign(a) (0 at 0)", domain=NO_ZERO,
        ),
    ]
}  # fmt: skip

_BY_SYMBOL = {op.symbol: op for op in OPS.values() if not op.shows_param}
_WITH_PARAM = [op for op in OPS.values() if op.shows_param]


def lookup(symbol: str) -> Op:
    """The Op whose ``.op`` symbol this is (``"**2"`` finds ``pow``, ``"**"`` ``pow_value``).

    >>> lookup("sigmoid").glyph, lookup("**").name
    ('σ', 'pow_value')
    """
    if symbol in _BY_SYMBOL:
        return _BY_SYMBOL[symbol]
    for op in _WITH_PARAM:
        if symbol.startswith(op.symbol):
            return op
    known = ", ".join(repr(s) for s in _BY_SYMBOL)
    raise KeyError(f"no operation has symbol {symbol!r}; known: {known} and '**n'")
