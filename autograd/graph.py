"""Walking a graph of Values without recursion.

Both ``backward()`` and the visualizer need the nodes a result depends
on, each after all of its parents. A recursive walk (micrograd's) hits
Python's recursion limit near 1,000 nodes deep; this one keeps its own
stack, so a chain of a million nodes is fine.

>>> from autograd import Value
>>> x = Value(1.0, label="x")
>>> y = (x * 2).exp()
>>> [v.op or v.label for v in topological_order(y)]
['x', '', '*', 'exp']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .value import Value


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, parents before children, root last.

    Operands come in the order written, so the order is deterministic.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a")
    >>> len(topological_order(a * a))  # a appears once, however often used
    2
    """
    order: list[Value] = []
    visited = {root}  # Values hash by identity, so a set of them is cheap
    # The stack holds (node, iterator over its parents): the explicit form of
    # the recursion "visit each parent, then emit the node".
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in visited:
                visited.add(parent)
                stack.append((parent, iter(parent.parents)))
                break
        else:  # every parent emitted: now the node
            stack.pop()
            order.append(node)
    return order
