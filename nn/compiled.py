"""``fit(..., compiled=True)``: the training step through ``autograd.compile``.

The eager step builds one graph per sample and walks it; here the loss of
*one* sample is recorded once, and every mini-batch runs through it as
array operations (see ``autograd/compile.py``) — the same loss and the same
gradients, to rounding, in a fraction of the time. The model's outputs,
which ``fit`` needs for the accuracy, are a second compiled function.

One loss needs rewriting for it. ``nn.cross_entropy`` takes the target as a
class index, which picks a logit (the graph would differ from class to
class), and shifts the logits by the largest one's ``.data`` (a number taken
out of a Value, which a recording would keep from its example). Here the
target is a one-hot row, ``Σ tⱼ·xⱼ`` picks the logit, and the shift is the
largest logit as a chain of ``max`` gates: the same numbers, from a graph
that is the same for every sample.

>>> import nn
>>> from autograd import Value
>>> logits = [Value(2.0), Value(1.0), Value(0.1)]
>>> cross_entropy_one_hot(logits, [1.0, 0.0, 0.0]).data == nn.cross_entropy(logits, 0).data
True
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import Value, compile

from .losses import l2_penalty
from .module import Module


def cross_entropy_one_hot(logits: Sequence[Value], one_hot: Sequence[Any]) -> Value:
    """−log softmax(logits)·target for a one-hot ``target``, built from gates only (see the module docstring).

    >>> from autograd import Value
    >>> cross_entropy_one_hot([Value(1000.0), Value(0.0)], [0.0, 1.0]).data
    1000.0
    """
    shift = logits[0]
    for x in logits[1:]:
        shift = shift.max(x)
    exps = [(x - shift).exp() for x in logits]
    picked = sum((t * (x - shift) for t, x in zip(one_hot, logits, strict=True)), Value(0.0))
    return sum(exps[1:], exps[0]).log() - picked


def class_indices(targets: Sequence[Any], classes: int) -> np.ndarray:
    """Targets for cross_entropy as one-hot rows, refused as ``nn.cross_entropy`` refuses them.

    >>> class_indices([2, 0], 3).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    rows = np.zeros((len(targets), classes))
    for i, t in enumerate(targets):
        if not isinstance(t, numbers.Integral) or isinstance(t, bool):
            raise TypeError(f"target_index must be an int class index, got {type(t).__name__} {t!r}")
        if not 0 <= int(t) < classes:
            raise IndexError(f"target_index {t} is out of range for {classes} logits (0 to {classes - 1})")
        rows[i, int(t)] = 1.0
    return rows


def as_arrays(
    samples: Sequence[Sequence[Any]], targets: Sequence[Any], loss_name: str, classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Samples and targets as float arrays, the targets one-hot rows for cross_entropy.

    >>> [a.tolist() for a in as_arrays([[1, 2]], [1], "cross_entropy", 2)]
    [[[1.0, 2.0]], [[0.0, 1.0]]]
    """
    X = samples if isinstance(samples, np.ndarray) else np.array([[float(v) for v in row] for row in samples])
    if loss_name == "cross_entropy":
        return X, class_indices(targets, classes)
    return X, np.asarray(targets, dtype=float)


class CompiledSteps:
    """A model's training loss (+ ``alpha``·Σw²), plain loss and outputs, each compiled for one sample."""

    def __init__(
        self, model: Module, loss_name: str, loss: Callable[..., Value], classify: bool, alpha: float, example: Any
    ) -> None:
        self.model, self.loss_name = model, loss_name
        sample_loss = cross_entropy_one_hot if loss_name == "cross_entropy" else loss
        params = model.parameters()
        x0, t0 = example

        def plain(x: list[Value], target: Any) -> Value:
            return sample_loss(model.forward(x), target)

        def penalized(x: list[Value], target: Any) -> Value:
            return plain(x, target) + l2_penalty(params, alpha)

        self.loss = compile(plain, x0, t0)
        self.train = compile(penalized, x0, t0) if alpha else self.loss
        self.outputs = compile(lambda x: model.forward(x), x0) if classify else None

    def arrays(self, samples: Sequence[Sequence[Any]], targets: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        """The samples and targets as arrays (see ``as_arrays``)."""
        return as_arrays(samples, targets, self.loss_name, self.model.nout)

    def evaluate(self, X: np.ndarray, T: np.ndarray) -> tuple[float, np.ndarray | None]:
        """The mean plain loss over ``X`` and the outputs (None for regression); nothing trains."""
        losses = self.loss.evaluate(X, T).tolist()
        outputs = self.outputs.evaluate(X) if self.outputs is not None else None
        return sum(losses, 0.0) / len(losses), outputs
