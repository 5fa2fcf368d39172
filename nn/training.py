"""Training you can watch: ``fit`` runs mini-batch gradient descent and
returns the loss (and accuracy) of every epoch; ``accuracy`` scores a model.

One step is the whole of backpropagation in four lines — outputs, loss,
``backward()``, ``SGD.step()`` — repeated over shuffled mini-batches,
one pass over the data per epoch. With a terminal or notebook attached a
progress bar shows the loss as it falls (tqdm, if installed: ``pip install
graphgrad[progress]``; else a plain line now and then).

>>> import nn
>>> model = nn.MLP(1, [1], seed=0)
>>> history = fit(model, [[1.0], [2.0]], [2.0, 4.0], loss="mse", epochs=300, lr=0.2)
>>> round(model([3.0]).data, 2)
6.0
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd import Value, no_grad

from .compiled import CompiledSteps, as_arrays
from .losses import binary_cross_entropy, cross_entropy, hinge_loss, l2_penalty, mse_loss
from .module import Input, Module, as_inputs, input_leaves
from .names import lookup
from .optimizers import SGD


def _argmax(outputs: list[float]) -> int:
    return max(range(len(outputs)), key=outputs.__getitem__)


@dataclass(frozen=True)
class Objective:
    """A loss for one sample and, for classification, the class an output predicts."""

    loss: Callable[[list[Value], Any], Value]  # (outputs of one sample, its target) -> loss
    predict: Callable[[list[float]], Any] | None  # output values -> predicted label; None for regression


OBJECTIVES: dict[str, Objective] = {
    "mse": Objective(mse_loss, None),
    "binary_cross_entropy": Objective(binary_cross_entropy, lambda out: int(out[0] > 0.5)),  # labels 0/1
    "cross_entropy": Objective(cross_entropy, _argmax),  # labels 0..k-1, one output (logit) per class
    "hinge": Objective(hinge_loss, lambda out: 1 if out[0] > 0.0 else -1),  # labels ±1, the score's sign
}

LearningRate = float | Callable[[int], float]
BAR_WIDTH = 20  # characters of the text progress bar drawn when tqdm is not installed


def fit(
    model: Module,
    X: Any,
    y: Any,
    *,
    loss: str = "mse",
    epochs: int = 10,
    lr: LearningRate = 0.1,
    batch_size: int | None = None,
    momentum: float = 0.0,
    alpha: float = 0.0,
    seed: int | None = 0,
    validation: tuple[Any, Any] | None = None,
    progress: bool | None = None,
    compiled: bool = False,
) -> dict[str, list[float]]:
    """Train ``model`` on samples ``X`` (rows) with targets ``y``; returns the history per epoch.

    ``loss`` is ``"mse"``, ``"binary_cross_entropy"``, ``"cross_entropy"`` or
    ``"hinge"``. Each step takes ``batch_size`` samples (all of them by
    default), minimises their mean loss + ``alpha``·Σw², and moves the weights
    with SGD (``lr``: a number, or a function of the epoch, 0-based; ``momentum``).
    The history holds ``"loss"`` (what the steps minimised, penalty included)
    and, for classification, ``"accuracy"``, both averaged over the epoch's
    steps; with ``validation=(X_val, y_val)`` also ``"val_loss"`` (the loss
    alone) and ``"val_accuracy"``, measured after the epoch. ``progress`` forces the progress
    display on or off (default: on when a terminal or notebook is attached).

    ``compiled=True`` records the loss of one sample once (``autograd.compile``)
    and runs every mini-batch through it as array operations: the same losses
    and gradients to rounding, many times faster (``nn/compiled.py``). The
    default builds every sample's graph, which is what the drawings show.

    >>> import nn
    >>> model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    >>> history = fit(model, [[0, 0], [1, 1]], [-1, 1], loss="hinge", epochs=5, lr=0.1)
    >>> sorted(history), len(history["loss"]), history["accuracy"][-1]
    (['accuracy', 'loss'], 5, 1.0)
    """
    objective = lookup(OBJECTIVES, loss, "loss")
    samples, targets = _array_dataset(model, X, y) if compiled else _dataset(model, X, y)
    batch_size = len(samples) if batch_size is None else batch_size
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int (or None: all samples), got {batch_size!r}")
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError(f"epochs must be an int ≥ 0, got {epochs!r}")
    schedule = lr if callable(lr) else (lambda epoch: lr)
    optimizer = SGD(model.parameters(), schedule(0), momentum)
    history: dict[str, list[float]] = {"loss": []}
    if objective.predict:
        history["accuracy"] = []
    shuffler = random.Random(seed)
    order = list(range(len(samples)))
    fast = _compiled(model, loss, objective, alpha, samples, targets) if compiled else None
    epoch_range, report = _progress(epochs, progress)
    for epoch in epoch_range:
        optimizer.lr = schedule(epoch)
        shuffler.shuffle(order)
        total_loss, correct = 0.0, 0
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            if fast is not None:  # the same step, as array operations over the batch
                steps, X, T = fast
                outputs = steps.outputs.evaluate(X[batch]).tolist() if steps.outputs is not None else []
                optimizer.zero_grad()
                batch_loss_value = steps.train(X[batch], T[batch])
                optimizer.step()
            else:
                values = [model.forward(input_leaves(samples[i])) for i in batch]
                batch_loss = _mean([objective.loss(out, targets[i]) for out, i in zip(values, batch, strict=True)])
                if alpha:
                    batch_loss = batch_loss + l2_penalty(optimizer.params, alpha)
                optimizer.zero_grad()
                batch_loss.backward()
                optimizer.step()
                batch_loss_value = batch_loss.data
                outputs = [[v.data for v in out] for out in values]
            total_loss += batch_loss_value * len(batch)
            if objective.predict:
                correct += _correct(objective.predict, outputs, [targets[i] for i in batch])
        history["loss"].append(total_loss / len(samples))
        if objective.predict:
            history["accuracy"].append(correct / len(samples))
        if validation is not None:
            val_loss, val_accuracy = _evaluate(model, objective, *validation, fast=fast)
            history.setdefault("val_loss", []).append(val_loss)
            if val_accuracy is not None:
                history.setdefault("val_accuracy", []).append(val_accuracy)
        report(epoch, epochs, {name: values[-1] for name, values in history.items()})
    return history


def accuracy(model: Module, X: Any, y: Any, loss: str = "cross_entropy") -> float:
    """The fraction of samples whose predicted class is the label.

    The class an output predicts depends on what the model was trained with
    (``loss``): the largest logit for cross_entropy, p > 0.5 for
    binary_cross_entropy, the score's sign for hinge.

    >>> import nn
    >>> model = nn.Neuron(1, activation="linear", init="zeros")
    >>> model.b.data = 1.0  # scores every sample +1
    >>> accuracy(model, [[0.0], [5.0], [-2.0]], [1, 1, -1], loss="hinge")
    0.6666666666666666
    """
    objective = lookup(OBJECTIVES, loss, "loss")
    if objective.predict is None:
        raise ValueError(f"accuracy needs a classification loss; {loss!r} is for regression")
    samples, targets = _dataset(model, X, y)
    with no_grad():  # values only: nothing to differentiate
        outputs = [model.forward(input_leaves(x)) for x in samples]
    return _correct(objective.predict, [[v.data for v in out] for out in outputs], targets) / len(samples)


def _array_dataset(model: Module, X: Any, y: Any) -> tuple[Any, list[Any]]:
    """``_dataset`` for the compiled path: the samples as one float array, checked by NumPy when
    X already is a 2-D array of numbers (60,000 MNIST rows: 0.1 s instead of 10)."""
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.shape[1] == model.nin and X.dtype.kind in "iuf" and len(X):
        targets = y.tolist() if hasattr(y, "tolist") else list(y)
        if len(targets) != len(X):
            raise ValueError(f"X has {len(X)} samples but y has {len(targets)}")
        return X.astype(float), targets
    samples, targets = _dataset(model, X, y)  # its checks and messages
    return np.array([[float(v) for v in row] for row in samples]), targets


def _dataset(model: Module, X: Any, y: Any) -> tuple[list[list[Input]], list[Any]]:
    """Rows as lists of floats, checked once here so each step can skip the check."""
    rows = X.tolist() if hasattr(X, "tolist") else list(X)
    targets = y.tolist() if hasattr(y, "tolist") else list(y)
    if len(rows) != len(targets):
        raise ValueError(f"X has {len(rows)} samples but y has {len(targets)}")
    if not rows:
        raise ValueError("no samples: X is empty")
    return [as_inputs(row, model.nin, f"sample {i}") for i, row in enumerate(rows)], targets


def _mean(losses: list[Value]) -> Value:
    return sum(losses[1:], losses[0]) / len(losses)


def _correct(predict: Callable[[list[float]], Any], outputs: list[list[float]], targets: list[Any]) -> int:
    return sum(bool(predict(out) == t) for out, t in zip(outputs, targets, strict=True))


def _evaluate(model: Module, objective: Objective, X: Any, y: Any, fast: Any = None) -> tuple[float, float | None]:
    samples, targets = _array_dataset(model, X, y) if fast is not None else _dataset(model, X, y)
    if fast is not None:  # compiled: the validation set as arrays, in one pass
        steps = fast[0]
        loss, outputs = steps.evaluate(*steps.arrays(samples, targets))
        outputs = outputs.tolist() if outputs is not None else None
    else:
        with no_grad():  # values only: nothing to differentiate
            values = [model.forward(input_leaves(x)) for x in samples]
            loss = sum(objective.loss(out, t).data for out, t in zip(values, targets, strict=True)) / len(samples)
        outputs = [[v.data for v in out] for out in values]
    if objective.predict is None or outputs is None:
        return loss, None
    return loss, _correct(objective.predict, outputs, targets) / len(samples)


def _compiled(
    model: Module, loss: str, objective: Objective, alpha: float, samples: Any, targets: list[Any]
) -> tuple[CompiledSteps, Any, Any]:
    """fit's compiled steps and the whole data set as arrays (samples, targets)."""
    X, T = as_arrays(samples, targets, loss, model.nout)
    steps = CompiledSteps(model, loss, objective.loss, objective.predict is not None, alpha, (X[0], T[0]))
    return steps, X, T


Reporter = Callable[[int, int, dict[str, float]], None]


def _progress(epochs: int, show: bool | None) -> tuple[Sequence[int], Reporter]:
    """The epochs to loop over (a tqdm bar when available) and how to report each one."""
    if show is None:
        show = _interactive()
    if not show:
        return range(epochs), lambda epoch, total, metrics: None
    try:
        from tqdm.auto import tqdm  # a widget in notebooks, a text bar in terminals
    except ImportError:  # no tqdm: draw a bar ourselves on a terminal, print lines elsewhere
        return range(epochs), _text_bar if _on_terminal() else _lines(epochs)
    bar = tqdm(range(epochs), desc="training", unit="epoch")
    return bar, lambda epoch, total, metrics: bar.set_postfix_str(_format(metrics))


def _text_bar(epoch: int, total: int, metrics: dict[str, float]) -> None:
    """``training [########............] 8/20 epochs  loss …``, redrawn in place on stderr (as tqdm does)."""
    filled = round(BAR_WIDTH * (epoch + 1) / total)
    line = f"training [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {epoch + 1}/{total} epochs  {_format(metrics)}"
    # \r returns to the line's start; the padding wipes a longer previous line.
    print("\r" + line.ljust(79), end="\n" if epoch + 1 == total else "", file=sys.stderr, flush=True)


def _lines(epochs: int) -> Reporter:
    """About 20 plain lines on stdout, whatever the epoch count (a notebook without tqdm, a log file)."""
    every = max(1, math.ceil(epochs / 20))

    def print_line(epoch: int, total: int, metrics: dict[str, float]) -> None:
        if (epoch + 1) % every == 0 or epoch + 1 == total:
            print(f"epoch {epoch + 1}/{total}  " + _format(metrics), flush=True)

    return print_line


def _format(metrics: dict[str, float]) -> str:
    return "  ".join(
        f"{name} {value:.1%}" if "accuracy" in name else f"{name} {value:.4f}" for name, value in metrics.items()
    )


def _interactive() -> bool:
    """Whether someone is watching: a Jupyter kernel, or a terminal on stderr (where the bar goes)."""
    ipython = sys.modules.get("IPython")  # only look if it is already imported: no import cost here
    shell = ipython.get_ipython() if ipython is not None else None
    if type(shell).__name__ == "ZMQInteractiveShell":  # the kernel behind a notebook
        return True
    return _on_terminal()


def _on_terminal() -> bool:
    """Whether stderr, where a progress bar goes, is a terminal."""
    stream = sys.stderr
    return stream is not None and hasattr(stream, "isatty") and stream.isatty()
