"""``Node``: what every number in a graph records, and ``backward()``.

A node holds its value (``data``), its gradient (``grad``), and how it was
made: the operation's symbol (``op``), its operands (``parents``) and the
local derivative ∂node/∂operand for each (``local_grads``), all computed
during the forward pass. ``backward()`` is then the chain rule in one loop:
walking the nodes from the output back, every operand's gradient grows by
upstream gradient × local derivative.

``Value`` (in ``value.py``) adds the arithmetic; this module is the record
and the walk back through it.

>>> from autograd import Value
>>> x = Value(3.0, label="x")
>>> y = x * x
>>> y.parents == (x, x), y.local_grads
(True, (3.0, 3.0))
>>> y.backward(); x.grad
6.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from . import numerics
from .graph import topological_order
from .modes import check_backward, mode

if TYPE_CHECKING:
    from .value import Value  # every node in a graph is a Value; Node is its storage


class Node:
    """A number in a computation graph and the record of how it was made.

    >>> from autograd import Value
    >>> Value(2.0, label="a")
    Value(a, data=2.0, grad=0.0)
    """

    # Every operation has one or two operands, so a node keeps them, and the
    # local derivative for each, in four slots rather than in two tuples: one
    # object per node instead of three is what makes a large graph cheap to
    # build and to free (see benchmarks/bench_engine.py). ``parents`` and
    # ``local_grads`` below show them as tuples. __slots__: no per-node dict.
    __slots__ = ("data", "grad", "label", "op", "scope", "_a", "_b", "_da", "_db", "_seen", "__weakref__")

    data: float  # the value, computed in the forward pass
    grad: float  # ∂(the output backward() was called on)/∂(this node)
    label: str  # a name for drawings; settable
    op: str  # the operation's symbol ("+", "exp", "**2"); "" for a leaf
    scope: str | None  # the autograd.scope() the node was made in, for drawings
    _a: Value | None  # the first operand (None for a leaf)
    _b: Value | None  # the second operand (None for a leaf or a one-operand operation)
    _da: float  # ∂node/∂_a
    _db: float  # ∂node/∂_b
    _seen: object  # the token of the latest topological_order() walk that reached this node (see graph.py)

    def __init__(self, data: float, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__} {label!r}")
        self.data = numerics.to_float(data, "Value()")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.scope = mode.scope
        self._a = self._b = None
        self._da = self._db = 0.0
        self._seen = None

    @property
    def parents(self) -> tuple[Value, ...]:
        """The operands, in the order written; ``()`` for a leaf.

        >>> from autograd import Value
        >>> a = Value(2.0)
        >>> (a * a).parents == (a, a), (a.exp()).parents == (a,), a.parents
        (True, True, ())
        """
        if self._a is None:
            return ()
        return (self._a,) if self._b is None else (self._a, self._b)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂operand for each of ``parents``, computed in the forward pass.

        >>> from autograd import Value
        >>> (Value(2.0) * Value(5.0)).local_grads
        (5.0, 2.0)
        """
        if self._a is None:
            return ()
        return (self._da,) if self._b is None else (self._da, self._db)

    def backward(self) -> None:
        """Fill ``.grad`` with ∂self/∂node for every node self depends on.

        Leaves accumulate across calls (as in PyTorch); every other node is
        reset first, so it holds the gradient of this pass only.

        >>> from autograd import Value
        >>> x = Value(3.0)
        >>> y = x * x
        >>> y.backward(); x.grad
        6.0
        >>> y.backward(); x.grad  # leaves accumulate
        12.0
        """
        # Non-leaves forget the previous pass as the walk goes by. (cast: a Node is always a Value's storage.)
        order = topological_order(cast("Value", self), reset_grads=True)
        self.grad = 1.0 if self._a is not None else self.grad + 1.0
        check = mode.anomaly
        for node in reversed(order):  # every node after all the nodes that use it
            a = node._a
            if a is None:
                continue  # a leaf: nothing further back
            # The chain rule: operand.grad += upstream × local derivative. `+=`
            # sums the contributions of every use (fan-out, and a * a).
            a.grad += node.grad * node._da
            b = node._b
            if b is not None:
                b.grad += node.grad * node._db
            if check:
                check_backward(node)

    def __repr__(self) -> str:
        name = f"{self.label}, " if self.label else ""
        return f"Value({name}data={self.data!r}, grad={self.grad!r})"
