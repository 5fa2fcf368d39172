"""Modes that change what operations do: ``no_grad``, ``detect_anomaly`` and ``scope``.

Each is a context manager (usable as a decorator too) that restores the
previous mode on exit, also after an exception. Modes belong to the thread
(and the asyncio task) that sets them, as PyTorch's grad mode does:
``no_grad`` in one thread never stops another thread's recording, and each
thread's exits restore its own previous mode, whatever the interleaving.
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
from contextvars import ContextVar, Token
from typing import Any


class Modes:
    """The modes in force: what every operation reads before it records. Never
    changed in place: entering a mode puts a new Modes in the context variable.

    >>> Modes().grad_enabled, Modes().replace(scope="n1").scope
    (True, 'n1')
    """

    __slots__ = ("grad_enabled", "anomaly", "scope", "gate_local")

    def __init__(
        self, grad_enabled: bool = True, anomaly: bool = False, scope: str | None = None, gate_local: str | None = None
    ) -> None:
        self.grad_enabled = grad_enabled  # record parents and local derivatives
        self.anomaly = anomaly  # raise on the first non-finite value
        self.scope = scope  # tag for new Values, so drawings can group them
        self.gate_local = gate_local  # the gate whose local derivative is being recorded (see gate_local)

    def replace(self, **changes: Any) -> Modes:
        """A copy with ``changes``."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        return Modes(**{**fields, **changes})


# One context variable holds the current Modes. Each thread starts with the
# defaults and sees only its own changes. (A context variable rather than a
# threading.local: reading it costs 15 ns instead of 35 per attribute, and every
# operation reads it; measured with timeit.)
_MODES: ContextVar[Modes] = ContextVar("graphgrad_modes", default=Modes())  # noqa: B039 (never changed in place)
current = _MODES.get  # current() -> the Modes in force in this thread


@contextmanager
def _modes_changed(**changes: Any) -> Iterator[None]:
    token = _MODES.set(current().replace(**changes))
    try:
        yield
    finally:
        _MODES.reset(token)  # back to the modes before this `with`, in this thread only


def no_grad() -> Any:
    """Compute values without recording the graph: results are leaves.

    >>> from autograd import Value
    >>> with no_grad():
    ...     (Value(1.0) + 1).parents
    ()
    """
    return _modes_changed(grad_enabled=False)


def detect_anomaly() -> Any:
    """Raise ``FloatingPointError`` at the first inf or nan an operation
    produces, forward or backward, naming the operation and its inputs.

    >>> from autograd import Value
    >>> with detect_anomaly():
    ...     Value(1000.0).exp()
    Traceback (most recent call last):
    ...
    FloatingPointError: exp produced inf from input 1000.0 (forward pass)
    """
    return _modes_changed(anomaly=True)


def scope(name: str) -> Any:
    """Tag every Value created inside with ``name`` (nested: "a/b"), so a
    drawing can condense the group into one node — ``nn`` tags each neuron.

    >>> from autograd import Value
    >>> with scope("neuron"):
    ...     y = Value(1.0) * 2
    >>> y.scope
    'neuron'
    """
    if not isinstance(name, str):
        raise TypeError(f"scope() takes a str name, got {type(name).__name__} {name!r:.40}")
    outer = current().scope
    return _modes_changed(scope=name if outer is None else f"{outer}/{name}")


def enter_scope(name: str | None) -> Token[Modes] | None:
    """``scope(name)`` without the ``with``, for code that enters a scope per
    call (``nn`` does, for every neuron of every sample: a generator-based
    context manager there costs ~7% of a training step); pass the result to
    ``exit_scope`` in a ``finally``. None enters nothing.

    >>> from autograd import Value
    >>> token = enter_scope("layer1")
    >>> try:
    ...     v = Value(1.0) * 2
    ... finally:
    ...     exit_scope(token)
    >>> v.scope, current().scope
    ('layer1', None)
    """
    if name is None:
        return None
    m = current()
    return _MODES.set(Modes(m.grad_enabled, m.anomaly, name if m.scope is None else f"{m.scope}/{name}", m.gate_local))


def exit_scope(token: Token[Modes] | None) -> None:
    """Leave the scope ``enter_scope`` entered (its token; None: nothing was entered)."""
    if token is not None:
        _MODES.reset(token)


def gate_local(symbol: str) -> Any:
    """While a gate's local derivative is evaluated on Values (``grad(..., create_graph=True)``):
    turning a Value into a number there (``math.cos(x)``) would silently drop its
    derivative, so ``float(v)`` raises instead, naming the gate.

    >>> from autograd import Value
    >>> with gate_local("sin"):
    ...     float(Value(1.0))
    Traceback (most recent call last):
    ...
    TypeError: the local derivative of gate 'sin' turned a Value into a float (math.cos(x)?), ...
    """
    return _modes_changed(gate_local=symbol)


def check_float(what: str) -> None:
    """Raise if a Value is turned into a number inside ``gate_local`` (see there)."""
    symbol = current().gate_local
    if symbol is not None:
        raise TypeError(
            f"the local derivative of gate {symbol!r} turned a Value into a {what} (math.cos(x)?), so the "
            "derivative of that derivative would be lost; write it with Value operations (x.exp(), "
            "1 - out * out, ...) to use create_graph=True, or call grad(..., create_graph=False)"
        )


def check_forward(out: Any) -> None:
    """Under detect_anomaly: raise if the new node ``out`` holds inf or nan.

    >>> from autograd import Value
    >>> x = Value(-1.0, label="x")
    >>> check_forward(x.log())
    Traceback (most recent call last):
    ...
    FloatingPointError: log produced nan from input x=-1.0 (forward pass)
    """
    if not math.isfinite(out.data):
        raise FloatingPointError(f"{out.op} produced {out.data} from {_describe(out.parents)} (forward pass)")


def check_backward(node: Any) -> None:
    """Under detect_anomaly, after ``node.backward_step()``: raise if a gradient it
    sent is inf or nan, or if adding it to what an operand already held made one.

    >>> from autograd import Value
    >>> x = Value(0.0, label="x")
    >>> y = x.log()
    >>> y.grad = 1.0
    >>> y.backward_step()
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
        if not math.isfinite(operand.grad):  # finite contributions, summed at a fan-out, overflowed
            raise FloatingPointError(
                f"backward: the gradient of {_describe((operand,))} became {operand.grad} when the "
                f"contribution {contribution} from {node.op} was added to it (a fan-out sum overflowed)"
            )


def _describe(operands: Any) -> str:
    parts = [f"{v.label}={v.data}" if v.label else str(v.data) for v in operands]
    return ("input " if len(parts) == 1 else "inputs ") + ", ".join(parts)
