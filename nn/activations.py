"""Activation functions by name: the nonlinearity a neuron applies to w·x + b.

Each maps to one gate of the engine, so the drawing shows it as one
circle and its derivative comes from the engine's op table:

    linear      x                       (no gate: the output layer of a regression)
    relu        max(x, 0)               derivative 1 if x > 0 else 0
    leaky_relu  x if x > 0 else 0.01·x  derivative 1 or 0.01
    tanh        tanh(x)                 derivative 1 − tanh²(x)
    sigmoid     σ(x) = 1/(1 + e^−x)     derivative σ(x)(1 − σ(x))

A gate of your own (``autograd.gate``) works wherever a name does
(``nn.MLP(2, [4, 1], activation=my_gate)``): it is drawn with its symbol.
A model that uses one cannot be saved by ``nn.save``, which stores
activations by name (its weights can: ``model.state_dict()``).

>>> from autograd import Value
>>> get_activation("tanh")(Value(0.0)).data
0.0
"""

from __future__ import annotations

from collections.abc import Callable

from autograd import Gate, Value

from .names import lookup

Activation = Callable[[Value], Value]
ActivationSpec = str | Gate  # what a layer takes: a name, or a gate of your own


def _linear(x: Value) -> Value:
    return x  # no gate at all: a linear neuron outputs w·x + b unchanged


ACTIVATIONS: dict[str, Activation] = {
    "linear": _linear,
    "relu": Value.relu,
    "leaky_relu": Value.leaky_relu,  # slope 0.01, the engine's default (as PyTorch and Keras)
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
}


def get_activation(activation: ActivationSpec) -> Activation:
    """The function for an activation name, or the gate itself; an unknown name is a ValueError listing the known ones.

    >>> import math
    >>> from autograd import Value, gate
    >>> get_activation("relu")(Value(-2.0)).data
    0.0
    >>> softsign = gate("softsign", lambda x: x / (1 + abs(x)), lambda out, x: (1 / (1 + abs(x)) ** 2,))
    >>> get_activation(softsign)(Value(1.0)).op
    'softsign'
    >>> get_activation("tahn")
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'tahn'; known: linear, relu, leaky_relu, tanh, sigmoid (did you mean 'tanh'?)
    """
    if isinstance(activation, Gate):
        return activation
    if not isinstance(activation, str):
        raise TypeError(
            "activation must be given by name (a str) or be a gate made with autograd.gate, "
            f"got {type(activation).__name__} {activation!r:.40}; known names: " + ", ".join(ACTIVATIONS)
        )
    return lookup(ACTIVATIONS, activation, "activation")


def activation_name(activation: ActivationSpec) -> str:
    """How tables and drawings name an activation: the name itself, or a gate's symbol.

    >>> from autograd import gate
    >>> activation_name("tanh"), activation_name(gate("σ", lambda x: x, lambda out, x: (1.0,)))
    ('tanh', 'σ')
    """
    return activation.symbol if isinstance(activation, Gate) else activation


def saved_name(activation: ActivationSpec) -> str:
    """The activation as ``nn.save`` stores it, by name; a gate of your own is a ValueError (before writing).

    >>> from autograd import gate
    >>> saved_name(gate("σ", lambda x: x, lambda out, x: (1.0,)))
    Traceback (most recent call last):
    ...
    ValueError: cannot save an activation that is a gate of your own, gate('σ'): a saved model names its activations ...
    """
    if isinstance(activation, Gate):
        raise ValueError(
            f"cannot save an activation that is a gate of your own, {activation!r}: a saved model names its "
            f"activations ({', '.join(ACTIVATIONS)}) and code is never stored; save the weights with "
            "model.state_dict() and rebuild the model with your gate, or use a built-in activation"
        )
    return activation
