"""Looking things up by name, with errors that list what exists.

Activations, initializers and losses are chosen by name, as in Keras
(``activation="tanh"``). Every such table is a plain dict; ``lookup``
is the one place that turns a typo into a helpful message.

>>> lookup({"tanh": 1, "relu": 2}, "tahn", "activation")
Traceback (most recent call last):
...
ValueError: unknown activation 'tahn'; known: tanh, relu (did you mean 'tanh'?)
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def lookup(table: Mapping[str, T], name: object, kind: str) -> T:
    """``table[name]``, or a ValueError naming the known entries and the nearest match.

    A non-string name is a TypeError (the caller passed a function or a number
    where a name belongs).

    >>> lookup({"relu": "max(x, 0)"}, "relu", "activation")
    'max(x, 0)'
    """
    if not isinstance(name, str):
        raise TypeError(
            f"{kind} must be given by name (a str), got {type(name).__name__} {name!r}; known: " + ", ".join(table)
        )
    try:
        return table[name]
    except KeyError:
        pass
    message = f"unknown {kind} {name!r}; known: " + ", ".join(table)
    # Compare lowercased so "ReLU" still suggests "relu".
    close = difflib.get_close_matches(name.lower(), list(table), n=1, cutoff=0.6)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    raise ValueError(message)


NOT_GIVEN: object = object()  # the default of micrograd's keywords, to tell "not passed" from any value


def refuse_micrograd_keyword(name: str, value: object, where: str) -> None:
    """A TypeError for a micrograd keyword (``nonlin=``) naming graphgrad's word for it.

    >>> refuse_micrograd_keyword("nonlin", False, "MLP")
    Traceback (most recent call last):
    ...
    TypeError: MLP() has no nonlin=: micrograd's nonlin is graphgrad's activation= (nn.MLP(3, [4, 4, 1], ...
    """
    if value is not NOT_GIVEN:
        from autograd.familiar import FROM_MICROGRAD

        raise TypeError(f"{where}() has no {name}=: micrograd's {name} is graphgrad's {FROM_MICROGRAD[name]}")
