"""The three circuits of the CS231n backpropagation notes, ready to draw.

Each function builds the graph at the lecture's inputs and returns the
output Value and the inputs by name; call ``backward()`` yourself (so a
drawing can show the graph before and after). SPEC §5 gives the numbers.

>>> f, inputs = add_mul()
>>> f.backward()
>>> f.data, [inputs[n].grad for n in "xyz"]
(-12.0, [-4.0, -4.0, 3.0])
"""

from __future__ import annotations

from .engine import Value


def add_mul(x: float = -2.0, y: float = 5.0, z: float = -4.0) -> tuple[Value, dict[str, Value]]:
    """f = (x + y)·z, with the sum labelled q (lecture figure 1).

    >>> add_mul()[0].data
    -12.0
    """
    xs = {"x": Value(x, label="x"), "y": Value(y, label="y"), "z": Value(z, label="z")}
    q = xs["x"] + xs["y"]
    q.label = "q"
    f = q * xs["z"]
    f.label = "f"
    return f, xs


_NEURON_INPUTS = {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0}


def sigmoid_neuron(single_gate: bool = False, **values: float) -> tuple[Value, dict[str, Value]]:
    """f = 1/(1 + e^−(w0·x0 + w1·x1 + w2)) from ``* + *-1 exp +1 1/x`` gates
    (lecture figure 2), or with one ``σ`` gate when ``single_gate``.

    >>> round(sigmoid_neuron()[0].data, 2), round(sigmoid_neuron(single_gate=True)[0].data, 2)
    (0.73, 0.73)
    """
    unknown = set(values) - set(_NEURON_INPUTS)
    if unknown:
        raise TypeError(f"unknown input {sorted(unknown)[0]!r}; the neuron's inputs are w0, x0, w1, x1, w2")
    xs = {name: Value(values.get(name, default), label=name) for name, default in _NEURON_INPUTS.items()}
    dot = xs["w0"] * xs["x0"] + xs["w1"] * xs["x1"] + xs["w2"]
    f = dot.sigmoid() if single_gate else 1 / (1 + (-dot).exp())
    f.label = "f"
    return f, xs


def max_gate(x: float = 3.0, y: float = -4.0, z: float = 2.0, w: float = -1.0) -> tuple[Value, dict[str, Value]]:
    """f = 2·(x·y + max(z, w)) (lecture figure 3: the max gate routes).

    >>> max_gate()[0].data
    -20.0
    """
    xs = {"x": Value(x, label="x"), "y": Value(y, label="y"), "z": Value(z, label="z"), "w": Value(w, label="w")}
    f = 2 * (xs["x"] * xs["y"] + xs["z"].max(xs["w"]))
    f.label = "f"
    return f, xs


LECTURE_EXAMPLES = {"add_mul": add_mul, "sigmoid_neuron": sigmoid_neuron, "max_gate": max_gate}
