"""Loss functions: one number that says how wrong the outputs are.

Training lowers the loss by following its gradient, so each loss here is
built from engine operations and ``backward()`` differentiates it. Each
takes a model's outputs (a Value, a list of Values, or a list of such
lists — one per sample) and targets of the same shape (numbers), and
averages over all of them.

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
from typing import Any

from autograd import Value

Output = Value | float
Outputs = Output | Sequence[Output] | Sequence[Sequence[Output]]  # one sample, several, or several outputs each


def _is_scalar(x: object) -> bool:
    return isinstance(x, Value) or (isinstance(x, numbers.Real) and not isinstance(x, bool))


def _is_list(x: object) -> bool:
    return isinstance(x, Iterable) and not isinstance(x, (str, bytes))


def _as_values(x: Any, what: str) -> list[Value]:
    items = list(x) if _is_list(x) else [x]  # one Value or number: a list of one
    if not items:
        raise ValueError(f"{what} is empty")
    for i, v in enumerate(items):
        if not _is_scalar(v):
            raise TypeError(f"{what}[{i}] must be a Value or a number, got {type(v).__name__} {v!r:.40}")
    return [v if isinstance(v, Value) else Value(v) for v in items]


def _paired(outputs: Any, targets: Any, what: str) -> list[tuple[Value, Output]]:
    """(output, target) pairs from two equally shaped structures: one number each, or
    (nested) lists such as one list of outputs per sample."""
    pairs: list[tuple[Value, Output]] = []

    def walk(output: Any, target: Any, where: str) -> None:
        if _is_scalar(output):
            if _is_scalar(target):
                pairs.append((output if isinstance(output, Value) else Value(output), target))
            elif _is_list(target):
                raise ValueError(f"{where} is one number but its target is a list: {target!r:.40}")
            else:
                raise TypeError(f"the target of {where} must be a number, got {type(target).__name__} {target!r:.40}")
        elif not _is_list(output):
            raise TypeError(f"{where} must be a Value or a number, got {type(output).__name__} {output!r:.40}")
        elif not _is_list(target):
            outs = list(output)
            if len(outs) != 1:
                raise ValueError(f"{where} is a list of {len(outs)} but its target is one number: {target!r:.40}")
            walk(outs[0], target, f"{where}[0]")  # one output and its target, as model(x) would give it
        else:
            outs, wanted = list(output), list(target)
            if len(outs) != len(wanted):
                raise ValueError(f"{where} has {len(outs)} entries but its targets have {len(wanted)}")
            for i, (o, t) in enumerate(zip(outs, wanted, strict=True)):
                walk(o, t, f"{where}[{i}]")

    walk(outputs, targets, what)
    if not pairs:
        raise ValueError(f"{what} is empty")
    return pairs


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
