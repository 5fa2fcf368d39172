"""Derivatives of derivatives: ``grad``, ``hessian`` and Hessian-vector products.

``backward()`` writes gradients into ``.grad`` as numbers. ``grad(f, [x, y])``
runs the same chain rule — upstream × local, summed over every use — but
hands the gradients back instead, leaving every ``.grad`` alone.

With ``create_graph=True`` each step of that chain rule is itself an
operation on Values: the local derivatives come from the same table as the
forward pass (``ops.py``), evaluated on the graph's own Values (tanh's
``1 − out²`` becomes the nodes ``out * out``, ``* -1``, ``+ 1``), and each
``upstream × local`` is a ``*`` node. The gradient is then a Value whose
graph *is* the backward pass: draw it with ``viz``, call ``backward()`` on
it, or ask ``grad`` for its gradient — a second derivative, and so on to
any order.

Only what changes anything is recorded: a product with a constant 1 is the
other factor, a constant 0 drops the term, and constants combine into one
number, so the recorded backward pass stays close to what one would write
by hand.

>>> from autograd import Value
>>> x = Value(3.0, label="x")
>>> f = x * x * x
>>> (dfdx,) = grad(f, [x], create_graph=True)
>>> dfdx.data, grad(dfdx, [x])[0]  # 3x² = 27 and 6x = 18
(27.0, 18.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from . import numerics
from .engine import Constant, Value, topological_order
from .modes import gate_local


class ValueMath:
    """The functions the op table's formulas call (``m.exp``, ``m.where``), for
    Values: each is the recorded operation, so a local derivative evaluated
    with them is a graph. (``numerics`` is the same for floats.)

    >>> from autograd import OPS, Value
    >>> a = Value(2.0)
    >>> (local,) = OPS["log"].local(ValueMath, a.log(), a)  # 1/a, as a node
    >>> local.op, local.data
    ('1/x', 0.5)
    """

    exp, log, reciprocal, tanh, sigmoid = Value.exp, Value.log, Value.reciprocal, Value.tanh, Value.sigmoid
    relu, leaky_relu, maximum, absolute = Value.relu, Value.leaky_relu, Value.max, Value.abs

    @staticmethod
    def power(a: Value, n: Any) -> Value:
        return a**n

    @staticmethod
    def where(condition: bool, if_true: Any, if_false: Any) -> Any:
        return if_true if condition else if_false

    @staticmethod
    def sign(a: Value) -> float:
        return numerics.sign(a.data)  # piecewise constant: its derivative is 0, so a number will do


def grad(output: Value, inputs: Sequence[Value], create_graph: bool = False) -> tuple[Any, ...]:
    """∂output/∂input for each of ``inputs``, in order; no ``.grad`` changes.

    Floats, or with ``create_graph=True`` Values whose graphs record the
    backward pass (differentiable again). An input ``output`` does not depend
    on gets 0.0 (``Value(0.0)``).

    >>> from autograd import Value
    >>> x, y = Value(2.0), Value(5.0)
    >>> grad(x * y, [x, y]), x.grad
    ((5.0, 2.0), 0.0)
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad() differentiates a Value, got {numerics.describe(output)}")
    inputs = list(inputs) if not isinstance(inputs, Value) else [inputs]
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad() inputs must be Values, got {numerics.describe(x)} at position {i}")
    grads: dict[Value, Any] = {output: 1.0}
    for node in reversed(topological_order(output)):  # every node after all the nodes that use it
        upstream = grads.get(node)
        if upstream is None or node.operation is None:
            continue  # nothing flows back through it, or a leaf
        local_grads = _local_values(node) if create_graph else node.local_grads
        for parent, local in zip(node.parents, local_grads, strict=True):
            contribution = _times(upstream, local) if create_graph else upstream * local
            grads[parent] = _plus(grads[parent], contribution) if parent in grads else contribution
    results = [grads.get(x, 0.0) for x in inputs]
    if create_graph:  # a number here is a constant gradient: a leaf holding it
        return tuple(g if isinstance(g, Value) else Constant(g) for g in results)
    return tuple(float(g) for g in results)


def hessian(output: Value, inputs: Sequence[Value]) -> list[list[float]]:
    """The matrix of second derivatives ∂²output/∂xᵢ∂xⱼ: the gradient of each entry of the gradient.

    >>> from autograd import Value
    >>> x, y = Value(1.0), Value(2.0)
    >>> hessian(x * x * y, [x, y])  # [[2y, 2x], [2x, 0]]
    [[4.0, 2.0], [2.0, 0.0]]
    """
    first = grad(output, inputs, create_graph=True)
    return [list(grad(g, inputs)) for g in first]


def hvp(output: Value, inputs: Sequence[Value], vector: Sequence[float]) -> list[float]:
    """The Hessian times ``vector`` without building the Hessian: ∇(∇f · v), one extra backward pass.

    >>> from autograd import Value
    >>> x, y = Value(1.0), Value(2.0)
    >>> hvp(x * x * y, [x, y], [1.0, 0.0])  # the first column of the Hessian above
    [4.0, 2.0]
    """
    inputs = list(inputs)
    if len(vector) != len(inputs):
        raise ValueError(f"hvp: the vector has {len(vector)} entries, the inputs {len(inputs)}")
    first = grad(output, inputs, create_graph=True)
    directional = sum((g * v for g, v in zip(first, vector, strict=True)), Constant(0.0))
    return list(grad(directional, inputs))


def _local_values(node: Value) -> tuple[Any, ...]:
    """The node's local derivatives as Values: its table entry's formula on its own Values."""
    op = node.operation
    assert op is not None
    with gate_local(op.symbol):  # a user gate's formula that turns a Value into a float says so
        local_grads = op.local(ValueMath, node, *node.parents, *op.param)
    return tuple(local_grads)


def _is_number(x: Any, value: float) -> bool:
    return not isinstance(x, Value) and x == value


def _times(upstream: Any, local: Any) -> Any:
    """upstream × local, recording only what changes anything (× 1, × 0 and numbers fold)."""
    if _is_number(local, 1.0):
        return upstream
    if _is_number(upstream, 1.0):
        return local
    for zero, other in ((local, upstream), (upstream, local)):
        if _is_number(zero, 0.0) and math.isfinite(float(other)):  # 0 × inf stays nan, as in IEEE
            return 0.0
    return upstream * local  # numbers multiply as numbers; a Value records a * node


def _plus(total: Any, contribution: Any) -> Any:
    """total + contribution, recording only what changes anything (+ 0 and numbers fold)."""
    if _is_number(contribution, 0.0):
        return total
    if _is_number(total, 0.0):
        return contribution
    return total + contribution
