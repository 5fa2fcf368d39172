"""Placing the small numbers at arrow heads so that none covers another number or an arrow.

Two kinds of number sit at the head of an arrow into a gate: with
``show_local=True`` the local derivative (``×3.00``), and on each branch
of a value used several times the red share that branch carries back.
Graphviz puts such a label at a fixed angle and distance from the arrow
head, whatever is there, so the labels of arrows meeting at one gate land
on each other and on the arrows. Graphviz places these labels only after
the layout, so choosing where they go moves nothing else: we lay the
drawing out once without them, read where every arrow, wire and text
ended up, and give each labelled arrow the first angle and distance
(nearest first) at which its label's box touches nothing already there.

Graphviz's rule (``place_portlabel``): the label's centre is
``labeldistance`` × 10 points from the arrow's end, at ``labelangle``
degrees from the arrow's direction there (counter-clockwise, y up).

>>> svg = '''<svg xmlns="http://www.w3.org/2000/svg"><g class="graph">
... <g class="edge e0"><path d="M0,0C10,0 20,0 30,0"/><polygon points="30,-2 35,0 30,2 30,-2"/></g>
... </g></svg>'''
>>> place(svg, {0: (22.0, 9.0)})
{0: Placement(angle=-45, distance=1.4)}
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Box", "Placement", "obstacles", "place", "text_box", "text_width"]
DISTANCES = (1.4, 1.8, 2.3, 2.9, 3.6, 4.5, 5.5)  # × 10 points from the arrow head
ANGLES = (-10, 10, -20, 20, -30, 30, -45, 45, -60, 60, -80, 80, -100, 100, -120, 120)  # negative: above the arrow
NEARER = 4.0  # points: a label must be this much nearer its own arrow than any other, or it could be misread
MARGIN = 1.0  # points of air around a label
_SVG = "{http://www.w3.org/2000/svg}"
_POINT = re.compile(r"(-?[\d.]+(?:e-?\d+)?),(-?[\d.]+(?:e-?\d+)?)")
# Advance widths of Arial/Helvetica (what browsers draw the SVG with) in ems; others count as 0.6.
_WIDTHS = {**dict.fromkeys("0123456789", 0.556), ".": 0.278, "-": 0.333, "+": 0.584, "×": 0.584, " ": 0.278,
           "e": 0.556, ",": 0.278, "…": 1.0, "i": 0.222, "l": 0.222, "f": 0.278, "n": 0.556}  # fmt: skip

Point = tuple[float, float]


@dataclass(frozen=True)
class Placement:
    """Where an arrow's labels go: ``labelangle`` (degrees) and ``labeldistance`` (× 10 points)."""

    angle: float
    distance: float


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in SVG coordinates (y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two rectangles share any area.

        >>> Box(0, 0, 2, 2).overlaps(Box(1, 1, 3, 3)), Box(0, 0, 1, 1).overlaps(Box(2, 0, 3, 1))
        (True, False)
        """
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def crosses(self, a: Point, b: Point) -> bool:
        """Whether the segment from ``a`` to ``b`` passes through the rectangle (Liang–Barsky clipping).

        >>> Box(0, 0, 2, 2).crosses((-1, 1), (3, 1)), Box(0, 0, 2, 2).crosses((-1, 3), (3, 3))
        (True, False)
        """
        t0, t1 = 0.0, 1.0
        dx, dy = b[0] - a[0], b[1] - a[1]
        for p, q in ((-dx, a[0] - self.x0), (dx, self.x1 - a[0]), (-dy, a[1] - self.y0), (dy, self.y1 - a[1])):
            if p == 0:
                if q < 0:
                    return False
            elif p < 0:
                t0 = max(t0, q / p)
            else:
                t1 = min(t1, q / p)
            if t0 > t1:
                return False
        return True


def text_width(text: str, size: float) -> float:
    """About how wide ``text`` is drawn at ``size`` points, in points.

    >>> round(text_width("×-4.00", 9), 1)
    25.8
    """
    return sum(_WIDTHS.get(ch, 0.6) for ch in text) * size


def text_box(x: float, baseline: float, text: str, size: float, anchor: str = "start") -> Box:
    """The box a ``<text>`` element covers, from its position, anchor and font size.

    >>> text_box(10, 20, "ab", 10, "middle")
    Box(x0=4.0, y0=12.5, x1=16.0, y1=22.5)
    """
    width = text_width(text, size)
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return Box(left, baseline - 0.75 * size, left + width, baseline + 0.25 * size)


@dataclass
class _Arrow:
    tip: Point  # the head end (where the arrowhead points)
    tip_from: Point  # the arrowhead's base


@dataclass
class _Scene:
    """What a laid-out drawing holds, as boxes and segments."""

    boxes: list[Box]
    segments: list[tuple[Point, Point]]
    arrows: dict[int, _Arrow]  # by the edge's index (its class "e<k>")
    lines: dict[int, list[tuple[Point, Point]]]  # each edge's own segments, by index


def obstacles(svg: str) -> _Scene:
    """Read every text, line, arrow and circle of a Graphviz SVG as boxes and segments."""
    root = ET.fromstring(svg.encode("utf-8"))
    found = _Scene([], [], {}, {})
    for g in root.iter(f"{_SVG}g"):
        classes = (g.get("class") or "").split()
        if "graph" in classes:
            found.boxes += [_box_of(t) for t in g.findall(f"{_SVG}text")]  # the note above a condensed drawing
        if "node" not in classes and "edge" not in classes:
            continue
        index = next((int(c[1:]) for c in classes if re.fullmatch(r"e\d+", c)), None)
        before = len(found.segments)
        for element in g:
            tag = element.tag.removeprefix(_SVG)
            if tag == "text":
                found.boxes.append(_box_of(element))
            elif tag in ("polyline", "polygon"):
                points = [(float(x), float(y)) for x, y in _POINT.findall(element.get("points") or "")]
                found.segments += list(zip(points, points[1:], strict=False))
            elif tag == "ellipse":
                cx, cy = float(element.get("cx") or 0), float(element.get("cy") or 0)
                rx, ry = float(element.get("rx") or 0), float(element.get("ry") or 0)
                found.boxes.append(Box(cx - rx, cy - ry, cx + rx, cy + ry))
            elif tag == "path":
                curve = list(_bezier_points(element.get("d") or ""))
                found.segments += list(zip(curve, curve[1:], strict=False))
        if index is not None:
            found.lines[index] = found.segments[before:]
            arrow = _arrow(g)
            if arrow is not None:
                found.arrows[index] = arrow
    return found


def _box_of(text: ET.Element) -> Box:
    return text_box(
        float(text.get("x") or 0),
        float(text.get("y") or 0),
        "".join(text.itertext()),
        float(text.get("font-size") or 12),
        text.get("text-anchor") or "start",
    )


def _controls(d: str) -> list[Point]:
    return [(float(x), float(y)) for x, y in _POINT.findall(d)]


def _bezier_points(d: str, per_curve: int = 8) -> Iterator[Point]:
    """Points along a Graphviz path (``M p0 C p1 p2 p3 p4 p5 p6 …``: cubic Béziers end to end)."""
    points = _controls(d)
    if not points:
        return
    yield points[0]
    for k in range(1, len(points) - 2, 3):
        p0, p1, p2, p3 = points[k - 1], points[k], points[k + 1], points[k + 2]
        for step in range(1, per_curve + 1):
            yield _bezier(p0, p1, p2, p3, step / per_curve)


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, t: float) -> Point:
    s = 1 - t
    x = s**3 * p0[0] + 3 * s * s * t * p1[0] + 3 * s * t * t * p2[0] + t**3 * p3[0]
    y = s**3 * p0[1] + 3 * s * s * t * p1[1] + 3 * s * t * t * p2[1] + t**3 * p3[1]
    return (x, y)


def _arrow(g: ET.Element) -> _Arrow | None:
    """Both ends of an edge and the direction there, as Graphviz measures them for its labels."""
    path, head = g.find(f"{_SVG}path"), g.find(f"{_SVG}polygon")
    points = _controls(path.get("d") or "") if path is not None else []
    if len(points) < 4:
        return None
    base = points[-1]
    tip = base
    if head is not None:  # the arrowhead's point is its corner farthest from where the line ends
        corners = [(float(x), float(y)) for x, y in _POINT.findall(head.get("points") or "")]
        far = max(corners, key=lambda p: (p[0] - base[0]) ** 2 + (p[1] - base[1]) ** 2)
        # Graphviz measures from a little beyond the drawn point (0.15 of the arrowhead's length, measured).
        tip = (far[0] + 0.15 * (far[0] - base[0]), far[1] + 0.15 * (far[1] - base[1]))
    return _Arrow(tip, base)


def centre(end: Point, toward: Point, placement: Placement) -> Point:
    """Where Graphviz centres a label at arrow end ``end``, the arrow heading to ``toward`` from there.

    >>> [round(c, 2) for c in centre((0, 0), (1, 0), Placement(90, 2))]  # straight up (SVG y grows down)
    [0.0, -20.0]
    """
    angle = math.atan2(-(toward[1] - end[1]), toward[0] - end[0]) + math.radians(placement.angle)
    return (end[0] + 10 * placement.distance * math.cos(angle), end[1] - 10 * placement.distance * math.sin(angle))


def _label_box(at: Point, width: float, height: float) -> Box:
    half_w, half_h = width / 2 + MARGIN, height / 2 + MARGIN
    return Box(at[0] - half_w, at[1] - half_h, at[0] + half_w, at[1] + half_h)


def place(svg: str, labels: dict[int, tuple[float, float]]) -> dict[int, Placement]:
    """For each edge with a head label (index → the label's width and height in points), where to
    put it: touching no text, circle, wire, arrow or label placed before, nearer its own arrow than
    any other, and as near its arrow head as that allows. An edge with no free place gets the one
    with the fewest collisions."""
    drawn = obstacles(svg)
    grid = _Grid()
    for box in drawn.boxes:
        grid.add_box(box)
    for segment in drawn.segments:
        grid.add_segment(segment)
    chosen: dict[int, Placement] = {}
    for index in sorted(labels):
        arrow = drawn.arrows.get(index)
        if arrow is None:
            continue
        own = drawn.lines.get(index, [])
        candidates = [
            (placement, _label_box(centre(arrow.tip, arrow.tip_from, placement), *labels[index]))
            for placement in (Placement(angle, distance) for distance in DISTANCES for angle in ANGLES)
        ]
        free: tuple[float, Placement, Box] | None = None
        for placement, box in candidates:
            if free is not None and 10 * placement.distance > free[0]:
                break  # farther out, nothing can cost less than the free place found
            if grid.touches(box):
                continue
            # Nearest first, but a label nearer another arrow than its own could be read as that one's.
            at = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
            mine = min((_distance(at, segment) for segment in own), default=0.0)
            cost = 10 * placement.distance + 3 * max(0.0, mine - grid.nearest(at, own) + NEARER)
            cost += abs(placement.angle) / 30
            if free is None or cost < free[0]:
                free = (cost, placement, box)
        if free is not None:
            placement, box = free[1], free[2]
        else:  # nowhere free: where it touches least
            placement, box = min(candidates, key=lambda candidate: grid.collisions(candidate[1]))
        chosen[index] = placement
        grid.add_box(box)
    return chosen


def _distance(p: Point, segment: tuple[Point, Point]) -> float:
    """How far point ``p`` is from a segment.

    >>> _distance((1, 1), ((0, 0), (2, 0))), _distance((3, 0), ((0, 0), (2, 0)))
    (1.0, 1.0)
    """
    (ax, ay), (bx, by) = segment
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length))
    return math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy)


class _Grid:
    """Boxes and segments filed by the square cells they touch, so a query looks only nearby."""

    CELL = 40.0  # points

    def __init__(self) -> None:
        self.boxes: dict[tuple[int, int], list[Box]] = {}
        self.segments: dict[tuple[int, int], list[tuple[Point, Point]]] = {}

    def _cells(self, box: Box) -> Iterator[tuple[int, int]]:
        c = self.CELL
        for i in range(math.floor(box.x0 / c), math.floor(box.x1 / c) + 1):
            for j in range(math.floor(box.y0 / c), math.floor(box.y1 / c) + 1):
                yield (i, j)

    def add_box(self, box: Box) -> None:
        for cell in self._cells(box):
            self.boxes.setdefault(cell, []).append(box)

    def add_segment(self, segment: tuple[Point, Point]) -> None:
        (ax, ay), (bx, by) = segment
        for cell in self._cells(Box(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))):
            self.segments.setdefault(cell, []).append(segment)

    def touches(self, box: Box) -> bool:
        """Whether ``box`` touches any filed box or segment (stops at the first)."""
        for cell in self._cells(box):
            if any(box.overlaps(b) for b in self.boxes.get(cell, ())):
                return True
            if any(box.crosses(*s) for s in self.segments.get(cell, ())):
                return True
        return False

    def nearest(self, p: Point, exclude: list[tuple[Point, Point]], reach: float = 60.0) -> float:
        """How far the nearest filed segment (other than ``exclude``) is from ``p``, up to ``reach``."""
        skip = {id(s) for s in exclude}
        near = Box(p[0] - reach, p[1] - reach, p[0] + reach, p[1] + reach)
        found = {id(s): s for cell in self._cells(near) for s in self.segments.get(cell, []) if id(s) not in skip}
        return min((_distance(p, s) for s in found.values()), default=reach)

    def collisions(self, box: Box) -> int:
        """How many filed boxes and segments ``box`` touches (each counted once)."""
        boxes = {id(b): b for cell in self._cells(box) for b in self.boxes.get(cell, [])}
        segments = {id(s): s for cell in self._cells(box) for s in self.segments.get(cell, [])}
        return sum(box.overlaps(b) for b in boxes.values()) + sum(box.crosses(*s) for s in segments.values())
