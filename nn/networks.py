"""``Sequential`` and ``MLP``: layers composed into a network.

``Sequential`` feeds each layer's outputs to the next; ``MLP`` is a
Sequential of Layers described by its widths. A network names its layers
by position, so the Values made inside neuron 3 of layer 1 carry the scope
``"layer1/neuron3"`` and the parameters there the labels ``L1.N3.w0``…

>>> import nn
>>> model = nn.MLP(3, [4, 4, 1], activation="tanh", seed=0)
>>> out = model([2.0, 3.0, -1.0])
>>> out.scope, model.layers[0].neurons[2].w[0].label
('layer3/neuron1', 'L1.N3.w0')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import Value
from autograd.modes import enter_scope, exit_scope

from .activations import get_activation
from .initializers import Seed, make_rng
from .layers import Layer
from .module import Input, Module, Tensor
from .names import NOT_GIVEN, refuse_micrograd_keyword


class Sequential(Module):
    """Layers applied one after another: each one's outputs are the next one's inputs.

    >>> model = Sequential(Layer(2, 4, activation="tanh"), Layer(4, 1, activation="sigmoid"))
    >>> 0.0 < model([1.0, -1.0]).data < 1.0
    True
    """

    layers: Sequence[Module]  # a list; typed read-only: build a new Sequential to change it

    def __init__(self, *layers: Module) -> None:
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            raise TypeError("Sequential takes the layers as separate arguments: Sequential(*layers), not a list")
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for i, layer in enumerate(layers, start=1):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential takes nn modules, got {type(layer).__name__} as layer {i}")
            if i > 1 and layer.nin != layers[i - 2].nout:
                raise ValueError(
                    f"layer {i} takes {layer.nin} inputs but layer {i - 1} gives {layers[i - 2].nout} outputs"
                )
        self.layers = list(layers)
        self.nin, self.nout = layers[0].nin, layers[-1].nout
        self.place(None, "")

    def place(self, scope: str | None, prefix: str) -> None:
        """Name the layers ``layer1``, ``layer2``… (labels ``{prefix}L1.N1.w0``…).

        >>> model = Sequential(Layer(1, 1), Layer(1, 1))
        >>> model.layers[1].neurons[0].b.label
        'L2.N1.b'
        """
        self.name = scope  # None at the top: an MLP adds no scope of its own
        for i, layer in enumerate(self.layers, start=1):
            layer.place(f"layer{i}", f"{prefix}L{i}.")

    def forward(self, x: Sequence[Input]) -> list[Value]:
        """The last layer's outputs.

        >>> len(Sequential(Layer(2, 3), Layer(3, 2)).forward([1.0, 2.0]))
        2
        """
        token = enter_scope(self.name)
        try:
            out = self.layers[0].forward(x)
            for layer in self.layers[1:]:
                out = layer.forward(out)
            return out
        finally:
            exit_scope(token)

    def parameters(self) -> list[Value]:
        """Every layer's parameters, in order.

        >>> len(Sequential(Layer(2, 3), Layer(3, 1)).parameters())
        13
        """
        return [p for layer in self.layers for p in layer.parameters()]

    def tensors(self) -> dict[str, Tensor]:
        """Each layer's tensors, named ``layer1.weight``, ``layer1.bias``, …

        >>> list(Sequential(Layer(2, 1)).tensors())
        ['layer1.weight', 'layer1.bias']
        """
        return {f"layer{i}.{k}": t for i, layer in enumerate(self.layers, start=1) for k, t in layer.tensors().items()}

    def config(self) -> dict[str, Any]:
        """Each layer's config, for ``nn.load``.

        >>> Sequential(Layer(2, 1)).config()["layers"][0]["type"]
        'Layer'
        """
        return {"type": "Sequential", "layers": [layer.config() for layer in self.layers]}

    def __repr__(self) -> str:
        lines = [f"  (layer{i}): " + repr(layer).replace("\n", "\n  ") for i, layer in enumerate(self.layers, 1)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"


class MLP(Sequential):
    """A multi-layer perceptron: ``nin`` inputs, then one Layer per width in ``nouts``.

    Hidden layers use ``activation``, the last layer ``output_activation``
    (linear by default: a raw score, as a loss expects).

    >>> model = MLP(3, [4, 4, 1], activation="tanh", seed=0)
    >>> model
    MLP(3, [4, 4, 1], activation='tanh', output_activation='linear')
    >>> type(model([2.0, 3.0, -1.0])).__name__
    'Value'
    """

    layers: Sequence[Layer]  # narrower than Sequential's: an MLP's layers are Layers (with .neurons)

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        init: str = "uniform",
        seed: Seed = None,
        *,
        nonlin: object = NOT_GIVEN,
    ) -> None:
        refuse_micrograd_keyword("nonlin", nonlin, "MLP")
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
            raise TypeError(f"nouts must be a non-empty list of layer widths such as [16, 16, 1], got {nouts!r}")
        get_activation(activation)  # check the name even when no hidden layer uses it (nouts of length 1)
        rng = make_rng(seed)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        super().__init__(
            *(
                Layer(sizes[i], sizes[i + 1], activation if i < last else output_activation, init, rng)
                for i in range(len(nouts))
            )
        )
        self.activation, self.output_activation = activation, output_activation

    def config(self) -> dict[str, Any]:
        """Sizes and activations, for ``nn.load``.

        >>> MLP(2, [3, 1]).config()["nouts"]
        [3, 1]
        """
        return {
            "type": "MLP",
            "nin": self.nin,
            "nouts": [layer.nout for layer in self.layers],
            "activation": self.activation,
            "output_activation": self.output_activation,
        }

    def __repr__(self) -> str:
        nouts = [layer.nout for layer in self.layers]
        return f"MLP({self.nin}, {nouts}, activation={self.activation!r}, output_activation={self.output_activation!r})"
