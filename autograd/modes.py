"""Modes that change what operations do: ``no_grad`` and ``detect_anomaly``.

Both are context managers (usable as decorators too) that restore the
previous mode on exit, also after an exception. The mode is process-wide
(one flag, not per thread) — simple, and enough for notebooks and scripts.

>>> from autograd import Value, no_grad
>>> with no_grad():
...     y = Value(2.0) * 3
>>> y.op, y.parents
('', ())
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class _Mode:
    """The current flags; the engine reads them on every operation."""

    grad_enabled = True  # record parents and local derivatives
    anomaly = False  # raise on the first non-finite value
    scope: str | None = None  # tag for new Values, so drawings can group them


mode = _Mode()


@contextmanager
def no_grad() -> Iterator[None]:
    """Compute values without recording the graph: results are leaves.

    >>> from autograd import Value
    >>> with no_grad():
    ...     (Value(1.0) + 1).parents
    ()
    """
    previous = mode.grad_enabled
    mode.grad_enabled = False
    try:
        yield
    finally:
        mode.grad_enabled = previous


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
    mode.anomaly = True
    try:
        yield
    finally:
        mode.anomaly = previous


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
