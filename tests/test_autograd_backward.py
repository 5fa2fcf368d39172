"""backward(): the lecture's numbers, the chain rule's bookkeeping, depth, and memory."""

from __future__ import annotations

import gc
import math
import sys
import weakref

import pytest
from _oracle import Program, ValueBackend, programs, run
from hypothesis import given

from autograd import Constant, Value, scope, topological_order
from autograd.examples import LECTURE_EXAMPLES, add_mul, max_gate, sigmoid_neuron

# ---- SPEC §5: the three lecture examples ----------------------------------------


def test_lecture_1_add_mul() -> None:
    x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
    q = x + y
    f = q * z
    f.backward()
    assert (f.data, x.grad, y.grad, z.grad, q.grad, f.grad) == (-12.0, -4.0, -4.0, 3.0, -4.0, 1.0)


def sigmoid_gradients() -> dict[str, float]:
    """∂σ(w0·x0 + w1·x1 + w2)/∂input at the lecture's point, from calculus: σ'(1) times the other factor."""
    s = 1 / (1 + math.exp(-1.0))
    ds = s * (1 - s)
    return {"w0": -1.0 * ds, "x0": 2.0 * ds, "w1": -2.0 * ds, "x1": -3.0 * ds, "w2": ds}


@pytest.mark.parametrize("single_gate", [False, True], ids=["gates", "sigmoid"])
def test_lecture_2_sigmoid_neuron(single_gate: bool) -> None:
    w0, x0, w1, x1, w2 = (
        Value(v, label=n) for n, v in [("w0", 2.0), ("x0", -1.0), ("w1", -3.0), ("x1", -2.0), ("w2", -3.0)]
    )
    dot = w0 * x0 + w1 * x1 + w2
    f = dot.sigmoid() if single_gate else 1 / (1 + (-dot).exp())
    f.backward()
    assert round(f.data, 2) == 0.73
    rounded = {v.label: round(v.grad, 2) for v in (w0, x0, w1, x1, w2)}
    assert rounded == {"w0": -0.20, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.20}
    for v in (w0, x0, w1, x1, w2):
        assert math.isclose(v.grad, sigmoid_gradients()[v.label], rel_tol=1e-12)


def test_lecture_2_is_drawn_from_the_lecture_gates() -> None:
    f, _ = sigmoid_neuron()
    ops = [v.op for v in topological_order(f) if v.op]
    assert ops == ["*", "*", "+", "+", "*", "exp", "+", "1/x"]
    negate, plus_one = f.parents[0].parents[1].parents[0], f.parents[0]
    assert negate.op == "*" and type(negate.parents[1]) is Constant and negate.parents[1].data == -1.0
    assert plus_one.op == "+" and type(plus_one.parents[0]) is Constant and plus_one.parents[0].data == 1.0


def test_lecture_3_max_gate() -> None:
    x, y, z, w = Value(3.0), Value(-4.0), Value(2.0), Value(-1.0)
    f = 2 * (x * y + z.max(w))
    f.backward()
    assert (f.data, x.grad, y.grad, z.grad, w.grad) == (-20.0, -8.0, 6.0, 2.0, 0.0)


@pytest.mark.parametrize(
    ("name", "data", "grads"),
    [
        ("add_mul", -12.0, {"x": -4.0, "y": -4.0, "z": 3.0}),
        ("max_gate", -20.0, {"x": -8.0, "y": 6.0, "z": 2.0, "w": 0.0}),
        ("sigmoid_neuron", 1 / (1 + math.exp(-1.0)), sigmoid_gradients()),
    ],
)
def test_examples_module_builds_the_lecture_circuits(name: str, data: float, grads: dict[str, float]) -> None:
    f, inputs = LECTURE_EXAMPLES[name]()
    f.backward()
    assert math.isclose(f.data, data, rel_tol=1e-12) and f.label == "f"
    assert {n: v.grad for n, v in inputs.items()} == pytest.approx(grads, rel=1e-12)
    assert all(v.label == n for n, v in inputs.items())


def test_examples_take_other_inputs() -> None:
    assert add_mul(1.0, 2.0, 3.0)[0].data == 9.0
    assert max_gate(z=-5.0)[0].data == 2 * (-12.0 + -1.0)
    assert math.isclose(sigmoid_neuron(w2=-1.0)[0].data, 1 / (1 + math.exp(-3.0)))
    with pytest.raises(TypeError, match="unknown input 'w3'; the neuron's inputs are w0, x0, w1, x1, w2"):
        sigmoid_neuron(w3=1.0)


# ---- the chain rule's bookkeeping -------------------------------------------------


def test_fan_out_sums_the_contributions() -> None:
    x = Value(2.0)
    f = x * 3 + x * 4 + x
    f.backward()
    assert x.grad == 8.0


def test_a_times_a_keeps_both_wires() -> None:
    a = Value(3.0)
    y = a * a
    assert y.parents == (a, a) and y.local_grads == (3.0, 3.0)
    y.backward()
    assert a.grad == 6.0


def test_backward_twice_leaves_accumulate_intermediates_do_not() -> None:
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    q = x + y
    f = q * z
    f.backward()
    f.backward()
    assert (x.grad, y.grad, z.grad) == (-8.0, -8.0, 6.0)
    assert (q.grad, f.grad) == (-4.0, 1.0)


def test_intermediate_shared_by_two_outputs_holds_the_latest_pass() -> None:
    x, z, w = Value(1.0), Value(3.0), Value(5.0)
    q = x * 2
    (q * z).backward()
    (q * w).backward()
    assert q.grad == 5.0  # the second pass only
    assert x.grad == 2 * 3.0 + 2 * 5.0  # the leaf keeps both


def test_backward_on_a_leaf_seeds_and_accumulates() -> None:
    x = Value(4.0)
    x.backward()
    assert x.grad == 1.0
    x.backward()
    assert x.grad == 2.0


def test_zeroing_leaves_by_hand_restarts_accumulation() -> None:
    w = Value(3.0)
    loss = w * w
    loss.backward()
    w.grad = 0.0
    loss.backward()
    assert w.grad == 6.0


@given(programs())
def test_topological_order_lists_each_node_once_after_its_operands(program: Program) -> None:
    out, pool = run(program, ValueBackend)
    order = topological_order(out)
    position = {id(v): i for i, v in enumerate(order)}
    assert len(position) == len(order) and order[-1] is out
    assert all(id(v) in position for v in pool)
    for v in order:
        assert all(position[id(p)] < position[id(v)] for p in v.parents)
    assert [id(v) for v in topological_order(out)] == [id(v) for v in order]  # deterministic


def recursive_order(root: Value) -> list[Value]:
    """The textbook recursion (micrograd's): each operand, in the order written, then the node."""
    order: list[Value] = []
    visited: set[int] = set()

    def visit(v: Value) -> None:
        if id(v) not in visited:
            visited.add(id(v))
            for p in v.parents:
                visit(p)
            order.append(v)

    visit(root)
    return order


@given(programs())
def test_topological_order_is_the_recursive_walk_and_backward_resets_only_intermediates(program: Program) -> None:
    # The walk keeps its own stack (and reads the slots for speed), but emits exactly what the
    # recursion emits: the drawings rely on that order. Walked from the sum of every node
    # (inputs first) and from the last step alone, whose operands are met in any order.
    out, pool = run(program, ValueBackend)
    for root in (out, pool[-1]):
        expected = recursive_order(root)
        assert [id(v) for v in topological_order(root)] == [id(v) for v in expected]
    fresh = [grad for grad in (v.grad for v in recursive_order(out))]
    assert set(fresh) == {0.0}
    for v in recursive_order(out):
        v.grad = 7.0
    out.backward()
    first = {id(v): v.grad for v in recursive_order(out)}
    out.backward()  # intermediates hold this pass only; leaves add it to what they held
    for v in recursive_order(out):
        expected = first[id(v)] + (first[id(v)] - 7.0 if not v.parents else 0.0)
        assert math.isclose(v.grad, expected, rel_tol=1e-12, abs_tol=1e-12) or (
            math.isnan(v.grad) and math.isnan(expected)
        )


def test_topological_order_visits_an_operand_first_met_through_a_later_one() -> None:
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    f = x * (x * y)  # when the walk reaches x * y, x is visited and y is not yet
    assert [v.label or v.op for v in topological_order(f)] == ["x", "y", "*", "*"]


# ---- depth and memory -----------------------------------------------------------------


def test_a_million_node_chain_at_the_default_recursion_limit() -> None:
    assert sys.getrecursionlimit() <= 1000  # the default: nothing here may rely on raising it
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y.tanh()
    order = topological_order(y)
    assert len(order) == 1_000_001 and order[0] is x
    del order
    y.backward()
    # d/dx of tanh applied a million times: the product of (1 − tanh²) along the chain, computed independently.
    value, slope = 0.5, 1.0
    for _ in range(1_000_000):
        value = math.tanh(value)
        slope *= 1.0 - value * value
    assert y.data == value and math.isclose(x.grad, slope, rel_tol=1e-9)
    del y  # freeing the chain must not recurse either


def test_a_dropped_graph_is_freed_by_reference_counting_alone() -> None:
    def build() -> list[weakref.ref[Value]]:
        x = Value(1.5, label="x")
        with scope("block"):
            f = ((x * x + 2).tanh() - x / 3).exp().max(x.sigmoid()) ** 2
            g = (f.log() + x.relu() + x.leaky_relu() + 1 / x) * -x
        g.backward()
        return [weakref.ref(v) for v in topological_order(g)]

    gc.collect()
    gc.disable()  # no cyclic collector: only reference counts may free the graph
    try:
        refs = build()
        assert len(refs) > 20
        alive = [r() for r in refs if r() is not None]
        assert alive == []
    finally:
        gc.enable()


def test_node_memory_is_small() -> None:
    y = Value(1.0) * Value(2.0)
    assert not hasattr(y, "__dict__")
    # one object per node, no dict, no tuples (see benchmarks/bench_engine.py W4): its slots, a
    # 16-byte object header, and the garbage collector's links (16 bytes up to Python 3.11, more after)
    assert Value.__basicsize__ == 16 + 8 * len(Value.__slots__)
    assert sys.getsizeof(y) <= Value.__basicsize__ + 32
