"""Activation functions by name: the nonlinearity a neuron applies to w·x + b.

Each maps to one gate of the engine, so the drawing shows it as one
circle and its derivative comes from the engine's op table:

    linear      x                       (no gate: the output layer of a regression)
    relu        max(x, 0)               derivative 1 if x > 0 else 0
    leaky_relu  x if x > 0 else 0.01·x  derivative 1 or 0.01
    tanh        tanh(x)                 derivative 1 − tanh²(x)
    sigmoid     σ(x) = 1/(1 + e^−x)     derivative σ(x)(1 − σ(x))

>>> from autograd import Value
>>> get_activation("tanh")(Value(0.0)).data
0.0
"""

from __future__ import annotations

from collections.abc import Callable

from autograd import Value

from .names import lookup

Activation = Callable[[Value], Value]


def _linear(x: Value) -> Value:
    return x  # no gate at all: a linear neuron outputs w·x + b unchanged


ACTIVATIONS: dict[str, Activation] = {
    "linear": _linear,
    "relu": Value.relu,
    "leaky_relu": Value.leaky_relu,  # slope 0.01, the engine's default (as PyTorch and Keras)
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
}


def get_activation(name: str) -> Activation:
    """The function for an activation name; an unknown name is a ValueError listing the known ones.

    >>> from autograd import Value
    >>> get_activation("relu")(Value(-2.0)).data
    0.0
    >>> get_activation("tahn")
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'tahn'; known: linear, relu, leaky_relu, tanh, sigmoid (did you mean 'tanh'?)
    """
    return lookup(ACTIVATIONS, name, "activation")
