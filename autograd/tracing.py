"""Recording one call of a function: its graph, and every place its Python code looked at a number.

``autograd.compile`` runs ``fn`` once on Values and replays the recorded
graph over whole batches. That is only right if ``fn`` would build the same
graph for every sample. Python code can make the graph depend on the data in
two ways, and both go through a Value's number-like methods
(``autograd/numberlike.py``): a *comparison* (``if x > 0``, ``max(a, b)``,
``bool(v)``) picks a branch, and a *read* (``float(v)``, ``int(v)``,
``round(v)``, ``v.item()``, ``v.data`` outside the engine) takes the number
out into plain Python, where it may become a constant or a loop count.

``record`` watches for both while ``fn`` runs, with Python's profiling hook
(``sys.setprofile``, which sees every Python function return, in this thread
only): each comparison is kept with its operands and its answer, each read
with the number read. ``autograd.compile`` then re-asks the same questions of
every sample of every batch, as array comparisons. It also notes the leaves
``fn`` made itself (``Value(2.0)`` inside ``fn``: constants) and any use of
``no_grad`` (whose results are leaves cut off from what they came from).

>>> from autograd import Value
>>> x = Value(3.0, label="x")
>>> trace = record(lambda v: v.relu() if v > 0 else v * 2, [x])
>>> trace.result.op, [(o.what, o.result) for o in trace.observations]
('relu', [('>', True)])
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

from .engine import Constant, Value, topological_order
from .modes import no_grad
from .numberlike import NumberLike

# What each watched function is, by its code object. A comparison keeps its symbol.
_COMPARISONS = {"__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">=", "__eq__": "==", "__ne__": "!="}
_READS = ("__float__", "__int__", "__round__", "item")
# Modules that read .data to compute (the engine itself), not to decide anything.
_ENGINE = frozenset({"autograd.engine", "autograd.numberlike", "autograd.modes"})


def _watched() -> dict[CodeType, str]:
    watched = {getattr(NumberLike, name).__code__: symbol for name, symbol in _COMPARISONS.items()}
    watched.update({getattr(NumberLike, name).__code__: "read" for name in _READS})
    watched[NumberLike.__bool__.__code__] = "bool"
    watched[Value.data.fget.__code__] = "data"  # type: ignore[attr-defined]
    watched[Value.__init__.__code__] = "made"
    watched[no_grad.__code__] = "no_grad"
    return watched


WATCHED = _watched()


@dataclass(frozen=True)
class Observation:
    """One look at a number: a comparison (``what`` is its symbol; ``bool(v)`` is ``v != 0``)
    or a read (``what == "read"``), its operands (Values, or a number on one side),
    what Python got back, and where in the source."""

    what: str
    operands: tuple[Any, ...]
    result: Any
    where: str


@dataclass
class Trace:
    """What one call of ``fn`` returned and what its code looked at along the way."""

    result: Any
    observations: list[Observation] = field(default_factory=list)
    made: set[Value] = field(default_factory=set)  # leaves built with Value(...) during the call: constants
    no_grad_at: str | None = None  # where fn entered no_grad(), if it did


def record(fn: Callable[..., Any], args: Sequence[Any]) -> Trace:
    """Call ``fn(*args)`` and return what it gave, with every comparison and read of a Value on the way.

    >>> from autograd import Value
    >>> a = Value(2.0)
    >>> trace = record(lambda v: v * float(v), [a])
    >>> trace.result.data, trace.observations[0].what, trace.observations[0].result
    (4.0, 'read', 2.0)
    """
    trace = Trace(result=None)
    previous = sys.getprofile()
    if previous is not None and not callable(previous):  # a C profiler (cProfile) we could not hand events on to
        warnings.warn(
            "a profiler is running, so autograd.compile cannot watch fn's comparisons and reads of Values: "
            "only the shapes of batches will be checked",
            RuntimeWarning,
            stacklevel=3,
        )
        trace.result = fn(*args)
        return trace

    def hook(frame: FrameType, event: str, arg: Any) -> None:
        if previous is not None:
            previous(frame, event, arg)  # type: ignore[arg-type]
        if event == "return":
            what = WATCHED.get(frame.f_code)
            if what is not None:
                _note(trace, what, frame, arg)

    sys.setprofile(hook)
    try:
        trace.result = fn(*args)
    finally:
        sys.setprofile(previous)
    return trace


def _note(trace: Trace, what: str, frame: FrameType, returned: Any) -> None:
    """Keep what the watched function ``frame`` (about to return ``returned``) tells about ``fn``."""
    caller = frame.f_back
    where = f"{caller.f_code.co_filename}:{caller.f_lineno}" if caller is not None else "?"
    local = frame.f_locals
    if what == "made":
        trace.made.add(local["self"])
    elif what == "no_grad":
        trace.no_grad_at = trace.no_grad_at or where
    elif what == "data":
        if caller is not None and caller.f_globals.get("__name__") not in _ENGINE:
            trace.observations.append(Observation("read", (local["self"],), returned, where))
    elif what == "read":
        trace.observations.append(Observation("read", (local["self"],), local["self"].data, where))
    elif what == "bool":
        trace.observations.append(Observation("!=", (local["self"], 0.0), returned, where))
    elif type(returned) is bool:  # a comparison that Python answered (not NotImplemented)
        other = local["other"]
        other = other if isinstance(other, Value) else float(other)
        trace.observations.append(Observation(what, (local["self"], other), returned, where))


# ---- the recorded graph -------------------------------------------------------

Ref = int | float  # a node of the graph, by its index, or a plain number


@dataclass
class Graph:
    """A recorded call as a numbered graph: the nodes its result and its observations
    depend on (each after its parents), what each leaf is, and a signature that two
    calls share exactly when they built the same graph."""

    nodes: list[Value]
    kinds: list[str]  # "input", "parameter", "constant" or "op"
    columns: dict[int, int]  # input node -> its column in the flattened sample
    result: Any  # fn's result with each Value replaced by its node index
    checks: list[tuple[str, tuple[Ref, ...], Any]]  # the observations, their Values replaced by node indices
    signature: list[tuple[Any, ...]]
    where: list[str]  # the source line of each check


def graph_of(trace: Trace, inputs: dict[Value, int]) -> Graph:
    """Number the graph of ``trace``; ``inputs`` gives each input leaf's column.

    >>> from autograd import Value
    >>> x, w = Value(2.0), Value(0.5)
    >>> g = graph_of(record(lambda v: v * w + 1, [x]), {x: 0})
    >>> g.kinds, g.result
    (['input', 'parameter', 'op', 'constant', 'op'], 4)
    """
    roots = [v for v in _values(trace.result)] + [v for o in trace.observations for v in o.operands]
    nodes: list[Value] = []
    index: dict[Value, int] = {}
    for root in roots:
        if isinstance(root, Value) and root not in index:
            for node in topological_order(root):
                if node not in index:
                    index[node] = len(nodes)
                    nodes.append(node)
    kinds: list[str] = []
    signature: list[tuple[Any, ...]] = []
    for node in nodes:
        if node in inputs:
            kinds.append("input")
            signature.append(("input", inputs[node]))
        elif node.operation is not None:
            kinds.append("op")
            signature.append(("op", node.operation, tuple(index[p] for p in node.parents)))
        elif node in trace.made or isinstance(node, Constant):
            kinds.append("constant")
            signature.append(("constant", node.data.hex()))
        else:
            kinds.append("parameter")
            signature.append(("parameter", id(node)))
    checks = [
        (o.what, tuple(index[v] if isinstance(v, Value) else v for v in o.operands), o.result)
        for o in trace.observations
    ]
    columns = {index[v]: column for v, column in inputs.items() if v in index}
    result = _replace(trace.result, index)
    return Graph(nodes, kinds, columns, result, checks, signature, [o.where for o in trace.observations])


def _values(result: Any) -> list[Value]:
    if isinstance(result, Value):
        return [result]
    if isinstance(result, (list, tuple)):
        return [v for item in result for v in _values(item)]
    return []


def _replace(result: Any, index: dict[Value, int]) -> Any:
    """fn's result with Values as node indices and numbers as floats; a TypeError for anything else."""
    if isinstance(result, Value):
        return index[result]
    if isinstance(result, (list, tuple)):
        return [_replace(item, index) for item in result]
    if isinstance(result, (int, float)) and not isinstance(result, bool):
        return float(result)
    raise TypeError(
        f"autograd.compile: fn must return a Value (or a list of Values), got {type(result).__name__} {result!r:.40}"
    )


def first_difference(recorded: Graph, other: Graph) -> str | None:
    """How ``other`` differs from ``recorded`` in words, or None when they are the same graph."""
    for i, (a, b) in enumerate(zip(recorded.signature, other.signature, strict=False)):
        if a != b:
            return f"node {i} is {_describe(a)} in the recording but {_describe(b)} here"
    if len(recorded.signature) != len(other.signature):
        return f"the recording has {len(recorded.signature)} nodes, this sample {len(other.signature)}"
    return None


def _describe(entry: tuple[Any, ...]) -> str:
    kind = entry[0]
    if kind == "op":
        return f"'{entry[1].symbol}' of nodes {list(entry[2])}"
    if kind == "constant":
        return f"the constant {float.fromhex(entry[1])!r}"
    if kind == "input":
        return f"input column {entry[1]}"
    return "a parameter"
