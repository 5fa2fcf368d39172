"""How much to draw: every graph gets an answer in bounded time, decided from its size.

Before anything is laid out we count the graph (one walk that stops as
soon as a limit is passed) and either draw or refuse at once with a
``ValueError`` saying why and what to use instead — never by waiting for
the layout program.

===============  =============================================  ==================
``detail=``      draws                                          refused above
===============  =============================================  ==================
``"full"``       every value a wire, as the lecture does        20,000 values
``"sums"``       chains of additions as one Σ gate              20,000 values
``"neurons"``    each neuron one box (``autograd.scope``)       100,000 values
``"layers"``     each layer one box                             100,000 values
``"parameters"`` a model's loss: each parameter once, with      100,000 values
                 its gradient; the passes folded
                 (``viz.loss_view``)
``"vectors"``    one wire per labelled vector (``x[0]``,        100,000 values
                 ``W[0,1]``: ``viz.vectors``)
``"summary"``    the graph's facts, per-layer gradients, the    never
                 nodes nearest the output
===============  =============================================  ==================

A drawing of more than 100,000 nodes and arrows is refused too (a
graph can have few values and many arrows), and ``"parameters"`` on a
graph without parameters. ``detail="auto"`` (the default) chooses:

- up to 200 values: ``"full"`` — one slide;
- a model's loss over a batch (the same parameters read by several
  passes), up to 100,000 values and 1,000 parameters: ``"parameters"``;
- up to 20,000 values: ``"vectors"`` if the labels name vectors and that
  drawing fits 300 nodes and 600 arrows; else the most detailed of
  ``"sums"``, ``"neurons"`` and ``"layers"`` that fits, else the smallest;
- larger: ``"summary"``.

Why these numbers (graphviz-pure, this project's 2-core machine; see
``benchmarks/bench_viz.py``): Graphviz's ``dot`` lays out up to 400 nodes
and 600 arrows in under 2 s whatever their shape, and draws those; larger
drawings are placed by ``viz.layout`` in linear time and Graphviz only
draws them (``dot`` itself took 32 s and 96 s on the two losses below).
Placed that way, full detail of the 6,818-value loss of an MLP 2-16-16-1
over 10 points (13,237 nodes) takes about 4 s, and of 19,778 values 12 s
on a quiet machine, 19-22 s on a busy one, with a 35 MB SVG; 65,000
values took 45 s and 120 MB, so full detail stops at 20,000.
Building a condensed scene costs about 25 µs per value (2.5 s at
100,000), so nothing but the summary is built above that. The summary
walks any graph once: 4-6 s for the two million values of a
million-addition chain on a busy machine.

>>> from autograd import Value
>>> x = Value(1.0)
>>> choose(sum([x * i for i in range(300)]), "auto", Style(grads=False)).mode
'sums'
"""

from __future__ import annotations

import difflib
import sys

from autograd import Value

from .layout import needs_own_layout, place
from .loss_view import find_parameters, loss_scene
from .scene import Scene, Style, analyze, build
from .structure import operands, topological_order
from .summary import summarize
from .vectors import readable_vector_scene, vector_scene

__all__ = ["DETAILS", "DRAWN_LIMIT", "FULL_LIMIT", "SUMMARY_LIMIT", "check", "choose", "count_values"]

FULL_LIMIT = 200  # "auto" draws every value up to here: one slide
SUMMARY_LIMIT = 20_000  # "full" and "sums" up to here (12-22 s); "auto" summarizes beyond
CONDENSED_LIMIT = 100_000  # "neurons", "layers", "parameters" up to here (building them: about 2.5 s)
ARROWS_PER_VALUE = 2  # a graph of binary operations has about 1.5 arrows per value; more means huge fan-in
DRAWN_LIMIT = 100_000  # nodes + arrows of one drawing (12-22 s to place and draw)
FITS_NODES, FITS_EDGES = 300, 600  # a condensed drawing aims to stay readable
PARAMETERS_LIMIT = 1_000  # "auto" lists up to this many parameters (337 in an MLP 2-16-16-1: 3 screens)
DETAILS = ("auto", "full", "sums", "neurons", "layers", "parameters", "summary", "vectors")
_LIMITS = {  # detail -> (largest graph in values or arrows, seconds it takes here at that size)
    "full": (SUMMARY_LIMIT, "12-22"),
    "sums": (SUMMARY_LIMIT, "12-22"),
    "neurons": (CONDENSED_LIMIT, "3"),
    "layers": (CONDENSED_LIMIT, "3"),
    "parameters": (CONDENSED_LIMIT, "3"),
    "vectors": (CONDENSED_LIMIT, "3"),
}
_CONDENSED = {"sums": None, "neurons": "neurons", "layers": "layers"}  # mode -> autograd.scope grouping


def count_values(root: Value, limit: int) -> int:
    """How many Values ``root`` depends on (itself included), counting no further than ``limit + 1``.

    >>> from autograd import Value
    >>> a = Value(1.0)
    >>> count_values(a * a + a, 100), count_values(a * a + a, 1)
    (3, 2)
    """
    return _count(root, limit, sys.maxsize)[0]


def _count(root: Value, values: int, arrows: int) -> tuple[int, int]:
    """Values and operand references (arrows), counting no further than ``values + 1`` and ``arrows + 1``."""
    seen = {root}
    stack = [root]
    references = 0
    while stack and len(seen) <= values and references <= arrows:
        parents = operands(stack.pop())
        references += len(parents)
        for p in parents:
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return min(len(seen), values + 1), min(references, arrows + 1)


def check(root: Value, detail: str) -> None:
    """Refuse ``detail`` for ``root`` at once (ValueError) if its graph is too large for it.

    >>> from autograd import Value
    >>> y = Value(1.0)
    >>> for _ in range(20_001):
    ...     y = y + 1
    >>> check(y, "full")
    Traceback (most recent call last):
    ...
    ValueError: detail='full' refused: the graph has more than 20,000 values, the limit for 'full' ...
    """
    if detail not in DETAILS:
        close = difflib.get_close_matches(str(detail), DETAILS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown detail {detail!r}; known: {', '.join(DETAILS)}{hint}")
    if detail not in _LIMITS:
        return
    limit, seconds = _LIMITS[detail]
    values, arrows = _count(root, limit, ARROWS_PER_VALUE * limit)
    if values > limit or arrows > ARROWS_PER_VALUE * limit:
        what = f"{limit:,} values" if values > limit else f"{ARROWS_PER_VALUE * limit:,} arrows (operands)"
        instead = ", ".join([repr(d) for d in ("layers", "neurons") if _LIMITS[d][0] > limit] + ["'summary'"])
        raise ValueError(
            f"detail={detail!r} refused: the graph has more than {what}, the limit for {detail!r} "
            f"(drawing that many takes {seconds} s here, and no one could read it); use detail='auto' "
            f"(it picks what fits), {instead}, or draw an intermediate Value"
        )


def choose(root: Value, detail: str, style: Style) -> Scene:
    """The scene to draw for ``detail`` (one of DETAILS) by the policy above, placed if it is large.

    >>> from autograd import Value
    >>> choose(Value(1.0) + 2, "auto", Style()).mode
    'full'
    """
    check(root, detail)
    scene = _scene(root, detail, style)
    drawn = len(scene.nodes) + len(scene.edges)
    if drawn > DRAWN_LIMIT:
        raise ValueError(
            f"detail={detail!r} refused: its drawing would have {drawn:,} nodes and arrows (the limit is "
            f"{DRAWN_LIMIT:,}, 12-22 s here); use detail='layers' or 'summary', or draw an intermediate Value"
        )
    if not scene.positions and needs_own_layout(scene):
        scene.positions = place(scene)  # too large for dot in bounded time: viz.layout places it
    return scene


_TOO_LARGE = (
    f"more values than detail='auto' draws ({SUMMARY_LIMIT:,}; {CONDENSED_LIMIT:,} for a model's loss over a batch); "
    f"detail='layers' draws up to {CONDENSED_LIMIT:,}"
)


def _scene(root: Value, detail: str, style: Style) -> Scene:
    if detail == "summary":
        return summarize(root, style, "on request (detail='summary')")
    if detail == "auto" and count_values(root, CONDENSED_LIMIT) > CONDENSED_LIMIT:
        return summarize(root, style, _TOO_LARGE)
    order = topological_order(root)
    if detail == "parameters" or (detail == "auto" and len(order) > FULL_LIMIT and _batch_loss(order)):
        return loss_scene(order, style)
    if detail == "full" or (detail == "auto" and len(order) <= FULL_LIMIT):
        return build(analyze(order), style)
    if detail == "vectors":  # one wire per labelled vector: a small drawing whatever the graph's size
        return vector_scene(order, style)
    if detail == "auto" and len(order) > SUMMARY_LIMIT:
        return summarize(root, style, _TOO_LARGE)
    if detail == "auto":  # one wire per labelled vector, if the labels name vectors and it reads well
        vectors = readable_vector_scene(order, style, (FITS_NODES, FITS_EDGES))
        if vectors is not None:
            return vectors
    if detail != "auto":
        scene = build(analyze(order, sums=True, grouping=_CONDENSED[detail]), style, detail)
        scene.note = _note(scene)
        return scene
    has_scopes = any(v.scope is not None for v in order)
    tried = []
    for mode in ("sums", "neurons", "layers") if has_scopes else ("sums",):
        scene = build(analyze(order, sums=True, grouping=_CONDENSED[mode]), style, mode)
        if len(scene.nodes) <= FITS_NODES and len(scene.edges) <= FITS_EDGES:
            break
        tried.append(scene)
    else:
        scene = min(tried, key=lambda s: len(s.nodes) + len(s.edges))
    scene.note = _note(scene)
    return scene


def _batch_loss(order: list[Value]) -> bool:
    """Whether "auto" draws the parameters view: a loss over a batch, with few enough parameters to list."""
    params, batch = find_parameters(order)
    return batch and len(params) <= PARAMETERS_LIMIT


def _note(scene: Scene) -> str:
    """The line above a condensed drawing: what was folded, and how to see everything."""
    what = {
        "sums": "each chain of additions drawn as one Σ gate",
        "neurons": "each neuron drawn as one box, sums as Σ gates",
        "layers": "each layer drawn as one box, sums as Σ gates",
    }[scene.mode]
    more = "detail='full' draws every value" if scene.values <= SUMMARY_LIMIT else "detail='summary' gives its facts"
    return f"condensed: {scene.values:,} values, {what}; {more}"
