"""Names learners bring from micrograd (and PyTorch), and graphgrad's word for each.

Karpathy's micrograd lecture has a learner type ``d._prev``, ``d._op``,
``L._backward()``, ``draw_dot(L)`` and ``MLP(3, [4, 4, 1])`` with ``nonlin=``.
graphgrad names these differently; instead of a bare ``AttributeError`` the
learner is told the name to use. The README's "Coming from micrograd" table
is checked against this one.

>>> from autograd import Value
>>> Value(1.0)._prev
Traceback (most recent call last):
...
AttributeError: 'Value' object has no attribute '_prev': micrograd's _prev is graphgrad's .parents (a tuple ...)
"""

from __future__ import annotations

import difflib
from typing import Any

# micrograd's name -> graphgrad's, with what differs. One table: the engine, nn and viz read it.
FROM_MICROGRAD: dict[str, str] = {
    "_prev": ".parents (a tuple in the order written, so a * a keeps both wires)",
    "_op": ".op",
    "_backward": ".backward_step() (runs this node's chain-rule step by hand; backward() runs it for every node)",
    "_children": ".parents",
    "draw_dot": "viz.draw(root) (or viz.save(root, 'f.svg'))",
    "nonlin": "activation= (nn.MLP(3, [4, 4, 1], activation='relu'); 'linear' for nonlin=False)",
}

# PyTorch habits that have a graphgrad spelling.
FROM_PYTORCH: dict[str, str] = {
    "requires_grad": "every Value records its operations unless autograd.no_grad() is on",
    "grad_fn": ".op and .parents",
    "is_leaf": "not v.parents",
    "detach": "Value(v.data) (a new leaf holding the same number)",
}


class Renamed:
    """A class attribute standing for another library's name: reading it raises
    the AttributeError that gives graphgrad's word (``Value._prev = Renamed()``).

    (A ``__getattr__`` on Value could answer every unknown name, but a class
    with one makes every attribute read of its instances about twice as slow.)
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.owner, self.name = owner.__name__, name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        raise unknown_attribute(self.owner, self.name, [])


def unknown_attribute(owner: str, name: str, known: list[str], kind: str = "object") -> AttributeError:
    """The AttributeError for ``owner.name``: graphgrad's word if ``name`` is micrograd's
    or PyTorch's, else the closest known name.

    >>> str(unknown_attribute("Value", "lable", ["label", "data"]))
    "'Value' object has no attribute 'lable' (did you mean 'label'?)"
    """
    message = (
        f"{owner!r} object has no attribute {name!r}"
        if kind == "object"
        else f"{kind} {owner!r} has no attribute {name!r}"
    )
    if name in FROM_MICROGRAD:
        return AttributeError(f"{message}: micrograd's {name} is graphgrad's {FROM_MICROGRAD[name]}")
    if name in FROM_PYTORCH:
        return AttributeError(f"{message}: in graphgrad, {FROM_PYTORCH[name]}")
    close = difflib.get_close_matches(name, known, n=1)
    return AttributeError(message + (f" (did you mean {close[0]!r}?)" if close else ""))
