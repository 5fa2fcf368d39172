"""``Module``: what every network part shares.

A module owns parameters (Values that training changes), maps a list of
inputs to a list of outputs (``forward``), and can be called like a
function. This base class gives every module, from one neuron to a whole
MLP, the same tools: ``parameters()``, ``zero_grad()``,
``num_parameters()``, ``summary()``, and ``state_dict()`` /
``load_state_dict()`` to copy weights out and back in.

>>> import nn
>>> model = nn.MLP(2, [3, 1], seed=0)
>>> model.num_parameters()
13
>>> sorted(model.state_dict())
['layer1.bias', 'layer1.weight', 'layer2.bias', 'layer2.weight']
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

from autograd import Value

Input = Value | float
# A parameter tensor: one Value, or a (nested) list of them — a layer's
# weights are a list of rows, one per neuron.
Tensor = Value | list["Tensor"]


class Module:
    """The base of every network part: parameters, calling, and copying weights.

    Subclasses set ``nin`` and ``nout`` and define ``forward``,
    ``parameters`` and ``tensors``.

    >>> import nn
    >>> isinstance(nn.Layer(2, 3), Module)
    True
    """

    nin: int  # how many inputs a call takes
    nout: int  # how many outputs it gives
    name: str | None = None  # the scope its Values get: "layer1", "neuron3"; None for a top-level Sequential

    def forward(self, x: Sequence[Input]) -> list[Value]:
        """The outputs for inputs already checked by ``__call__`` (always a list).

        >>> import nn
        >>> len(nn.Layer(2, 3).forward([1.0, 2.0]))
        3
        """
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, x: Input | Sequence[Input]) -> Value | list[Value]:
        """Run the module: a Value when it has one output, else a list of Values.

        ``x`` is a list (or tuple, or NumPy row) of ``nin`` numbers or Values;
        a module with one input also takes a bare number. Numbers become
        leaves labelled ``x0``, ``x1``, … (see ``input_leaves``).

        >>> import nn
        >>> nn.Neuron(2, activation="linear", init="zeros")([1.0, 2.0]).data
        0.0
        """
        out = self.forward(input_leaves(as_inputs(x, self.nin, type(self).__name__)))
        return out[0] if len(out) == 1 else out

    def place(self, scope: str | None, prefix: str) -> None:
        """Give the module its place in a model: the scope its Values are
        tagged with and the prefix of its parameters' labels (``"L1."``).
        A Sequential places its layers when it is built.

        >>> import nn
        >>> layer = nn.Layer(1, 1); layer.place("layer2", "L2.")
        >>> layer.neurons[0].w[0].label
        'L2.N1.w0'
        """
        self.name = scope

    def parameters(self) -> list[Value]:
        """Every Value that training adjusts, weights and biases alike.

        >>> import nn
        >>> len(nn.Neuron(3).parameters())
        4
        """
        return []

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0 — parameters accumulate
        gradients across ``backward()`` calls, so do this before each one.

        >>> import nn
        >>> n = nn.Neuron(1, activation="linear")
        >>> n([2.0]).backward()
        >>> n.zero_grad(); [p.grad for p in n.parameters()]
        [0.0, 0.0]
        """
        for p in self.parameters():
            p.grad = 0.0

    def num_parameters(self) -> int:
        """How many numbers training adjusts (the total of ``summary()``).

        >>> import nn
        >>> nn.MLP(784, [16, 16, 10]).num_parameters()
        13002
        """
        return len(self.parameters())

    def summary(self) -> str:
        """A Keras-style table of the layers, output shapes and parameter counts.

        >>> import nn
        >>> print(nn.Layer(2, 3).summary().splitlines()[-1])
        Total params: 9
        """
        from .summary import summary  # imported here: summary.py imports networks.py, which imports this module

        return summary(self)

    def tensors(self) -> dict[str, Tensor]:
        """The parameters by name, shaped as in PyTorch: ``layer1.weight`` is
        a list of rows (one per neuron), ``layer1.bias`` a list.

        >>> import nn
        >>> list(nn.Layer(2, 3).tensors())
        ['weight', 'bias']
        """
        return {}

    def config(self) -> dict[str, Any]:
        """What ``nn.load`` needs to rebuild this module (type and sizes, not weights).

        >>> import nn
        >>> nn.Layer(2, 3, activation="tanh").config()
        {'type': 'Layer', 'nin': 2, 'nout': 3, 'activation': 'tanh'}
        """
        raise NotImplementedError(f"{type(self).__name__} does not describe itself (define config())")

    def state_dict(self) -> dict[str, Any]:
        """The weights as plain numbers, by name (JSON-ready, the same layout as ``tensors()``).

        >>> import nn
        >>> nn.Neuron(2, init="zeros").state_dict()
        {'weight': [0.0, 0.0], 'bias': 0.0}
        """
        return {name: _numbers(t) for name, t in self.tensors().items()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy weights from ``state`` (as made by ``state_dict()``) into this module.

        Everything is checked first — every name present, no extra names,
        every shape as in this module, every entry a number — so an error
        changes nothing.

        >>> import nn
        >>> n = nn.Neuron(2)
        >>> n.load_state_dict({"weight": [0.5, -1.0], "bias": 2.0})
        >>> [p.data for p in n.parameters()]
        [0.5, -1.0, 2.0]
        >>> n.load_state_dict({"weight": [0.5], "bias": 2.0})
        Traceback (most recent call last):
        ...
        ValueError: state_dict['weight'] has shape (1,), this Neuron expects (2,)
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"load_state_dict takes a dict of name -> weights, got {type(state).__name__}")
        expected = self.tensors()
        missing = [name for name in expected if name not in state]
        unexpected = [name for name in state if name not in expected]
        if missing or unexpected:
            problems = []
            if missing:
                problems.append("missing " + ", ".join(map(repr, missing)))
            if unexpected:
                problems.append("unexpected " + ", ".join(map(repr, unexpected)))
            raise ValueError(
                f"state_dict does not fit this {type(self).__name__}: "
                + "; ".join(problems)
                + "; expected "
                + ", ".join(map(repr, expected))
            )
        assignments: list[tuple[Value, float]] = []
        for name, tensor in expected.items():
            want, got = _shape(tensor), _shape(state[name])
            if want != got:
                raise ValueError(f"state_dict[{name!r}] has shape {got}, this {type(self).__name__} expects {want}")
            _pair_up(tensor, state[name], f"state_dict[{name!r}]", assignments)
        for value, number in assignments:  # only now, with everything checked
            value.data = number


def _numbers(tensor: Tensor) -> Any:
    return tensor.data if isinstance(tensor, Value) else [_numbers(t) for t in tensor]


def _shape(x: object) -> tuple[int, ...]:
    """The shape of a nested list, read along the first elements (raggedness is found later)."""
    if isinstance(x, Value) or not isinstance(x, (list, tuple)):
        return ()
    return (len(x),) + (_shape(x[0]) if x else ())


def _pair_up(tensor: Tensor, given: Any, where: str, out: list[tuple[Value, float]]) -> None:
    if isinstance(tensor, Value):
        out.append((tensor, _number(given, where)))
        return
    if not isinstance(given, (list, tuple)) or len(given) != len(tensor):
        raise ValueError(f"{where} should be a list of {len(tensor)}, got {given!r:.60}")
    for i, (t, g) in enumerate(zip(tensor, given, strict=True)):
        _pair_up(t, g, f"{where}[{i}]", out)


def _number(x: object, where: str) -> float:
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    raise TypeError(f"{where} must be a number, got {type(x).__name__} {x!r:.40}")


def input_leaves(x: Sequence[Input]) -> list[Value]:
    """The inputs as Values: each number becomes a leaf labelled ``x0``, ``x1``, …; Values stay as they are.

    One leaf per input, read by every neuron of the first layer: a drawing
    shows the network's inputs as named wires fanning out (not a copy of
    each number folded into every weight's gate), and the graph has
    ``nin`` input nodes instead of ``nin`` constants per neuron. The leaves
    get no scope: they belong to no neuron.

    >>> from autograd import Value
    >>> [v.label for v in input_leaves([0.5, Value(2.0, label="y")])]
    ['x0', 'y']
    """
    return [v if isinstance(v, Value) else Value(v, label=f"x{i}") for i, v in enumerate(x)]


def as_inputs(x: Any, nin: int, who: str = "the module") -> list[Input]:
    """The inputs of a call as a list of ``nin`` Values and floats, or an error saying what was wrong.

    >>> as_inputs((1, 2.5), 2)
    [1.0, 2.5]
    >>> as_inputs([1, 2, 3], 2, "MLP")
    Traceback (most recent call last):
    ...
    ValueError: MLP takes 2 inputs, got 3
    """
    if isinstance(x, Value) or (isinstance(x, numbers.Real) and not isinstance(x, bool)):
        items: list[Any] = [x]
    elif isinstance(x, (str, bytes)) or not hasattr(x, "__iter__"):
        raise TypeError(f"{who} takes a list of {nin} numbers or Values, got {type(x).__name__} {x!r:.40}")
    else:
        items = list(x)
    if len(items) != nin:
        raise ValueError(f"{who} takes {nin} input{'s' * (nin != 1)}, got {len(items)}")
    return [v if isinstance(v, Value) else _number(v, f"{who} input {i}") for i, v in enumerate(items)]
