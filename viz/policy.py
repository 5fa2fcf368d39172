"""How much to draw: every graph gets an answer, never a hang.

Count the Values first (a walk that stops early), then choose:

=====================  ==================================================
values                 default drawing (``detail="auto"``)
=====================  ==================================================
up to 200              ``"full"``: every value a wire — one slide
201 to 20,000          ``"vectors"`` if labels name vectors (``x[0]``,
                       ``W[0,1]``: one wire per vector, ``viz.vectors``);
                       else condensed: the most detailed of ``"sums"`` (chains
                       of additions as one Σ gate), ``"neurons"`` (each
                       neuron one box) and ``"layers"`` (each layer one
                       box) that fits in 300 nodes and 600 edges; the
                       smallest of them if none fits, if that is under
                       2,000 nodes; else the summary
more than 20,000       ``"summary"``: the graph's facts and the nodes
                       nearest the output
=====================  ==================================================

Why these numbers (measured with graphviz-pure on 2 cores): 200 values
fill a slide; a full 1,000-value MLP lays out in about half a second but
is a poster; a 5,000-value one takes 10 s and a 10,000-value one a
minute, so full detail is only drawn on request (``detail="full"``, up
to 20,000); above 20,000 even building the condensed view costs seconds
per attempt, so the summary answers at once. Neuron and layer boxes come
from ``autograd.scope`` (``nn`` tags every neuron); a graph without
scopes condenses to Σ gates only.

>>> from autograd import Value
>>> x = Value(1.0)
>>> choose(sum([x * i for i in range(300)]), "auto", Style(grads=False)).mode
'sums'
"""

from __future__ import annotations

import difflib

from autograd import Value

from .scene import Scene, Style, analyze, build
from .structure import operands, topological_order
from .summary import summarize
from .vectors import readable_vector_scene, vector_scene

__all__ = ["DETAILS", "FULL_LIMIT", "SUMMARY_LIMIT", "choose", "count_values"]

FULL_LIMIT = 200
SUMMARY_LIMIT = 20_000
FITS_NODES, FITS_EDGES = 300, 600  # a condensed drawing aims to stay readable
LAYOUT_LIMIT = 2_000  # drawn nodes; more would take the layout program many seconds
DETAILS = ("auto", "full", "sums", "neurons", "layers", "summary", "vectors")
_CONDENSED = {"sums": None, "neurons": "neurons", "layers": "layers"}  # mode -> autograd.scope grouping


def count_values(root: Value, limit: int) -> int:
    """How many Values ``root`` depends on (itself included), counting no further than ``limit + 1``.

    >>> from autograd import Value
    >>> a = Value(1.0)
    >>> count_values(a * a + a, 100), count_values(a * a + a, 1)
    (3, 2)
    """
    seen = {root}
    stack = [root]
    while stack and len(seen) <= limit:
        for p in operands(stack.pop()):
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return min(len(seen), limit + 1)


def choose(root: Value, detail: str, style: Style) -> Scene:
    """The scene to draw for ``detail`` (one of DETAILS) by the policy above.

    >>> from autograd import Value
    >>> choose(Value(1.0) + 2, "auto", Style()).mode
    'full'
    """
    if detail not in DETAILS:
        close = difflib.get_close_matches(str(detail), DETAILS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown detail {detail!r}; known: {', '.join(DETAILS)}{hint}")
    n = count_values(root, SUMMARY_LIMIT)
    if detail == "summary" or (detail == "auto" and n > SUMMARY_LIMIT):
        return summarize(root, style, SUMMARY_LIMIT)
    if detail == "vectors":  # one wire per labelled vector: a small drawing whatever the graph's size (viz.vectors)
        return vector_scene(topological_order(root), style)
    if n > SUMMARY_LIMIT:
        raise ValueError(
            f"detail={detail!r} refused: the graph has more than {SUMMARY_LIMIT:,} values, too many to lay out "
            "in reasonable time; use detail='auto' for a summary, or draw an intermediate Value"
        )
    order = topological_order(root)
    if detail == "full" or (detail == "auto" and n <= FULL_LIMIT):
        return build(analyze(order), style)
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
        if len(scene.nodes) > LAYOUT_LIMIT:
            return summarize(root, style, SUMMARY_LIMIT)
    scene.note = _note(scene)
    return scene


def _note(scene: Scene) -> str:
    """The line above a condensed drawing: what was folded, and how to see everything."""
    what = {
        "sums": "each chain of additions drawn as one Σ gate",
        "neurons": "each neuron drawn as one box, sums as Σ gates",
        "layers": "each layer drawn as one box, sums as Σ gates",
    }[scene.mode]
    return f"condensed: {scene.values:,} values, {what}; detail='full' draws every value"
