"""Derivatives of derivatives (SPEC §1.2): ``grad(..., create_graph=True)`` against
``torch.autograd.grad(..., create_graph=True)`` in float64, on random expression
graphs from every primitive (second and third order, mixed partials), against
finite differences of the first derivative (``gradcheck`` applied to gradients),
and ``hessian`` / ``hvp`` against ``torch.autograd.functional``."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from _oracle import EVERY_OP, Program, TorchBackend, ValueBackend, partial_derivatives, programs, run
from conftest import load_script
from hypothesis import example, given, note
from hypothesis import strategies as st

from autograd import Constant, Value, detect_anomaly, gradcheck, hessian, hvp, topological_order
from autograd import grad as autograd_grad
from autograd.examples import sigmoid_neuron


def grad(output: Value, inputs: list[Value], create_graph: bool = False) -> tuple:
    return autograd_grad(output, inputs, create_graph=create_graph)


def close(a: float, b: float, scale: float = 1.0) -> bool:
    """Equal to float64 rounding, relative to the size of the numbers involved."""
    return math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-9 * max(1.0, scale))


def assert_partials_match_torch(program: Program, order: int) -> None:
    note(str(program))
    ours_out, ours_pool = run(program, ValueBackend)
    theirs_out, theirs_pool = run(program, TorchBackend)
    n = len(program.inputs)
    ours = partial_derivatives(ours_out, ours_pool[:n], ValueBackend, order)
    theirs = partial_derivatives(theirs_out, theirs_pool[:n], TorchBackend, order)
    assert ours.keys() == theirs.keys()
    scale = max(abs(x) for x in theirs.values())
    for index, expected in theirs.items():
        assert close(ours[index], expected, scale), f"∂^{len(index)}/∂{index}: ours {ours[index]}, torch {expected}"


# ---- against PyTorch ------------------------------------------------------------


@given(programs())
@example(EVERY_OP)
def test_second_derivatives_and_mixed_partials_match_torch(program: Program) -> None:
    assert_partials_match_torch(program, order=2)


@given(programs(max_inputs=2, max_steps=6))
@example(EVERY_OP)
def test_third_derivatives_match_torch(program: Program) -> None:
    assert_partials_match_torch(program, order=3)


@given(programs())
@example(EVERY_OP)
def test_create_graph_gradients_equal_the_numbers_of_backward(program: Program) -> None:
    out, pool = run(program, ValueBackend)
    inputs = pool[: len(program.inputs)]
    recorded = grad(out, inputs, create_graph=True)
    numbers = grad(out, inputs)
    out.backward()
    for x, g, number in zip(inputs, recorded, numbers, strict=True):
        assert isinstance(g, Value) and isinstance(number, float)
        assert close(g.data, x.grad, abs(x.grad)) and close(number, x.grad, abs(x.grad))


@given(programs())
@example(EVERY_OP)
def test_gradcheck_of_the_gradient(program: Program) -> None:
    """Finite differences of the first derivative check the second (gradcheck applied to grad)."""
    note(str(program))
    inputs = [Value(x, label=f"n{i}") for i, x in enumerate(program.inputs)]
    for i in range(len(inputs)):

        def first_derivative(*xs: Value, i: int = i) -> Value:
            return autograd_grad(run(program, ValueBackend, xs)[0], [xs[i]], create_graph=True)[0]

        assert gradcheck(first_derivative, inputs, tol=1e-3)


def test_gradcheck_of_the_gradient_of_tanh_and_sigmoid() -> None:
    for f in (lambda x: x.tanh() * x, lambda x: x.sigmoid(), lambda x: (x * x).exp().log() ** 3):
        x = Value(0.3, label="x")
        assert gradcheck(lambda x, f=f: autograd_grad(f(x), [x], create_graph=True)[0], [x])


@given(programs(max_inputs=3, max_steps=8))
@example(EVERY_OP)
def test_hessian_matches_torch_functional(program: Program) -> None:
    note(str(program))
    out, pool = run(program, ValueBackend)
    leaves = [torch.tensor(x, dtype=torch.float64) for x in program.inputs]
    expected = torch.autograd.functional.hessian(lambda *ts: run(program, TorchBackend, ts)[0], tuple(leaves))
    ours = hessian(out, pool[: len(program.inputs)])
    scale = max(abs(float(expected[i][j])) for i in range(len(leaves)) for j in range(len(leaves)))
    for i, row in enumerate(ours):
        for j, entry in enumerate(row):
            assert close(entry, float(expected[i][j]), scale), (i, j, entry, float(expected[i][j]))


@given(programs(max_inputs=3, max_steps=8), st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
@example(EVERY_OP, [1.0, -0.5, 0.0])
def test_hvp_matches_torch_functional(program: Program, direction: list[float]) -> None:
    note(str(program))
    n = len(program.inputs)
    out, pool = run(program, ValueBackend)
    leaves = tuple(torch.tensor(x, dtype=torch.float64) for x in program.inputs)
    v = tuple(torch.tensor(d, dtype=torch.float64) for d in direction[:n])
    _, expected = torch.autograd.functional.hvp(lambda *ts: run(program, TorchBackend, ts)[0], leaves, v)
    ours = hvp(out, pool[:n], direction[:n])
    scale = max(abs(float(e)) for e in expected)
    assert all(close(a, float(b), scale) for a, b in zip(ours, expected, strict=True)), (ours, expected)


# ---- what SPEC §1.2 promises ---------------------------------------------------


def test_grad_changes_no_grad_anywhere() -> None:
    x, y = Value(0.5, label="x"), Value(-1.5, label="y")
    q = x * y
    f = q.tanh() + x
    nodes = topological_order(f)
    for node in nodes:
        node.grad = 0.25  # whatever was there before
    for create_graph in (False, True):
        (dx,) = grad(f, [x], create_graph=create_graph)
        grad(dx if create_graph else f, [x, y], create_graph=create_graph)
    assert all(node.grad == 0.25 for node in nodes)


def test_gradients_come_back_in_the_order_asked() -> None:
    x, y = Value(2.0), Value(5.0)
    assert grad(x * y * y, [y, x, y]) == (20.0, 25.0, 20.0)


def test_an_input_the_output_does_not_depend_on_gets_zero() -> None:
    x, unused = Value(2.0), Value(7.0)
    assert grad(x * x, [x, unused]) == (4.0, 0.0)
    dx, dunused = grad(x * x, [x, unused], create_graph=True)
    assert isinstance(dunused, Value) and dunused.data == 0.0
    # the second derivative of a quadratic is a number: its derivative is 0, as a Value too
    (d2,) = grad(dx, [x], create_graph=True)
    assert d2.data == 2.0 and grad(d2, [x]) == (0.0,)
    assert grad(d2, [x], create_graph=True)[0].data == 0.0


def test_backward_on_a_gradient_fills_leaves_with_second_derivatives() -> None:
    x, y = Value(0.5, label="x"), Value(-1.5, label="y")
    f = (x * y).tanh() * x
    dfdx, dfdy = grad(f, [x, y], create_graph=True)
    dfdx.backward()
    xt, yt = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.5, -1.5))
    (dxt,) = torch.autograd.grad(torch.tanh(xt * yt) * xt, [xt], create_graph=True)
    dxt.backward()
    assert close(x.grad, xt.grad.item()) and close(y.grad, yt.grad.item())  # ∂²f/∂x², ∂²f/∂x∂y
    assert close(dfdy.data, torch.autograd.grad(torch.tanh(xt * yt) * xt, [yt])[0].item())


def test_a_gradient_draws_from_the_same_primitive_operations() -> None:
    x = Value(0.5, label="x")
    (dfdx,) = grad(x.tanh(), [x], create_graph=True)  # 1 − tanh²: *, *-1, +1 on the tanh node
    ops = [n.op for n in topological_order(dfdx) if n.parents]
    assert ops == ["tanh", "*", "*", "+"] and dfdx.data == pytest.approx(1 - math.tanh(0.5) ** 2)


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
def test_nth_derivatives_of_tanh_and_sigmoid_match_torch(order: int) -> None:
    for ours_f, torch_f in ((Value.tanh, torch.tanh), (Value.sigmoid, torch.sigmoid)):
        x = Value(0.3)
        xt = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
        d, dt = ours_f(x), torch_f(xt)
        for _ in range(order):
            (d,) = grad(d, [x], create_graph=True)
            (dt,) = torch.autograd.grad(dt, [xt], create_graph=True)
        assert close(d.data, dt.item())


def test_grad_output_seeds_the_pass() -> None:
    x, y = Value(2.0, label="x"), Value(5.0, label="y")
    assert autograd_grad(x * y, [x], grad_output=3.0) == (15.0,)
    g = Value(3.0, label="g")  # a Value seed is an input of the recorded backward pass
    (dx,) = autograd_grad(x * y, [x], create_graph=True, grad_output=g)
    assert dx.data == 15.0 and g in topological_order(dx)
    assert grad(dx, [g, y]) == (5.0, 3.0)


def test_hessian_and_hvp_of_the_sigmoid_neuron_agree() -> None:
    f, xs = sigmoid_neuron()
    inputs = list(xs.values())
    h = hessian(f, inputs)
    assert all(math.isclose(h[i][j], h[j][i], abs_tol=1e-12) for i in range(5) for j in range(5))  # symmetric
    for k in range(5):
        e = [1.0 if i == k else 0.0 for i in range(5)]
        assert hvp(f, inputs, e) == pytest.approx([h[i][k] for i in range(5)])


def test_bad_arguments_say_what_is_accepted() -> None:
    x = Value(1.0)
    with pytest.raises(TypeError, match="differentiates a Value, got float"):
        autograd_grad(1.0, [x])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="inputs must be Values, got str 'x' at position 1"):
        autograd_grad(x * 2, [x, "x"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="grad_output=.*number or a Value, got str"):
        autograd_grad(x * 2, [x], grad_output="1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="the vector has 1 entries, the inputs 2"):
        hvp(x * x, [x, Value(2.0)], [1.0])
    with pytest.raises(TypeError, match="the vector holds numbers, got str"):
        hvp(x * x, [x], ["1"])  # type: ignore[list-item]


def test_detect_anomaly_names_a_non_finite_gradient() -> None:
    x = Value(0.0, label="x")
    f = x.log() * 0.5  # built outside anomaly mode: log(0) is −inf, not an error
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"operand 0 of log became inf \(upstream 0.5"):
        grad(f, [x])
    with detect_anomaly(), pytest.raises(FloatingPointError, match="1/x produced inf from input x=0.0"):
        grad(f, [x], create_graph=True)  # the recorded local derivative 1/x is where inf first appears


# ---- gates of your own ----------------------------------------------------------


def test_a_gate_written_with_value_operations_has_correct_second_derivatives() -> None:
    from autograd import gate

    # softplus: log(1 + eˣ); its derivative σ(x) is 1 − e^(−out), written with operators only
    softplus = gate("softplus", lambda x: math.log1p(math.exp(x)), lambda out, x: (1 - math.e ** (-out),))
    xyz = gate("xyz", lambda x, y, z: x * y * z, lambda out, x, y, z: (y * z, x * z, x * y))
    x, y = Value(0.4, label="x"), Value(-1.2, label="y")
    f = xyz(softplus(x * y), x, y)
    xt, yt = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.4, -1.2))
    ft = torch.nn.functional.softplus(xt * yt) * xt * yt
    ours = partial_derivatives(f, [x, y], ValueBackend, 3)
    theirs = partial_derivatives(ft, [xt, yt], TorchBackend, 3)
    assert all(close(ours[k], theirs[k]) for k in theirs), (ours, theirs)


def test_a_gate_written_with_math_functions_raises_a_clear_type_error() -> None:
    from autograd import gate

    sin = gate("sin", math.sin, lambda out, x: (math.cos(x),))
    x = Value(0.5, label="x")
    f = sin(x) * x
    assert grad(f, [x]) == (pytest.approx(math.cos(0.5) * 0.5 + math.sin(0.5)),)  # first order: fine
    with pytest.raises(TypeError, match=r"gate 'sin' turned a Value into a float.*create_graph=False"):
        grad(f, [x], create_graph=True)
    assert grad(f, [Value(1.0)], create_graph=True)[0].data == 0.0  # not on the way to the input: never asked


# ---- the recorded backward pass stays small ---------------------------------------


def _operations(v: Value) -> list[Value]:
    return [n for n in topological_order(v) if n.parents]


def test_x_cubed_folds_to_one_gate_then_numbers() -> None:
    x = Value(2.0, label="x")
    (d1,) = grad(x**3, [x], create_graph=True)  # 3·x²: one **2 and one *3
    (d2,) = grad(d1, [x], create_graph=True)  # 6·x
    (d3,) = grad(d2, [x], create_graph=True)  # 6
    (d4,) = grad(d3, [x], create_graph=True)  # 0
    assert [n.op for n in _operations(d1)] == ["**2", "*"] and d1.data == 12.0
    assert [n.op for n in _operations(d2)] == ["*"] and d2.data == 12.0 and d2.parents[1].data == 6.0
    assert isinstance(d3, Constant) and d3.data == 6.0
    assert isinstance(d4, Constant) and d4.data == 0.0


def test_times_minus_one_twice_folds_away() -> None:
    x = Value(1.5, label="x")
    (d,) = grad(x * -1 * -1 * x, [x], create_graph=True)  # (−1)(−1)·2x
    assert [n.op for n in _operations(d)] == ["*"] and d.parents == (x, d.parents[1]) and d.parents[1].data == 2.0


@given(programs())
@example(EVERY_OP)
def test_no_expression_is_recorded_twice(program: Program) -> None:
    """Every new node of a gradient's graph is an operation on operands not already combined that way."""
    note(str(program))
    out, pool = run(program, ValueBackend)
    inputs = pool[: len(program.inputs)]
    seen = {_key(n) for n in _operations(out)}
    forward = set(topological_order(out))
    for g in grad(out, inputs, create_graph=True):
        for node in _operations(g):
            if node not in forward:
                key = _key(node)
                assert key not in seen, f"{node.op} of the same operands recorded twice"
                seen.add(key)
                forward.add(node)


def _key(node: Value) -> tuple:
    operands = [p.data if isinstance(p, Constant) else id(p) for p in node.parents]
    if node.op in ("+", "*"):
        operands.sort(key=str)
    return (node.op, *operands)


def test_second_derivative_graphs_of_the_sigmoid_neuron_stay_small() -> None:
    """The numbers benchmarks/bench_higher.py reports (README: Derivatives of derivatives)."""
    for single_gate, first_size, second_size in ((False, 16, 90), (True, 12, 54)):
        f, xs = sigmoid_neuron(single_gate=single_gate)
        inputs = list(xs.values())
        first = grad(f, inputs, create_graph=True)
        second = [d for g in first for d in grad(g, inputs, create_graph=True)]
        assert (_union_size(first), _union_size(second)) == (first_size, second_size)


def _union_size(values: list[Value]) -> int:
    return len({n for v in values for n in _operations(v)})


@pytest.fixture(scope="module")
def bench():
    return load_script(Path(__file__).resolve().parent.parent / "benchmarks" / "bench_higher.py")


def test_from_the_third_order_on_graphgrad_records_fewer_operations_than_pytorch(bench) -> None:
    """What benchmarks/bench_higher.py reports (README): PyTorch grows ~2.5x per order, graphgrad ~1.9-2.1x."""
    for ours, theirs, x0 in (
        (lambda x: x.tanh() * x, lambda x: torch.tanh(x) * x, 0.5),
        (Value.sigmoid, torch.sigmoid, 0.5),
    ):
        rows = bench.orders(ours, theirs, x0, top=6, repeats=1)
        for order, graphgrad, no_folding, pytorch, _, _ in rows:
            assert graphgrad <= no_folding
            if order >= 3:
                assert graphgrad < pytorch, (order, graphgrad, pytorch)


def test_the_benchmark_counts_the_neuron_as_the_test_above(bench) -> None:
    rows = {(form, order): ours for form, order, ours, _, _ in bench.neuron_table()}
    assert (rows["lecture gates", 1], rows["lecture gates", 2], rows["σ gate", 1], rows["σ gate", 2]) == (
        16,
        90,
        12,
        54,
    )
