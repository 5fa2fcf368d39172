"""Vectors and matrices of Values, and the Jacobian of several outputs.

The lecture's second half moves from scalars to vectors: ``q = W·x``,
``f = ‖q‖²``. Here a vector is a list of Values and a matrix a list of rows,
with each element labelled the way the lecture writes it (``x[0]``,
``W[0,1]``), so a drawing names every wire — and ``viz`` can draw each
labelled vector as one wire (``detail="vectors"``). ``labelled`` names the
vectors you compute (``q``) the same way. ``jacobian`` collects every
∂output_i/∂input_j into a matrix of numbers.

>>> W = matrix([[0.1, 0.5], [-0.3, 0.8]], "W")
>>> x = vector([0.2, 0.4], "x")
>>> q = labelled([sum(w * xj for w, xj in zip(row, x)) for row in W], "q")
>>> f = sum(qi * qi for qi in q)
>>> f.backward()
>>> round(f.data, 3), [round(xi.grad, 3) for xi in x], q[1].label
(0.116, [-0.112, 0.636], 'q[1]')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from . import numerics
from .engine import Value
from .higher import grad

Nested = TypeVar("Nested", list[Value], list[list[Value]])


def vector(numbers: Sequence[float], name: str) -> list[Value]:
    """A list of leaves labelled ``name[0]``, ``name[1]``, …

    >>> [v.label for v in vector([1.0, 2.0], "x")]
    ['x[0]', 'x[1]']
    """
    _check_name(name, "vector")
    return [Value(_number(x, "vector", f"element {i}"), label=f"{name}[{i}]") for i, x in enumerate(_items(numbers))]


def matrix(rows: Sequence[Sequence[float]], name: str) -> list[list[Value]]:
    """A list of rows of leaves labelled ``name[i,j]``; every row the same length.

    >>> [[v.label for v in row] for row in matrix([[1, 2], [3, 4]], "W")]
    [['W[0,0]', 'W[0,1]'], ['W[1,0]', 'W[1,1]']]
    """
    _check_name(name, "matrix")
    table = [_items(row, f"row {i}") for i, row in enumerate(_items(rows, what="a list of rows"))]
    if len({len(row) for row in table}) > 1:
        raise ValueError(f"matrix(): every row must have the same length, got lengths {[len(row) for row in table]}")
    return [
        [Value(_number(x, "matrix", f"element [{i},{j}]"), label=f"{name}[{i},{j}]") for j, x in enumerate(row)]
        for i, row in enumerate(table)
    ]


def labelled(values: Nested, name: str) -> Nested:
    """Label Values you computed as a vector (``q[0]``, ``q[1]``, …) or a matrix
    (``name[i,j]``), in place, and give them back: a drawing then shows them
    as one wire (``viz.draw(f, detail="vectors")``).

    >>> from autograd import Value
    >>> q = labelled([Value(1.0) * 2, Value(3.0) + 1], "q")
    >>> [v.label for v in q]
    ['q[0]', 'q[1]']
    """
    _check_name(name, "labelled")
    items = _items(values, what="a list of Values (or of rows of Values)")
    if items and all(isinstance(row, (list, tuple)) for row in items):
        for i, row in enumerate(items):
            for j, v in enumerate(row):
                _value(v, f"element [{i},{j}]").label = f"{name}[{i},{j}]"
    else:
        for i, v in enumerate(items):
            _value(v, f"element {i}").label = f"{name}[{i}]"
    return values


def jacobian(outputs: Sequence[Value], inputs: Sequence[Value]) -> list[list[float]]:
    """``J[i][j] = ∂outputs[i]/∂inputs[j]``, as numbers; no ``.grad`` changes.

    One backward pass per output (``autograd.grad``). A single Value as
    ``outputs`` gives one row: the gradient.

    >>> x = vector([1.0, -2.0], "x")
    >>> jacobian([xi.relu() for xi in x], x)  # elementwise: diagonal
    [[1.0, 0.0], [0.0, 0.0]]
    """
    rows = [outputs] if isinstance(outputs, Value) else _items(outputs, what="a list of Values")
    columns = [inputs] if isinstance(inputs, Value) else _items(inputs, what="a list of Values")
    for where, group in (("outputs", rows), ("inputs", columns)):
        for i, v in enumerate(group):
            if not isinstance(v, Value):
                raise TypeError(f"jacobian() {where} must be Values, got {numerics.describe(v)} at position {i}")
    return [list(grad(out, columns)) for out in rows]


def _check_name(name: object, where: str) -> None:
    if not isinstance(name, str):
        raise TypeError(f"{where}() takes a name (str) to label the elements with, got {numerics.describe(name)}")
    if not name.strip():
        raise ValueError(f"{where}() takes a name such as 'x' to label the elements with, got {name!r}")


def _items(xs: object, where: str = "", what: str = "a list of numbers") -> list[Any]:
    if isinstance(xs, (str, bytes, Value)) or not hasattr(xs, "__iter__"):
        place = f" for {where}" if where else ""
        raise TypeError(f"expected {what}{place}, got {numerics.describe(xs)}")
    return list(xs)  # type: ignore[call-overload]


def _number(x: object, where: str, which: str) -> float:
    if isinstance(x, Value):
        raise TypeError(
            f"{where}() makes new leaves from numbers; {which} is already a Value "
            "(use labelled() to name Values you computed, or x.data for its number)"
        )
    if not numerics.is_real(x):
        raise TypeError(f"{where}() takes numbers; {which} is {numerics.describe(x)}")
    return numerics.to_float(x, f"{where}()")


def _value(v: object, which: str) -> Value:
    if not isinstance(v, Value):
        raise TypeError(
            f"labelled() names Values; {which} is {numerics.describe(v)} (vector() makes leaves of numbers)"
        )
    return v
