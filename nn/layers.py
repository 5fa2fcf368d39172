"""``Neuron`` and ``Layer``: the units networks are made of.

A ``Neuron`` computes act(w·x + b). A ``Layer`` is neurons side by side,
all reading the same inputs (a fully connected layer).

While one runs, every Value it creates is tagged with where it was made
(``Value.scope``): ``"layer/neuron3"`` inside neuron 3 of a layer —
``"layer1/neuron3"`` once the layer is the first of a network. The
visualizer uses the tags to draw a big network as one box per neuron or
layer. Parameters are labelled the same way: ``N3.w0``, ``N3.b`` (in a
network ``L1.N3.w0``).

>>> layer = Layer(2, 3, activation="tanh", seed=0)
>>> [v.scope for v in layer([1.0, -1.0])], layer.neurons[2].w[0].label
(['layer/neuron1', 'layer/neuron2', 'layer/neuron3'], 'N3.w0')
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from autograd import Value
from autograd.modes import enter_scope, exit_scope

from .activations import get_activation
from .initializers import Seed, get_initializer, make_rng
from .module import Input, Module, Tensor
from .names import NOT_GIVEN, refuse_micrograd_keyword


def _positive_int(n: object, what: str) -> int:
    if isinstance(n, int) and not isinstance(n, bool) and n > 0:
        return n
    wrong_type = not isinstance(n, int) or isinstance(n, bool)
    raise (TypeError if wrong_type else ValueError)(f"{what} must be a positive int, got {n!r}")


class Neuron(Module):
    """One neuron: act(w·x + b), with ``nin`` weights and a bias.

    Weights are drawn by ``init`` (a name from ``nn.initializers``) from
    ``seed``; the bias starts at 0. ``fan_out`` is the width of the layer the
    neuron belongs to, which the Glorot initializers take into account.

    >>> n = Neuron(2, activation="linear", init="zeros")
    >>> n([1.0, 2.0]).data
    0.0
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        init: str = "uniform",
        seed: Seed = None,
        *,
        fan_out: int = 1,
        nonlin: object = NOT_GIVEN,
    ) -> None:
        refuse_micrograd_keyword("nonlin", nonlin, "Neuron")
        self.nin, self.nout = _positive_int(nin, "nin"), 1
        self.activation = activation
        self._activate = get_activation(activation)
        draw, rng = get_initializer(init), make_rng(seed)
        fan_out = _positive_int(fan_out, "fan_out")
        self.w = [Value(draw(nin, fan_out, rng)) for _ in range(nin)]
        self.b = Value(0.0)
        self.place("neuron", "")

    def place(self, scope: str | None, prefix: str) -> None:
        """Name the neuron: the scope its Values get and the prefix of its parameters' labels.

        >>> n = Neuron(2); n.place("neuron3", "L1.N3.")
        >>> [p.label for p in n.parameters()]
        ['L1.N3.w0', 'L1.N3.w1', 'L1.N3.b']
        """
        self.name = scope
        for k, w in enumerate(self.w):
            w.label = f"{prefix}w{k}"
        self.b.label = f"{prefix}b"

    def forward(self, x: Sequence[Input]) -> list[Value]:
        """[act(w·x + b)], computed under this neuron's scope.

        >>> Neuron(1, activation="relu", init="zeros").forward([5.0])[0].data
        0.0
        """
        token = enter_scope(self.name)
        try:
            # b + w0·x0 + w1·x1 + …: sum() starting from b adds no extra 0 node.
            return [self._activate(sum(map(operator.mul, self.w, x), self.b))]
        finally:
            exit_scope(token)

    def parameters(self) -> list[Value]:
        """The weights, then the bias.

        >>> len(Neuron(3).parameters())
        4
        """
        return [*self.w, self.b]

    def tensors(self) -> dict[str, Tensor]:
        """``weight`` (a list) and ``bias``.

        >>> sorted(Neuron(2).tensors())
        ['bias', 'weight']
        """
        return {"weight": list(self.w), "bias": self.b}

    def config(self) -> dict[str, Any]:
        """Type, size and activation, for ``nn.load``.

        >>> Neuron(2).config()
        {'type': 'Neuron', 'nin': 2, 'activation': 'relu'}
        """
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation}

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; a fully connected (dense) layer.

    >>> layer = Layer(3, 2, activation="tanh", seed=0)
    >>> len(layer([1.0, 2.0, 3.0])), layer.num_parameters()
    (2, 8)
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        init: str = "uniform",
        seed: Seed = None,
        *,
        nonlin: object = NOT_GIVEN,
    ) -> None:
        refuse_micrograd_keyword("nonlin", nonlin, "Layer")
        rng = make_rng(seed)  # one stream for all neurons, so they differ yet repeat
        nout = _positive_int(nout, "nout")
        self.neurons = [Neuron(nin, activation, init, rng, fan_out=nout) for _ in range(nout)]
        self.nin, self.nout, self.activation = self.neurons[0].nin, nout, activation
        self.place("layer", "")

    def place(self, scope: str | None, prefix: str) -> None:
        """Name the layer and its neurons (``neuron1``…, labels ``{prefix}N1.w0``…).

        >>> layer = Layer(2, 2); layer.place("layer1", "L1.")
        >>> layer.neurons[1].name, layer.neurons[1].b.label
        ('neuron2', 'L1.N2.b')
        """
        self.name = scope
        for j, neuron in enumerate(self.neurons, start=1):
            neuron.place(f"neuron{j}", f"{prefix}N{j}.")

    def forward(self, x: Sequence[Input]) -> list[Value]:
        """Each neuron's output, computed under this layer's scope.

        >>> [v.scope for v in Layer(1, 2).forward([1.0])]
        ['layer/neuron1', 'layer/neuron2']
        """
        token = enter_scope(self.name)
        try:
            return [neuron.forward(x)[0] for neuron in self.neurons]
        finally:
            exit_scope(token)

    def parameters(self) -> list[Value]:
        """Every neuron's weights and bias, neuron by neuron.

        >>> len(Layer(3, 2).parameters())
        8
        """
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def tensors(self) -> dict[str, Tensor]:
        """``weight``: one row of ``nin`` per neuron (PyTorch's nout × nin); ``bias``: one per neuron.

        >>> [len(t) for t in Layer(3, 2).tensors().values()]
        [2, 2]
        """
        return {"weight": [list(n.w) for n in self.neurons], "bias": [n.b for n in self.neurons]}

    def config(self) -> dict[str, Any]:
        """Type, sizes and activation, for ``nn.load``.

        >>> Layer(3, 2).config()["nout"]
        2
        """
        return {"type": "Layer", "nin": self.nin, "nout": self.nout, "activation": self.activation}

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r})"
