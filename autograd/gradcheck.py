"""``gradcheck``: compare ``backward()`` with finite differences.

The numeric gradient nudges one input by ±eps and watches the output:
∂f/∂x ≈ (f(x+eps) − f(x−eps)) / 2eps. It needs two forward passes per
input — slow for a network with thousands of weights, which is why
backpropagation exists — but it is the independent check that the
analytic gradients are right.

>>> from autograd import Value
>>> gradcheck(lambda a, b: (a * b).tanh(), [Value(0.5), Value(-1.5)])
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .engine import Value, topological_order


def gradcheck(
    fn: Callable[..., Value],
    inputs: Sequence[Value],
    eps: float = 1e-6,
    tol: float = 1e-4,
) -> bool:
    """True if ∂fn/∂input from ``backward()`` matches central differences
    for every input; otherwise an ``AssertionError`` listing each failing
    input (by label, else position) with both numbers.

    An input fails when |analytic − numeric| > tol·max(1, |numeric|).
    Gradients already on the inputs are ignored; every leaf's gradient is
    as before when it returns.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> gradcheck(lambda x: x ** 3, [x])
    True
    """
    inputs = list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"gradcheck inputs must be Values, got {type(x).__name__} at position {i}")
    # Every leaf's gradient is put back afterwards: the inputs', and those of
    # leaves fn uses without being given them (a model's weights), which
    # backward() would otherwise add to.
    saved = {id(x): (x, x.grad) for x in inputs}
    try:
        for x in inputs:
            x.grad = 0.0
        out = fn(*inputs)
        if not isinstance(out, Value):
            raise TypeError(f"gradcheck: fn must return a Value, got {type(out).__name__}")
        for node in topological_order(out):
            if not node.parents:
                saved.setdefault(id(node), (node, node.grad))
        out.backward()
        analytic = [x.grad for x in inputs]
    finally:
        for leaf, grad in saved.values():
            leaf.grad = grad

    failures = []
    for i, x in enumerate(inputs):
        numeric = _central_difference(fn, inputs, x, eps)
        if not abs(analytic[i] - numeric) <= tol * max(1.0, abs(numeric)):  # `not <=` also catches nan
            name = x.label or f"input {i}"
            failures.append(f"∂f/∂{name}: analytic {analytic[i]!r}, numeric {numeric!r}")
    if failures:
        raise AssertionError(f"gradcheck failed (tol={tol:g}):\n  " + "\n  ".join(failures))
    return True


def _central_difference(fn: Callable[..., Value], inputs: list[Value], x: Value, eps: float) -> float:
    original = x.data
    try:
        # Recorded as usual (not under no_grad): fn may itself differentiate, as
        # gradcheck(lambda x: grad(f(x), [x], create_graph=True)[0], [x]) does.
        x.data = original + eps
        up = fn(*inputs).data
        x.data = original - eps
        down = fn(*inputs).data
    finally:
        x.data = original
    return (up - down) / (2 * eps)
