"""Vectors and matrices of Values, and the Jacobian of several outputs.

The lecture's second half moves from scalars to vectors: ``q = W·x``,
``f = ‖q‖²``. Here a vector is a list of Values and a matrix a list of rows,
with each element labelled the way the lecture writes it (``x[0]``,
``W[0,1]``), so a drawing names every wire. ``jacobian`` collects every
∂output_i/∂input_j into a matrix of numbers.

>>> W = matrix([[0.1, 0.5], [-0.3, 0.8]], "W")
>>> x = vector([0.2, 0.4], "x")
>>> q = [sum(w * xj for w, xj in zip(row, x)) for row in W]
>>> f = sum(qi * qi for qi in q)
>>> f.backward()
>>> round(f.data, 3), [round(xi.grad, 3) for xi in x]
(0.116, [-0.112, 0.636])
"""

from __future__ import annotations

from collections.abc import Sequence

from . import numerics
from .engine import Value
from .higher import grad


def vector(numbers: Sequence[float], name: str) -> list[Value]:
    """A list of leaves labelled ``name[0]``, ``name[1]``, …

    >>> [v.label for v in vector([1.0, 2.0], "x")]
    ['x[0]', 'x[1]']
    """
    _check_name(name, "vector")
    return [Value(x, label=f"{name}[{i}]") for i, x in enumerate(_numbers(numbers, "vector"))]


def matrix(rows: Sequence[Sequence[float]], name: str) -> list[list[Value]]:
    """A list of rows of leaves labelled ``name[i,j]``.

    >>> [[v.label for v in row] for row in matrix([[1, 2], [3, 4]], "W")]
    [['W[0,0]', 'W[0,1]'], ['W[1,0]', 'W[1,1]']]
    """
    _check_name(name, "matrix")
    rows = [_numbers(row, "matrix row") for row in _numbers(rows, "matrix", rows_of_numbers=True)]
    if len({len(row) for row in rows}) > 1:
        raise ValueError(f"matrix(): every row must have the same length, got lengths {[len(row) for row in rows]}")
    return [[Value(x, label=f"{name}[{i},{j}]") for j, x in enumerate(row)] for i, row in enumerate(rows)]


def jacobian(outputs: Sequence[Value], inputs: Sequence[Value]) -> list[list[float]]:
    """``J[i][j] = ∂outputs[i]/∂inputs[j]``, as numbers; no ``.grad`` changes.

    >>> x = vector([1.0, -2.0], "x")
    >>> jacobian([xi.relu() for xi in x], x)  # elementwise: diagonal
    [[1.0, 0.0], [0.0, 0.0]]
    """
    outputs = list(outputs)
    for i, out in enumerate(outputs):
        if not isinstance(out, Value):
            raise TypeError(f"jacobian() outputs must be Values, got {numerics.describe(out)} at position {i}")
    return [list(grad(out, inputs)) for out in outputs]


def _check_name(name: object, where: str) -> None:
    if not isinstance(name, str):
        raise TypeError(f"{where}() takes a name (str) to label the elements with, got {numerics.describe(name)}")


def _numbers(xs: object, where: str, rows_of_numbers: bool = False) -> list:  # type: ignore[type-arg]
    if isinstance(xs, (str, bytes)) or not hasattr(xs, "__iter__"):
        what = "a list of rows" if rows_of_numbers else "a list of numbers"
        raise TypeError(f"{where}() takes {what}, got {numerics.describe(xs)}")
    return list(xs)  # type: ignore[call-overload]
