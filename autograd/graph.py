"""Walking a graph of Values without recursion.

Both ``backward()`` and the visualizer need the nodes a result depends
on, each after all of its operands. A recursive walk (micrograd's) hits
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


def topological_order(root: Value, *, reset_grads: bool = False) -> list[Value]:
    """Every node ``root`` depends on, operands before results, root last.

    Operands are visited in the order written, so the order is deterministic.
    ``reset_grads`` zeroes the gradient of every node that is not a leaf as
    the walk passes it: ``backward()`` needs that, and one pass over a big
    graph is cheaper than two.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a")
    >>> len(topological_order(a * a))  # a appears once, however often used
    2
    """
    order: list[Value] = []
    # Visited nodes are marked with this walk's own token, in a slot of the node,
    # rather than kept in a set: a 65,000-node walk takes 7 ms instead of 10 (the
    # node is in the cache already; a big set's lookups are not). A node holds on
    # to its token, so no later walk's fresh token can be the same object. (Two
    # threads walking the same graph at once would confuse each other's marks;
    # like the modes, the engine is not made for that.)
    seen = object()
    root._seen = seen
    # The explicit form of the recursion "visit each operand, then emit the
    # node": ``node``, the top of the stack, descends into its first operand
    # not yet visited; once it has none left, it is emitted and popped. A node
    # has at most two operands (see Node), read straight from their slots.
    stack = [root]
    node = root
    while True:
        a = node._a
        if a is not None:
            if a._seen is not seen:
                a._seen = seen
                stack.append(a)
                node = a
                continue
            b = node._b
            if b is not None and b._seen is not seen:
                b._seen = seen
                stack.append(b)
                node = b
                continue
            if reset_grads:
                node.grad = 0.0
        order.append(stack.pop())
        if not stack:
            return order
        node = stack[-1]
