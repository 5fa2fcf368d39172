"""``summary()``: a model's layers as a Keras-style table.

One row per layer — its name and type, the shape of its output, its
activation and how many parameters it has — then the total, the number
of values that training adjusts.

The table is a ``str`` (``print`` it, compare it, write it to a file)
whose ``repr`` is the table itself, so a notebook cell ending in
``model.summary()`` shows the table rather than a quoted one-line string.

>>> import nn
>>> print(summary(nn.MLP(3, [3, 2, 2])))
Model: MLP, input shape (3,)
_______________________________________________________
Layer (type)      Output Shape    Activation    Param #
=======================================================
layer1 (Layer)    (3,)            relu               12
layer2 (Layer)    (2,)            relu                8
layer3 (Layer)    (2,)            linear              6
=======================================================
Total params: 26
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .activations import activation_name

if TYPE_CHECKING:  # for the annotations only: module.py imports this file for Module.summary()
    from .module import Module

_HEADER = ("Layer (type)", "Output Shape", "Activation", "Param #")
_GAP = 4  # spaces between columns


class Summary(str):
    """The summary table: a ``str`` that shows as the table in Jupyter and at the ``>>>`` prompt.

    >>> import nn
    >>> nn.Layer(2, 1).summary()  # no quotes, no \\n: the table
    Model: Layer, input shape (2,)
    ...
    Total params: 3
    """

    def __repr__(self) -> str:
        return str(self)  # IPython shows a cell's value by its repr: the table, not a quoted string


def summary(model: Module) -> Summary:
    """The table for ``model``, as one string (``print`` it; in a notebook it shows as the table).

    >>> import nn
    >>> summary(nn.MLP(784, [16, 16, 10])).splitlines()[-1]
    'Total params: 13,002'
    """
    rows = _rows(model, model.name or "")
    widths = [max(len(row[i]) for row in [_HEADER, *rows]) for i in range(len(_HEADER))]
    total_width = sum(widths) + _GAP * (len(widths) - 1)

    def line(row: tuple[str, ...]) -> str:
        *left, right = row  # names left-aligned, counts right-aligned as in Keras
        cells = [cell.ljust(width + _GAP) for cell, width in zip(left, widths[:-1], strict=True)]
        return ("".join(cells) + right.rjust(widths[-1])).rstrip()

    return Summary(
        "\n".join(
            [
                f"Model: {type(model).__name__}, input shape ({model.nin},)",
                "_" * total_width,
                line(_HEADER),
                "=" * total_width,
                *(line(row) for row in rows),
                "=" * total_width,
                f"Total params: {model.num_parameters():,}",
            ]
        )
    )


def _rows(module: Module, name: str) -> list[tuple[str, str, str, str]]:
    layers = getattr(module, "layers", None)  # a Sequential (or MLP): a row per layer, nested ones as "layer2/layer1"
    if layers is not None:
        return [row for layer in layers for row in _rows(layer, f"{name}/{layer.name}".lstrip("/"))]
    activation = activation_name(getattr(module, "activation", ""))
    return [(f"{name} ({type(module).__name__})", f"({module.nout},)", activation, f"{module.num_parameters():,}")]
