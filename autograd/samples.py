"""One sample and a batch of them: the example's numbers as input leaves, batches as arrays.

``autograd.compile`` calls ``fn`` on one example sample with every number made
a leaf Value (labelled by ``fn``'s parameter names: ``x[0]``, ``y``), and later
takes batches — sequences of samples shaped like the example — as float
arrays, refusing with a clear error anything that does not fit.

>>> args, columns = input_leaves([[1.0, 2.0], 3.0], ["x", "y"])
>>> [[v.label for v in args[0]], args[1].label, list(columns.values())]
[['x[0]', 'x[1]'], 'y', [0, 1, 2]]
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import numerics
from .engine import Value


def argument_names(fn: Callable[..., Any], count: int) -> list[str]:
    """fn's parameter names, for labels and messages (``arg0``, … where there are none).

    >>> argument_names(lambda x, y: x, 3)
    ['x', 'y', 'arg2']
    """
    try:
        names = [p.name for p in inspect.signature(fn).parameters.values() if p.kind <= p.POSITIONAL_OR_KEYWORD]
    except (TypeError, ValueError):
        names = []
    return [names[k] if k < len(names) else f"arg{k}" for k in range(count)]


def shape_of(arg: Any, name: str) -> tuple[int, ...]:
    """The shape of one example argument: () for a number or Value, (n, …) for nested lists.

    >>> shape_of(2.0, "y"), shape_of([[1, 2], [3, 4], [5, 6]], "x")
    ((), (3, 2))
    """
    if isinstance(arg, Value) or numerics.is_real(arg):
        return ()
    if isinstance(arg, np.ndarray):
        arg = arg.tolist()
    if isinstance(arg, (list, tuple)) and arg:
        shapes = {shape_of(item, name) for item in arg}
        if len(shapes) == 1:
            return (len(arg), *shapes.pop())
        raise ValueError(f"example argument {name!r} is ragged: its items have shapes {sorted(shapes)}")
    raise TypeError(
        f"example argument {name!r} must be a number, a Value or a non-empty list of them, got {numerics.describe(arg)}"
    )


def input_leaves(example: Sequence[Any], names: list[str]) -> tuple[list[Any], dict[Value, int]]:
    """fn's arguments with every number made an input leaf (``x[0]``, …), and each leaf's column.

    >>> args, columns = input_leaves([2.0], ["x"])
    >>> args[0].label, columns[args[0]]
    ('x', 0)
    """
    columns: dict[Value, int] = {}

    def leaf(x: Any, label: str) -> Value:
        if isinstance(x, Value):
            if x.operation is not None or x in columns:
                problem = "computed by an operation" if x.operation is not None else "given twice"
                raise ValueError(f"example {label} is a Value {problem}; an example Value must be a distinct leaf")
            v = x
        else:
            v = Value(x, label=label)
        columns[v] = len(columns)
        return v

    def build(x: Any, label: str) -> Any:
        if isinstance(x, np.ndarray):
            x = x.tolist()
        if isinstance(x, (list, tuple)):
            return [build(item, f"{label}[{i}]") for i, item in enumerate(x)]
        return leaf(x, label)

    return [build(x, name) for x, name in zip(example, names, strict=True)], columns


def as_batch(batch: Any, shape: tuple[int, ...], name: str) -> np.ndarray:
    """One batch as a float array of shape (samples, *shape), or a clear error.

    >>> as_batch([[1, 2], [3, 4]], (2,), "x").dtype
    dtype('float64')
    >>> as_batch([1, 2], (2,), "x")
    Traceback (most recent call last):
    ...
    ValueError: batch 'x' does not fit the recorded structure: each sample should be shape (2,) ...
    """
    try:
        array = np.asarray(batch)
        if array.dtype == object:  # Values, or a mixture: as numbers
            array = array.astype(float)
    except ValueError as error:
        raise ValueError(f"batch {name!r} is not a rectangular array of numbers ({error})") from None
    except TypeError as error:
        raise TypeError(f"batch {name!r} must hold numbers ({error})") from None
    if array.ndim and not len(array):
        raise ValueError(f"batch {name!r} is empty: a mean needs at least one sample")
    if array.dtype.kind not in "iuf":
        raise TypeError(f"batch {name!r} must hold numbers, got an array of {array.dtype}")
    if array.shape[1:] != shape or array.ndim == 0:
        wanted = "a number" if not shape else f"shape {shape}"
        got = f"shape {array.shape[1:]}" if array.ndim else "a single number, not a sequence of samples"
        raise ValueError(
            f"batch {name!r} does not fit the recorded structure: each sample should be {wanted} like the "
            f"example, got {got}"
        )
    return array.astype(float, copy=False)


def restore(result: Any, nodes: list[Value]) -> Any:
    """fn's result with node indices turned back into the recorded Values.

    >>> restore([0, 2.5], [Value(1.0)])
    [Value(data=1.0, grad=0.0), 2.5]
    """
    if isinstance(result, int):
        return nodes[result]
    if isinstance(result, list):
        return [restore(r, nodes) for r in result]
    return result
