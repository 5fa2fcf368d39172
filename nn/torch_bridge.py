"""The way out, and back: a graphgrad network as a ``torch.nn.Sequential``, and the reverse.

When a learner outgrows graphgrad, ``model.to_torch()`` gives the same
network in PyTorch — one ``Linear`` per layer (float64, the same weights),
followed by its activation — so training can go on there, on a GPU, on
all of MNIST. ``from_torch(module)`` reads such a Sequential back, to draw
its graph or step through its backward pass here. torch stays optional:
it is imported only when one of these is called.

    graphgrad                      PyTorch
    Layer(nin, nout, "relu")       Linear(nin, nout), ReLU()
    ... "tanh" / "sigmoid"         Tanh() / Sigmoid()
    ... "leaky_relu"               LeakyReLU(0.01)
    ... "linear"                   Linear(nin, nout) alone
    Neuron(nin, act)               Linear(nin, 1), act
    Sequential / MLP               the layers above, in order

>>> import nn
>>> model = nn.MLP(3, [4, 1], activation="tanh", seed=0)
>>> torch_model = model.to_torch()
>>> torch_model
Sequential(
  (0): Linear(in_features=3, out_features=4, bias=True)
  (1): Tanh()
  (2): Linear(in_features=4, out_features=1, bias=True)
)
"""

from __future__ import annotations

import itertools
from typing import Any

from .layers import Layer, Neuron
from .module import Module
from .networks import MLP, Sequential

# graphgrad activation -> the torch.nn class name (LeakyReLU with graphgrad's slope, 0.01)
TORCH_ACTIVATIONS = {"relu": "ReLU", "leaky_relu": "LeakyReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}
LEAKY_SLOPE = 0.01  # nn's "leaky_relu" activation, as Value.leaky_relu's default


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError("this needs PyTorch, which graphgrad does not install: pip install torch") from None
    return torch


def to_torch(model: Module) -> Any:
    """``model`` as a ``torch.nn.Sequential`` of float64 ``Linear`` layers and activations, same weights.

    >>> import nn
    >>> [type(m).__name__ for m in to_torch(nn.MLP(2, [3, 1], activation="relu"))]
    ['Linear', 'ReLU', 'Linear']
    """
    torch = _torch()
    modules = []
    for layer in _layers(model):
        weight = [[w.data for w in neuron.w] for neuron in layer]
        bias = [neuron.b.data for neuron in layer]
        linear = torch.nn.Linear(len(weight[0]), len(weight), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(weight, dtype=torch.float64))
            linear.bias.copy_(torch.tensor(bias, dtype=torch.float64))
        modules.append(linear)
        activation = layer[0].activation
        if not isinstance(activation, str):  # a gate of your own (autograd.gate): PyTorch has no such layer
            raise TypeError(
                f"to_torch cannot convert the activation gate {activation!r}: PyTorch has no layer for a gate "
                "of your own; write it as a torch.nn.Module and append it yourself"
            )
        if activation == "leaky_relu":
            modules.append(torch.nn.LeakyReLU(LEAKY_SLOPE))
        elif activation != "linear":
            modules.append(getattr(torch.nn, TORCH_ACTIVATIONS[activation])())
    return torch.nn.Sequential(*modules)


def _layers(module: Module) -> list[list[Neuron]]:
    """The network as dense layers, each a list of neurons sharing one activation."""
    if isinstance(module, Sequential):
        return [layer for part in module.layers for layer in _layers(part)]
    if isinstance(module, Layer):
        return [list(module.neurons)]
    if isinstance(module, Neuron):
        return [[module]]
    raise TypeError(
        f"to_torch knows Neuron, Layer, Sequential and MLP, got {type(module).__name__}: "
        "convert a network of your own layer by layer"
    )


def from_torch(module: Any) -> Module:
    """The graphgrad network of a ``torch.nn.Sequential`` of ``Linear`` layers, each optionally
    followed by ReLU, LeakyReLU(0.01), Tanh or Sigmoid: an ``MLP`` when every hidden layer has
    the same activation, else a ``Sequential`` of ``Layer``\\ s. Weights are copied exactly.

    >>> import torch
    >>> from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)))
    MLP(2, [3, 1], activation='tanh', output_activation='linear')
    """
    torch = _torch()
    if not isinstance(module, torch.nn.Sequential):
        raise TypeError(
            f"from_torch takes a torch.nn.Sequential of Linear and activation layers, got {type(module).__name__}"
        )
    parts = [m for m in _flatten(torch, module) if not isinstance(m, torch.nn.Identity)]
    layers: list[tuple[Any, str]] = []  # (Linear, activation name)
    for position, part in enumerate(parts):
        if isinstance(part, torch.nn.Linear):
            layers.append((part, "linear"))
            continue
        name = _activation_name(torch, part, position)
        if not layers or layers[-1][1] != "linear" or not isinstance(parts[position - 1], torch.nn.Linear):
            after = f"after {type(parts[position - 1]).__name__}" if position else "first"
            raise ValueError(
                f"from_torch: {type(part).__name__} at position {position} comes {after}; graphgrad's layers "
                "are a Linear followed by at most one activation"
            )
        layers[-1] = (layers[-1][0], name)
    if not layers:
        raise ValueError("from_torch: the Sequential has no Linear layer")
    for (a, _), (b, _) in itertools.pairwise(layers):
        if a.out_features != b.in_features:
            raise ValueError(f"from_torch: a Linear gives {a.out_features} outputs but the next takes {b.in_features}")
    return _build(layers)


def _flatten(torch: Any, module: Any) -> list[Any]:
    return [
        m for child in module for m in (_flatten(torch, child) if isinstance(child, torch.nn.Sequential) else [child])
    ]


def _activation_name(torch: Any, part: Any, position: int) -> str:
    for name, class_name in TORCH_ACTIVATIONS.items():
        if type(part) is getattr(torch.nn, class_name):
            if name == "leaky_relu" and part.negative_slope != LEAKY_SLOPE:
                raise ValueError(
                    f"from_torch: LeakyReLU at position {position} has slope {part.negative_slope}; "
                    f"graphgrad's leaky_relu activation has slope {LEAKY_SLOPE}"
                )
            return name
    known = ", ".join(["Linear", "Identity", *TORCH_ACTIVATIONS.values()])
    raise TypeError(f"from_torch cannot express {type(part).__name__} (at position {position}); it knows {known}")


def _build(layers: list[tuple[Any, str]]) -> Module:
    """An MLP when the hidden activations agree, else a Sequential of Layers; then the weights."""
    sizes = [layers[0][0].in_features, *(linear.out_features for linear, _ in layers)]
    hidden = {name for _, name in layers[:-1]}
    model: Module
    if len(hidden) <= 1:
        activation = hidden.pop() if hidden else "relu"
        model = MLP(sizes[0], sizes[1:], activation=activation, output_activation=layers[-1][1])
        built = list(model.layers)  # type: ignore[attr-defined]
    else:
        built = [Layer(linear.in_features, linear.out_features, activation=name) for linear, name in layers]
        model = Sequential(*built)
    for layer, (linear, _) in zip(built, layers, strict=True):
        weight = linear.weight.detach().double().tolist()
        bias = linear.bias.detach().double().tolist() if linear.bias is not None else [0.0] * linear.out_features
        for neuron, row, b in zip(layer.neurons, weight, bias, strict=True):
            for w, x in zip(neuron.w, row, strict=True):
                w.data = x
            neuron.b.data = b
    return model
