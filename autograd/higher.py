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
any order. Only the branches that lead to an input are walked.

>>> from autograd import Value
>>> x = Value(3.0, label="x")
>>> f = x * x * x
>>> (dfdx,) = grad(f, [x], create_graph=True)
>>> dfdx.data, grad(dfdx, [x])[0]  # 3x² = 27 and 6x = 18
(27.0, 18.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import numerics
from .engine import Constant, Value, topological_order
from .modes import current
from .recording import BackwardPass, ValueMath

__all__ = ["ValueMath", "grad", "hessian", "hvp"]


def grad(
    output: Value, inputs: Sequence[Value], create_graph: bool = False, grad_output: float | Value = 1.0
) -> tuple[Any, ...]:
    """∂output/∂input for each of ``inputs``, in order; no ``.grad`` changes.

    Floats, or with ``create_graph=True`` Values whose graphs record the
    backward pass (differentiable again). An input ``output`` does not depend
    on gets 0.0 (``Value(0.0)``). ``grad_output`` is the upstream gradient
    the pass starts from (∂L/∂output, 1 by default, as ``backward(gradient)``);
    a Value there becomes an input of the recorded backward pass. A number
    written in an expression (a Constant) is a number to the recorded pass,
    as an untracked tensor is to PyTorch: ask for derivatives with respect
    to Values you made.

    >>> from autograd import Value
    >>> x, y = Value(2.0), Value(5.0)
    >>> grad(x * y, [x, y]), x.grad
    ((5.0, 2.0), 0.0)
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad() differentiates a Value, got {numerics.describe(output)}")
    inputs = [inputs] if isinstance(inputs, Value) else list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad() inputs must be Values, got {numerics.describe(x)} at position {i}")
    if not (isinstance(grad_output, Value) or numerics.is_real(grad_output)):
        raise TypeError(f"grad(grad_output=) takes a number or a Value, got {numerics.describe(grad_output)}")
    if not create_graph and isinstance(grad_output, Value):
        grad_output = grad_output.data
    order = topological_order(output)
    wanted = _leading_to(order, inputs)
    grads = _walk(order, wanted, output, grad_output, BackwardPass(order) if create_graph else None)
    results = [grads.get(x, 0.0) for x in inputs]
    if create_graph:  # a number here is a constant gradient: a leaf holding it
        return tuple(g if isinstance(g, Value) else Constant(g) for g in results)
    return tuple(float(g) for g in results)


def _leading_to(order: list[Value], inputs: list[Value]) -> set[Value]:
    """The nodes some input depends on or is: the only ones a gradient needs to reach."""
    wanted = set(inputs)
    for node in order:  # parents first, so one pass finds every path
        if node not in wanted and any(p in wanted for p in node.parents):
            wanted.add(node)
    return wanted


def _walk(
    order: list[Value], wanted: set[Value], output: Value, seed: Any, recorded: BackwardPass | None
) -> dict[Value, Any]:
    """The chain rule from ``output`` back: each node's gradient, summed over its uses.

    With ``recorded`` (create_graph) every product and sum is an operation
    of that BackwardPass, so it is recorded (or folded, if it is a number).
    """
    anomaly = current().anomaly
    grads: dict[Value, Any] = {output: recorded.quantity(seed) if recorded else seed}
    for node in reversed(order):  # every node after all the nodes that use it
        upstream = grads.get(node)
        if upstream is None or node.operation is None or not any(p in wanted for p in node.parents):
            continue  # nothing flows back to it, it is a leaf, or no input lies behind it
        local_grads = recorded.local_derivatives(node) if recorded else node.local_grads
        for i, (parent, local) in enumerate(zip(node.parents, local_grads, strict=True)):
            if parent not in wanted:
                continue
            if recorded:
                contribution = recorded.mul(upstream, local)
                grads[parent] = recorded.add(grads[parent], contribution) if parent in grads else contribution
            else:
                contribution = upstream * local
                grads[parent] = grads[parent] + contribution if parent in grads else contribution
            if anomaly:
                _check(node, i, upstream, local, grads[parent])
    return grads


def _check(node: Value, i: int, upstream: Any, local: Any, total: Any) -> None:
    """Under detect_anomaly: the first non-finite gradient grad() makes is an error naming the operation."""
    number = total.data if isinstance(total, Value) else total
    if not numerics.is_finite(number):
        up, loc = (x.data if isinstance(x, Value) else x for x in (upstream, local))
        raise FloatingPointError(
            f"grad(): the gradient of operand {i} of {node.op} became {number} "
            f"(upstream {up} × local {loc}, summed over its uses)"
        )


def hessian(output: Value, inputs: Sequence[Value]) -> list[list[float]]:
    """The matrix of second derivatives ∂²output/∂xᵢ∂xⱼ: the gradient of each entry of the gradient.

    >>> from autograd import Value
    >>> x, y = Value(1.0), Value(2.0)
    >>> hessian(x * x * y, [x, y])  # [[2y, 2x], [2x, 0]]
    [[4.0, 2.0], [2.0, 0.0]]
    """
    inputs = list(inputs)
    first = grad(output, inputs, create_graph=True)
    return [list(grad(g, inputs)) for g in first]


def hvp(output: Value, inputs: Sequence[Value], vector: Sequence[float]) -> list[float]:
    """The Hessian times ``vector`` without building the Hessian: ∇(∇f · v), one extra backward pass.

    >>> from autograd import Value
    >>> x, y = Value(1.0), Value(2.0)
    >>> hvp(x * x * y, [x, y], [1.0, 0.0])  # the first column of the Hessian above
    [4.0, 2.0]
    """
    inputs, vector = list(inputs), list(vector)
    if len(vector) != len(inputs):
        raise ValueError(f"hvp(): the vector has {len(vector)} entries, the inputs {len(inputs)}; give one per input")
    for i, v in enumerate(vector):
        if not numerics.is_real(v):
            raise TypeError(f"hvp(): the vector holds numbers, got {numerics.describe(v)} at position {i}")
    first = grad(output, inputs, create_graph=True)
    directional = sum((g * v for g, v in zip(first, vector, strict=True)), Constant(0.0))  # ∇f · v
    return list(grad(directional, inputs))
