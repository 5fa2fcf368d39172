"""Modes that change what operations do: ``no_grad``, ``detect_anomaly`` and ``scope``.

Each is a context manager (usable as a decorator too) that restores the
previous mode on exit, also after an exception. The mode is process-wide
(one flag, not per thread) — simple, and enough for notebooks and scripts.
The checks ``detect_anomaly`` turns on live here too.

>>> from autograd import Value, no_grad
>>> with no_grad():
...     y = Value(2.0) * 3
>>> y.op, y.parents
('', ())
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .node import Node


class _Mode:
    """The current flags; the engine reads them on every operation."""

    # Slots, set in __init__: reading a slot is the fastest attribute read
    # CPython has, and these are read for every node (a class-level default
    # read through the instance costs ~15 ns more, 2 ms in a 65,000-node step).
    __slots__ = ("grad_enabled", "anomaly", "plain", "scope")

    def __init__(self) -> None:
        self.grad_enabled = True  # record parents and local derivatives
        self.anomaly = False  # raise on the first non-finite value
        self.plain = True  # grad_enabled and not anomaly: the common case, one flag to test per operation
        self.scope: str | None = None  # tag for new Values, so drawings can group them


mode = _Mode()


def _set(grad_enabled: bool, anomaly: bool) -> None:
    mode.grad_enabled = grad_enabled
    mode.anomaly = anomaly
    mode.plain = grad_enabled and not anomaly


@contextmanager
def no_grad() -> Iterator[None]:
    """Compute values without recording the graph: results are leaves.

    >>> from autograd import Value
    >>> with no_grad():
    ...     (Value(1.0) + 1).parents
    ()
    """
    previous = mode.grad_enabled
    _set(grad_enabled=False, anomaly=mode.anomaly)
    try:
        yield
    finally:
        _set(grad_enabled=previous, anomaly=mode.anomaly)


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise ``FloatingPointError`` at the first inf or nan an operation
    produces, forward or backward, naming the operation and its inputs.

    >>> from autograd import Value
    >>> with detect_anomaly():
    ...     Value(1000.0).exp()
    Traceback (most recent call last):
    ...
    FloatingPointError: exp produced inf from input 1000.0 (forward pass)
    """
    previous = mode.anomaly
    _set(grad_enabled=mode.grad_enabled, anomaly=True)
    try:
        yield
    finally:
        _set(grad_enabled=mode.grad_enabled, anomaly=previous)


@contextmanager
def scope(name: str) -> Iterator[None]:
    """Tag every Value created inside with ``name`` (nested: "a/b"), so a
    drawing can condense the group into one node — ``nn`` tags each neuron.

    >>> from autograd import Value
    >>> with scope("neuron"):
    ...     y = Value(1.0) * 2
    >>> y.scope
    'neuron'
    """
    previous = mode.scope
    mode.scope = name if previous is None else f"{previous}/{name}"
    try:
        yield
    finally:
        mode.scope = previous


def check_forward(out: Node, symbol: str, a: Node, b: Node | None) -> None:
    """Under detect_anomaly: raise if ``out = symbol(a, b)`` is inf or nan.

    >>> from autograd import Value
    >>> x = Value(-1.0, label="x")
    >>> check_forward(x.log(), "log", x, None)
    Traceback (most recent call last):
    ...
    FloatingPointError: log produced nan from input x=-1.0 (forward pass)
    """
    if not math.isfinite(out.data):
        operands = (a,) if b is None else (a, b)
        raise FloatingPointError(f"{symbol} produced {out.data} from {_describe(operands)} (forward pass)")


def check_backward(node: Node) -> None:
    """Under detect_anomaly: raise if a gradient ``node`` just sent to an operand is inf or nan.

    >>> from autograd import Value
    >>> y = Value(0.0, label="x").log()
    >>> y.grad = 1.0
    >>> check_backward(y)
    Traceback (most recent call last):
    ...
    FloatingPointError: backward of log produced inf for operand 0 (input x=0.0): upstream 1.0 × local inf ...
    """
    for i, (operand, local) in enumerate(zip(node.parents, node.local_grads, strict=True)):
        contribution = node.grad * local
        if not math.isfinite(contribution):
            raise FloatingPointError(
                f"backward of {node.op} produced {contribution} for operand {i} "
                f"({_describe((operand,))}): upstream {node.grad} × local {local} (backward pass)"
            )


def _describe(operands: tuple[Node, ...]) -> str:
    parts = [f"{v.label}={v.data}" if v.label else str(v.data) for v in operands]
    return ("input " if len(parts) == 1 else "inputs ") + ", ".join(parts)
