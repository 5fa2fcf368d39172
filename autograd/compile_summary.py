"""What ``autograd.compile`` made of a graph: scalar nodes in, array operations out.

``step.summary()`` counts, for each kind of array operation, how many
nodes of one sample's graph it computes, how many such operations run for
a whole batch (forward, and backward where a parameter's gradient flows),
and how many scalar nodes the largest of them stands for — so the speed-up
is explained rather than magic. It prints as a text table and shows as an
HTML table in Jupyter.

>>> from autograd import Value, compile
>>> w, b = [Value(0.1), Value(-0.2), Value(0.3)], Value(0.0)
>>> neuron = lambda x: sum((wi * xi for wi, xi in zip(w, x)), b).relu()  # relu(b + w·x)
>>> print(compile(neuron, [1.0, 2.0, 3.0]).summary())
One sample's graph: 14 values (3 inputs, 4 parameters, 0 constants, 7 operations)
runs as 2 array operations forward and 2 backward, each over the whole batch.
<BLANKLINE>
array operation           scalar nodes    forward    backward    largest (nodes)
Σ w·x (matrix product)               6          1           1                  6
relu                                 1          1           1                  1
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

_HEADER = ("array operation", "scalar nodes", "forward", "backward", "largest (nodes)")
# How each kind of step is named in the table (the rest by the operation's symbol).
KINDS = {"Σ w·x": "Σ w·x (matrix product)", "Σ": "Σ (chain of +)"}


class CompileSummary:
    """The table for one compiled step (see the module docstring)."""

    def __init__(self, step: Any) -> None:
        graph, program = step.graph, step.program
        kinds = Counter(graph.kinds)
        self.values = len(graph.nodes)
        self.leaves = (kinds["input"], kinds["parameter"], kinds["constant"])
        self.operations = kinds["op"]
        nodes: Counter[str] = Counter()
        forward: Counter[str] = Counter()
        backward: Counter[str] = Counter()
        widest: Counter[str] = Counter()
        for s in program.steps:
            name = KINDS.get(s.name, s.name)
            nodes[name] += s.scalar_nodes
            forward[name] += 1
            backward[name] += s.needs_grad
            widest[name] = max(widest[name], s.scalar_nodes)  # the scalar nodes one operation stands for
        self.forward, self.backward = sum(forward.values()), sum(backward.values())
        self.rows = [
            (name, f"{nodes[name]:,}", f"{forward[name]:,}", f"{backward[name]:,}", f"{widest[name]:,}")
            for name in sorted(nodes, key=lambda name: -nodes[name])
        ]

    def __str__(self) -> str:
        inputs, parameters, constants = self.leaves
        head = (
            f"One sample's graph: {self.values:,} values ({inputs:,} inputs, {parameters:,} parameters, "
            f"{constants:,} constants, {self.operations:,} operations)\n"
            f"runs as {self.forward:,} array operations forward and {self.backward:,} backward, "
            "each over the whole batch."
        )
        widths = [max(len(row[i]) for row in [_HEADER, *self.rows]) for i in range(len(_HEADER))]
        lines = [
            (row[0].ljust(widths[0]) + "".join(cell.rjust(w + 4) for cell, w in zip(row[1:], widths[1:], strict=True)))
            for row in [_HEADER, *self.rows]
        ]
        return head + "\n\n" + "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = html.escape(str(self).split("\n\n")[0]).replace("\n", "<br>")
        cells = "".join(f"<th>{html.escape(h)}</th>" for h in _HEADER)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in self.rows)
        return f"<p>{head}</p><table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"
