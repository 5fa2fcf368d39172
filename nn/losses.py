"""Loss functions: one number that says how wrong the outputs are.

Training lowers the loss by following its gradient, so each loss here is
built from engine operations and ``backward()`` differentiates it. Each
takes a model's outputs (a Value or a list of Values) and the targets
(numbers), and averages over the samples.

    mse_loss              mean (p − t)²                        regression
    binary_cross_entropy  mean −[t·log p + (1−t)·log(1−p)]     p a probability (sigmoid output)
    cross_entropy         −log softmax(logits)[target]         one sample, several classes
    hinge_loss            mean relu(1 − y·s), labels y = ±1    micrograd's demo (an SVM's loss)
    l2_penalty            α·Σ w²                               added to a loss to keep weights small

>>> from autograd import Value
>>> mse_loss([Value(1.0), Value(3.0)], [0.0, 1.0]).data
2.5
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence

from autograd import Value

Output = Value | float
Outputs = Output | Sequence[Output]


def _as_values(x: Outputs, what: str) -> list[Value]:
    items = list(x) if isinstance(x, Iterable) else [x]  # one Value or number: a list of one
    if not items:
        raise ValueError(f"{what} is empty")
    values = []
    for i, v in enumerate(items):
        if isinstance(v, Value):
            values.append(v)
        elif isinstance(v, numbers.Real) and not isinstance(v, bool):
            values.append(Value(v))
        else:
            raise TypeError(f"{what}[{i}] must be a Value or a number, got {type(v).__name__} {v!r:.40}")
    return values


def _paired(outputs: Outputs, targets: Outputs, what: str) -> list[tuple[Value, Output]]:
    values = _as_values(outputs, what)
    wanted = list(targets) if isinstance(targets, Iterable) else [targets]
    if len(wanted) != len(values):
        raise ValueError(f"{what} has {len(values)} entries but targets has {len(wanted)}")
    return list(zip(values, wanted, strict=True))


def _mean(terms: list[Value]) -> Value:
    total = sum(terms[1:], terms[0])  # starting from the first term adds no 0 node
    return total if len(terms) == 1 else total / len(terms)


def mse_loss(preds: Outputs, targets: Outputs) -> Value:
    """Mean squared error: the mean of (pred − target)².

    >>> from autograd import Value
    >>> mse_loss(Value(3.0), 1.0).data
    4.0
    """
    return _mean([(p - t) ** 2 for p, t in _paired(preds, targets, "preds")])


def binary_cross_entropy(probs: Outputs, targets: Outputs) -> Value:
    """Mean of −[t·log p + (1−t)·log(1−p)] for probabilities p and targets t in [0, 1].

    Each log is clamped at −100, as PyTorch does, so a saturated sigmoid
    (p exactly 0 or 1) gives a large finite loss instead of inf or nan.

    >>> from autograd import Value
    >>> round(binary_cross_entropy([Value(0.9), Value(0.2)], [1, 0]).data, 4)
    0.1643
    """
    terms = [
        -(t * p.log().max(-100.0) + (1 - t) * (1 - p).log().max(-100.0)) for p, t in _paired(probs, targets, "probs")
    ]
    return _mean(terms)


def softmax(values: Sequence[Output]) -> list[Value]:
    """e^(xᵢ) / Σⱼ e^(xⱼ): scores turned into probabilities that sum to 1.

    The largest score is subtracted first (a plain number, so it adds no
    gradient): softmax(x − c) = softmax(x), and e^(x − max) never overflows.

    >>> from autograd import Value
    >>> [round(p.data, 4) for p in softmax([Value(1.0), Value(1.0), Value(1000.0)])]
    [0.0, 0.0, 1.0]
    """
    xs = _as_values(values, "values")
    shift = max(x.data for x in xs)
    exps = [(x - shift).exp() for x in xs]
    inverse = sum(exps[1:], exps[0]).reciprocal()  # one 1/x gate shared by all outputs
    return [e * inverse for e in exps]


def cross_entropy(logits: Sequence[Output], target_index: int) -> Value:
    """−log softmax(logits)[target] = log Σⱼ e^(xⱼ) − x_target, for one sample.

    Computed as log Σⱼ e^(xⱼ − m) − (x_target − m) with m the largest logit,
    so logits like [1000, 0, −1000] give exact, finite results.

    >>> from autograd import Value
    >>> cross_entropy([Value(1000.0), Value(0.0), Value(-1000.0)], 0).data
    0.0
    >>> cross_entropy([Value(1000.0), Value(0.0), Value(-1000.0)], 2).data
    2000.0
    """
    xs = _as_values(logits, "logits")
    if not isinstance(target_index, numbers.Integral) or isinstance(target_index, bool):
        raise TypeError(f"target_index must be an int class index, got {type(target_index).__name__} {target_index!r}")
    if not 0 <= target_index < len(xs):
        raise IndexError(f"target_index {target_index} is out of range for {len(xs)} logits (0 to {len(xs) - 1})")
    shift = max(x.data for x in xs)
    exps = [(x - shift).exp() for x in xs]
    return sum(exps[1:], exps[0]).log() - (xs[int(target_index)] - shift)


def hinge_loss(scores: Outputs, labels: Outputs) -> Value:
    """The max-margin loss of micrograd's demo: mean relu(1 − y·s) for labels y = ±1.

    A sample costs nothing once its score is on the right side by a margin
    of 1; otherwise the loss pushes its score that way.

    >>> from autograd import Value
    >>> hinge_loss([Value(2.0), Value(0.5)], [1, 1]).data
    0.25
    """
    pairs = _paired(scores, labels, "scores")
    for i, (_, y) in enumerate(pairs):
        if y not in (-1, 1):
            raise ValueError(f"hinge_loss takes labels -1 or +1, got {y!r} at {i} (for 0/1 labels pass 2*y - 1)")
    return _mean([(1 + s * -y).relu() for s, y in pairs])


def l2_penalty(parameters: Iterable[Value], alpha: float = 1e-4) -> Value:
    """α·Σ w² over the parameters (weight decay): added to a loss, it keeps weights small.

    >>> from autograd import Value
    >>> l2_penalty([Value(1.0), Value(-2.0)], alpha=0.5).data
    2.5
    """
    squares = [p * p for p in parameters]
    if not squares:
        raise ValueError("l2_penalty needs at least one parameter")
    return alpha * sum(squares[1:], squares[0])
