"""nn — neurons, layers and MLPs on the autograd engine, trained end to end.

A tiny Keras/PyTorch: modules you call on a list of numbers, activations
and initializers by name, losses, SGD, a ``fit`` helper, a Keras-style
``summary()``, and saving to JSON.

>>> import nn
>>> model = nn.MLP(3, [4, 4, 1], activation="tanh", output_activation="linear", seed=0)
>>> out = model([2.0, 3.0, -1.0])
>>> loss = nn.mse_loss(out, 1.0)
>>> model.zero_grad(); loss.backward()
>>> model.num_parameters()
41
"""

from .clash import require

# Before anything imports it: if another distribution (HIPS autograd) has the name, say so.
__version__ = require("autograd").__version__  # one version for graphgrad, kept in autograd/__init__.py

from .activations import ACTIVATIONS, get_activation
from .data import load_digits, make_moons, train_test_split
from .initializers import INITIALIZERS, get_initializer
from .layers import Layer, Neuron
from .losses import binary_cross_entropy, cross_entropy, hinge_loss, l2_penalty, mse_loss, softmax
from .module import Module
from .networks import MLP, Sequential
from .optimizers import SGD
from .serialization import load, save
from .summary import summary
from .torch_bridge import from_torch
from .training import OBJECTIVES, accuracy, fit

__all__ = [
    "ACTIVATIONS",
    "INITIALIZERS",
    "MLP",
    "OBJECTIVES",
    "SGD",
    "Layer",
    "Module",
    "Neuron",
    "Sequential",
    "accuracy",
    "binary_cross_entropy",
    "cross_entropy",
    "fit",
    "from_torch",
    "get_activation",
    "get_initializer",
    "hinge_loss",
    "l2_penalty",
    "load",
    "load_digits",
    "make_moons",
    "mse_loss",
    "save",
    "softmax",
    "summary",
    "train_test_split",
    "__version__",
]
