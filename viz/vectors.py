"""Drawing vectors as the lecture does: one wire per vector, one gate per vector operation.

The lecture's vector example ``f = ‖W·x‖²`` is drawn with four wires, not
twenty: ``W``, ``x``, ``q = [0.22, 0.26]`` and ``f = 0.116``, each with its
values in green above and its gradient — the same shape — in red below,
and two gates, ``W·x`` and ``‖·‖²``. ``detail="vectors"`` asks for that
drawing; ``detail="auto"`` chooses it by itself for a graph too large to
draw in full whose labels say it holds vectors.

The labels say which scalars make a vector: ``x[0]``, ``x[1]``, … make the
vector ``x`` and ``W[0,0]`` … ``W[1,1]`` the matrix ``W`` (``autograd.vector``,
``matrix`` and ``labelled`` write them), as long as the indices fill the
whole shape from 0. The k-th Value labelled ``x[0]`` belongs to the k-th
vector ``x`` (per-sample inputs stay apart). Every other labelled Value,
every unlabelled input and the output are wires of their own; everything
else — the unlabelled operations between those wires — is drawn as the one
gate that computes each wire. The gate's glyph is, first, the
``autograd.scope`` all its operations were made in (``with scope("hinge"):``);
else the vector operation they perform, recognised from the graph and
checked on the numbers: a matrix-vector product ``W·x`` (``W·x+b`` with a
bias), a squared norm ``‖·‖²``, a sum ``Σ``, a dot product, or one operation
applied elementwise (``max`` for ``max(0, x)``); else the operations it holds.

>>> from autograd import labelled, matrix, topological_order, vector
>>> W, x = matrix([[0.1, 0.5], [-0.3, 0.8]], "W"), vector([0.2, 0.4], "x")
>>> q = labelled([sum(w * xj for w, xj in zip(row, x)) for row in W], "q")
>>> f = sum(qi * qi for qi in q)
>>> f.label = "f"
>>> f.backward()
>>> scene = vector_scene(topological_order(f), Style(precision=3))
>>> for wire in scene.wires():
...     print(wire.name, wire.value, wire.grad)
W [[0.100, 0.500], [-0.300, 0.800]] [[0.088, 0.176], [0.104, 0.208]]
x [0.200, 0.400] [-0.112, 0.636]
q [0.220, 0.260] [0.440, 0.520]
f 0.116 1.000
>>> [n.glyph for n in scene.nodes if isinstance(n, Gate)]
['W·x', '‖·‖²']
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from autograd import Constant, Value

from .grid import ELIDED
from .scene import Edge, Gate, Scene, Style, Wire, format_number
from .structure import operands

__all__ = ["MAX_WIRES", "SHOWN", "find_vectors", "has_vectors", "readable_vector_scene", "vector_scene"]

LABEL = re.compile(r"(?P<name>.+)\[(?P<i>\d+)(?:,(?P<j>\d+))?\]\Z", re.DOTALL)
SHOWN = 6  # elements of a vector (rows, columns of a matrix) written out; a longer one shows its ends around "…"
WORK_LIMIT = 2_000_000  # node visits while finding the operations of every vector gate; beyond, refuse
MAX_WIRES = 2_000  # wires and gates a vector drawing may hold: the layout of more takes many seconds
SHORT_NAMES = 5  # "W·x+b" spells its operands' names when they are this short together; else "·"
_SUM_OPS, _PRODUCT_OPS, _SQUARE_OPS = {"+"}, {"+", "*"}, {"+", "*", "**2"}


@dataclass
class Tensor:
    """A named group of nodes drawn as one wire: a scalar (shape ()), a vector (n,) or a matrix (m, n)."""

    name: str
    shape: tuple[int, ...]
    nodes: list[int]  # topological indices, row by row

    @property
    def last(self) -> int:
        """The index of its last node: the wire's place (and id) in the drawing."""
        return max(self.nodes)


@dataclass
class VectorGate:
    """The unlabelled operations that compute one tensor, and what they read."""

    output: int  # the tensor it computes
    inputs: list[int] = field(default_factory=list)  # tensors it reads, in the order first read
    reads: list[set[tuple[int, int]]] = field(default_factory=list)  # per output element: (tensor, position) read
    ops: list[list[int]] = field(default_factory=list)  # per output element: its operations, topological order


def find_vectors(order: Sequence[Value]) -> tuple[list[Tensor], list[int]]:
    """The tensors (wires) of a graph in topological order, and for each node its tensor's number or -1.

    >>> from autograd import topological_order, vector
    >>> x = vector([1.0, 2.0], "x")
    >>> tensors, tensor_of = find_vectors(topological_order(x[0] * x[1]))
    >>> [(t.name, t.shape) for t in tensors], tensor_of
    ([('x', (2,)), ('', ())], [0, 0, 1])
    """
    instances: dict[tuple[str, int], list[dict[tuple[int, ...], int]]] = {}
    for i, v in enumerate(order):
        found = None if isinstance(v, Constant) else LABEL.match(v.label)
        if found is None:
            continue
        index = (int(found["i"]),) if found["j"] is None else (int(found["i"]), int(found["j"]))
        groups = instances.setdefault((found["name"], len(index)), [])
        home = next((g for g in groups if index not in g), None)  # the k-th x[0] joins the k-th x
        if home is None:
            groups.append({index: i})
        else:
            home[index] = i
    tensors: list[Tensor] = []
    for (name, _), groups in instances.items():
        for g in groups:
            shape = tuple(max(k[d] for k in g) + 1 for d in range(len(next(iter(g)))))
            if math.prod(shape) == len(g):  # every index from 0 present: a whole vector or matrix
                tensors.append(Tensor(name, shape, [g[k] for k in sorted(g)]))
    tensor_of = [-1] * len(order)
    for t in tensors:
        for i in t.nodes:
            tensor_of[i] = 0
    root = len(order) - 1
    for i, v in enumerate(order):  # every other named value, input and the output: a wire of its own
        if tensor_of[i] == -1 and (i == root or (not isinstance(v, Constant) and (v.label or not v.parents))):
            tensors.append(Tensor(v.label, (), [i]))
    tensors.sort(key=lambda t: t.last)
    tensor_of = [-1] * len(order)
    for k, t in enumerate(tensors):
        for i in t.nodes:
            tensor_of[i] = k
    return tensors, tensor_of


def has_vectors(order: Sequence[Value]) -> bool:
    """Whether the labels name at least one vector or matrix of two or more elements.

    >>> from autograd import Value, topological_order, vector
    >>> has_vectors(topological_order(sum(vector([1, 2], "x")))), has_vectors(topological_order(Value(1.0) * 2))
    (True, False)
    """
    return any(len(t.nodes) > 1 for t in find_vectors(order)[0])


def readable_vector_scene(order: list[Value], style: Style, fits: tuple[int, int]) -> Scene | None:
    """``vector_scene`` for ``detail="auto"``: only if the labels name vectors and the drawing fits
    in ``fits`` (nodes, edges) — else None, and another view is drawn.

    >>> from autograd import Value, topological_order, vector
    >>> order = topological_order(sum(v * v for v in vector(range(150), "x")))
    >>> print(readable_vector_scene(order, Style(), (300, 600)).note)
    451 values drawn as vectors; detail='full' draws every value
    >>> readable_vector_scene(topological_order(Value(1.0) * 2), Style(), (300, 600)) is None
    True
    """
    if not has_vectors(order):
        return None
    try:
        scene = vector_scene(order, style)
    except ValueError:  # too entangled to find the gates quickly: another view will do
        return None
    if len(scene.nodes) > fits[0] or len(scene.edges) > fits[1]:
        return None
    scene.note = f"{len(order):,} values drawn as vectors; detail='full' draws every value"
    return scene


def vector_scene(order: list[Value], style: Style) -> Scene:
    """The scene of a graph drawn with one wire per tensor and one gate per vector operation.

    >>> from autograd import Value, topological_order, vector
    >>> x = vector([1.0, -2.0, 3.0], "x")
    >>> h = [xi.relu() for xi in x]
    >>> scene = vector_scene(topological_order(sum(h)), Style(grads=False))
    >>> [(n.glyph if isinstance(n, Gate) else n.value) for n in scene.nodes]
    ['[1.00, -2.00, 3.00]', 'relu,+', '4.00']
    """
    tensors, tensor_of = find_vectors(order)
    if len(tensors) > MAX_WIRES // 2:
        raise ValueError(
            f"detail='vectors' refused: the labels give {len(tensors):,} separate wires, too many to lay out in "
            "reasonable time; label whole vectors (autograd.vector, labelled) or use detail='auto'"
        )
    index = {v: i for i, v in enumerate(order)}
    gates = _find_gates(order, index, tensors, tensor_of)
    scene = Scene("vectors", len(order))
    root_name = order[-1].label or "f"
    # Inputs stacked at the left in the order the gates read them (W above x, as written in W·x); of those
    # the first gate reads, the ones later gates read too go last, nearer those gates (W below x and b
    # when W also feeds the regularization R(W) drawn below): fewer crossing arrows.
    reads = [(g, s) for g in sorted(gates) for s in gates[g].inputs]
    first_read = {s: n for n, s in enumerate(dict.fromkeys(s for _, s in reads))}
    first_gate = {s: g for g, s in reversed(reads)}
    readers = {s: len({g for g, t in reads if t == s}) for s in first_read}

    def place(k: int) -> tuple[int, int, int]:
        return (first_gate.get(k, len(tensors)), readers.get(k, 0), first_read.get(k, len(tensors)))

    inputs = sorted((k for k in range(len(tensors)) if k not in gates), key=place)
    drawn = [*inputs, *sorted(gates)]
    rank = {k: n for n, k in enumerate(drawn)}
    for k in drawn:
        t, gate = tensors[k], gates.get(k)
        if gate is not None:
            glyph = _glyph(order, tensors, gate)
            scene.nodes.append(Gate(f"g{t.last}", glyph))
            # One arrow per wire read, however many of its elements; arrows enter in the order the
            # wires are stacked (the glyph, W·x, says which operand is which), so that none cross.
            for source in sorted(set(gate.inputs) - {k}, key=rank.__getitem__):
                scene.edges.append(Edge(f"v{tensors[source].last}", f"g{t.last}"))
            scene.edges.append(Edge(f"g{t.last}", f"v{t.last}"))
        else:
            scene.inputs.append(f"v{t.last}")
        scene.nodes.append(_wire(order, t, style, root_name))
    for step, wire in enumerate(reversed(scene.wires())):
        wire.step = step  # the backward pass meets the wires right to left
    return scene


def _find_gates(
    order: Sequence[Value], index: dict[Value, int], tensors: list[Tensor], tensor_of: list[int]
) -> dict[int, VectorGate]:
    """For each computed tensor, the unlabelled operations behind each of its elements, walked back
    to the tensors they read (a Constant is folded into the gate, as the scalar drawing folds ``*2``)."""
    gates: dict[int, VectorGate] = {}
    position = {i: pos for t in tensors for pos, i in enumerate(t.nodes)}  # a node's place in its tensor
    work = 0
    for k, t in enumerate(tensors):
        if not any(order[i].parents for i in t.nodes):
            continue
        gate = VectorGate(k)
        for element in t.nodes:
            reads: set[tuple[int, int]] = set()
            ops: list[int] = []
            stack, seen = [element], {element}
            while stack:  # depth first, operands in the order written: W·x reads W, then x
                n = stack.pop()
                source = tensor_of[n] if n != element else -1
                if source != -1:  # a wire: what the gate reads
                    gate.inputs.append(source)
                    reads.add((source, position[n]))
                    continue
                if order[n].parents:
                    ops.append(n)  # an unlabelled operation (or the element's own): part of this gate
                for p in reversed(operands(order[n])):
                    j = index[p]
                    work += 1
                    if j not in seen and not isinstance(p, Constant):
                        seen.add(j)
                        stack.append(j)
            if work > WORK_LIMIT:
                raise ValueError(
                    f"detail='vectors' refused: finding the operations behind each labelled vector took over "
                    f"{WORK_LIMIT:,} steps (many labelled values share long unlabelled computations); label the "
                    "intermediate vectors you want drawn (autograd.labelled), or use detail='auto'"
                )
            gate.reads.append(reads)
            gate.ops.append(sorted(ops))
        gate.inputs = list(dict.fromkeys(gate.inputs))
        gates[k] = gate
    return gates


# ---- what a vector gate is called ---------------------------------------------------------------


def _glyph(order: Sequence[Value], tensors: list[Tensor], gate: VectorGate) -> str:
    """The scope its operations share, else the vector operation recognised, else the operations it holds."""
    nodes = sorted({n for ops in gate.ops for n in ops})
    scope = _common_scope([order[n].scope for n in nodes])
    if scope:
        return scope
    for recognise in _RECOGNISERS:
        glyph = recognise(order, tensors, gate)
        if glyph:
            return glyph
    glyphs = list(dict.fromkeys(_op_glyph(order[n]) for n in nodes))
    text = ",".join(glyphs)
    return text if len(text) <= 7 else ",".join(glyphs[:2]) + ELIDED


def _common_scope(scopes: list[str | None]) -> str:
    """The last part of the scope path all operations share ("layer1/neuron2" and "layer1/neuron3": layer1)."""
    if not scopes or any(s is None for s in scopes):
        return ""
    paths = [s.split("/") for s in scopes if s is not None]
    common = []
    for parts in zip(*paths, strict=False):  # as far as the shortest path goes
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return common[-1] if common else ""


def _op_glyph(v: Value) -> str:
    op = v.operation
    assert op is not None
    return op.glyph + (f"{op.param[0]:g}" if op.shows_param else "")


def _symbols(order: Sequence[Value], gate: VectorGate) -> set[str]:
    return {order[n].op for ops in gate.ops for n in ops}


def _data(order: Sequence[Value], tensor: Tensor) -> list[float]:
    return [order[i].data for i in tensor.nodes]


def _agrees(value: float, terms: Sequence[float]) -> bool:
    """Whether ``value`` is the sum of ``terms`` up to rounding (the numbers confirm what the structure suggests)."""
    total = math.fsum(terms)
    return math.isfinite(total) and abs(value - total) <= 1e-9 * max(1.0, math.fsum(abs(t) for t in terms))


def _named(template: str, *names: str) -> str:
    """``"W·x"`` with the operands' names when they are short, else the bare operation (``"·"``)."""
    text = template.format(*names)
    return text if len(text) <= SHORT_NAMES and all(names) else template.format(*([""] * len(names)))


def _elementwise(order: Sequence[Value], tensors: list[Tensor], gate: VectorGate) -> str:
    """Each element computed from the same element of each input (scalars broadcast) by the same one operation."""
    out = tensors[gate.output]
    if any(tensors[s].shape not in (out.shape, ()) for s in gate.inputs) or not gate.inputs:
        return ""
    for k, reads in enumerate(gate.reads):
        if any(tensors[s].shape and pos != k for s, pos in reads):
            return ""
    kinds = {tuple(_op_glyph(order[n]) for n in ops) for ops in gate.ops}
    if len(kinds) != 1 or len(next(iter(kinds))) != 1:
        return ""
    (glyph,) = next(iter(kinds))
    constants = {tuple(p.data for p in operands(order[ops[0]]) if isinstance(p, Constant)) for ops in gate.ops}
    if glyph in ("+", "*") and len(constants) == 1 and len(next(iter(constants))) == 1:
        glyph += f"{next(iter(constants))[0]:g}"  # the same constant everywhere, folded as the scalar drawing does: *2
    return glyph


def _matrix_vector(order: Sequence[Value], tensors: list[Tensor], gate: VectorGate) -> str:
    """out[i] = Σⱼ A[i,j]·x[j] (+ b[i]): a matrix-vector product, maybe with a bias."""
    out = tensors[gate.output]
    if len(out.shape) != 1 or not _symbols(order, gate) <= _PRODUCT_OPS:
        return ""
    mats = [s for s in gate.inputs if len(tensors[s].shape) == 2]
    vecs = [s for s in gate.inputs if len(tensors[s].shape) == 1]
    if len(mats) != 1 or len(vecs) not in (1, 2) or len(gate.inputs) != len(vecs) + 1:
        return ""
    A = tensors[mats[0]]
    m, n = A.shape
    x = next((s for s in vecs if tensors[s].shape == (n,)), None)
    bias = [s for s in vecs if s != x]
    if m != out.shape[0] or x is None or (bias and tensors[bias[0]].shape != (m,)):
        return ""
    a, xs = _data(order, A), _data(order, tensors[x])
    for i, reads in enumerate(gate.reads):
        wanted = {(mats[0], i * n + j) for j in range(n)} | {(x, j) for j in range(n)}
        b = [_data(order, tensors[bias[0]])[i]] if bias else []
        if bias:
            wanted.add((bias[0], i))
        terms = [a[i * n + j] * xs[j] for j in range(n)] + b
        if reads != wanted or not _agrees(order[out.nodes[i]].data, terms):
            return ""
    names = (A.name, tensors[x].name) + ((tensors[bias[0]].name,) if bias else ())
    return _named("{}·{}+{}" if bias else "{}·{}", *names)


def _reduction(order: Sequence[Value], tensors: list[Tensor], gate: VectorGate) -> str:
    """A scalar from every element of its inputs: Σ v, ‖v‖² = Σ v², or a dot product a·b = Σ aₖbₖ."""
    out = tensors[gate.output]
    if out.shape != () or not gate.inputs or len(gate.inputs) > 2:
        return ""
    reads = gate.reads[0]
    if reads != {(s, k) for s in gate.inputs for k in range(len(tensors[s].nodes))}:
        return ""
    symbols, value = _symbols(order, gate), order[out.nodes[0]].data
    if len(gate.inputs) == 2:
        a, b = (_data(order, tensors[s]) for s in gate.inputs)
        if len(a) == len(b) and symbols <= _PRODUCT_OPS and _agrees(value, [p * q for p, q in zip(a, b, strict=True)]):
            return _named("{}·{}", *(tensors[s].name for s in gate.inputs))
        return ""
    v = _data(order, tensors[gate.inputs[0]])
    if symbols <= _SUM_OPS and _agrees(value, v):
        return "Σ"
    if symbols <= _SQUARE_OPS and _agrees(value, [e * e for e in v]):
        return "‖·‖²"
    return ""


_RECOGNISERS: list[Callable[[Sequence[Value], list[Tensor], VectorGate], str]] = [
    _elementwise,
    _matrix_vector,
    _reduction,
]


# ---- the wire ------------------------------------------------------------------------------------


def _wire(order: Sequence[Value], t: Tensor, style: Style, root_name: str) -> Wire:
    """One wire for the tensor: its values above, its gradient (the same shape) below."""
    values = [order[i].data for i in t.nodes]
    grads = [order[i].grad for i in t.nodes]
    num = style.precision
    name = t.name if max(t.shape, default=0) <= SHOWN else f"{t.name} ({'×'.join(f'{d:,}' for d in t.shape)})"
    value, grad = _text(values, t.shape, num), _text(grads, t.shape, num) if style.grads else None
    wire = Wire(f"v{t.last}", name, value, grad)
    if len(t.shape) == 2:
        wire.grid = _grid(values, t.shape, num)
        wire.grad_grid = _grid(grads, t.shape, num) if style.grads else ()
    what = t.name or "this value"
    wire.explain = f"{what} = {value}" + (f"; ∂{root_name}/∂{what} = {grad}" if grad is not None else "")
    return wire


def _ends(n: int) -> list[int | None]:
    """The positions written out of ``n``: all, or the first and last few around None (elided)."""
    if n <= SHOWN:
        return list(range(n))
    return [*range(SHOWN // 2), None, *range(n - (SHOWN - 1) // 2 - 1, n)]


def _text(numbers: list[float], shape: tuple[int, ...], precision: int) -> str:
    """``0.12``, ``[0.22, 0.26]`` or ``[[0.10, 0.50], [-0.30, 0.80]]``, long ones elided with ``…``."""
    if not shape:
        return format_number(numbers[0], precision)
    rows = _grid(numbers, shape if len(shape) == 2 else (1, shape[0]), precision)
    lines = ["[" + ", ".join(row) + "]" for row in rows]
    return lines[0] if len(shape) == 1 else "[" + ", ".join(lines) + "]"


def _grid(numbers: list[float], shape: tuple[int, ...], precision: int) -> tuple[tuple[str, ...], ...]:
    """The rows of a matrix as formatted numbers, long ones elided (``…`` columns, ``⁝`` rows)."""
    m, n = shape
    rows = []
    for i in _ends(m):
        if i is None:
            rows.append(tuple("⁝" if j is not None else "" for j in _ends(n)))
        else:
            rows.append(tuple(ELIDED if j is None else format_number(numbers[i * n + j], precision) for j in _ends(n)))
    return tuple(rows)
