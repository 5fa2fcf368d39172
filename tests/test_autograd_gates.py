"""Gates of your own (autograd.gate): they record, differentiate, gradcheck, draw and train like a built-in.

PyTorch float64 is the oracle for values, first and second derivatives;
finite differences (gradcheck) check gates PyTorch has no twin for.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from test_viz_svg import by_name, gates

import nn
import viz
from autograd import Constant, Gate, Value, detect_anomaly, examples, gate, grad, gradcheck, hessian, no_grad


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


# The lecture's sigmoid gate: forward σ(x), local gradient σ(1−σ), written through the output.
SIGMOID = gate("σ", _sigmoid, lambda out, x: (out * (1 - out),))
# A gate a learner invents: softplus log(1 + eˣ), whose local gradient is σ(x).
SOFTPLUS = gate("softplus", lambda x: math.log1p(math.exp(-abs(x))) + max(x, 0.0), lambda out, x: (_sigmoid(x),))
# Three operands: a·b + c, the fused multiply-add.
FMA = gate("fma", lambda a, b, c: a * b + c, lambda out, a, b, c: (b, a, 1.0))
# Any number of operands: their mean.
MEAN = gate("mean", lambda *xs: sum(xs) / len(xs), lambda out, *xs: tuple(1 / len(xs) for _ in xs))
# Written with Value operations in local, so grad(..., create_graph=True) can differentiate it again.
SQUARE = gate("sq", lambda x: x * x, lambda out, x: (2 * x,))

finite = st.floats(-4.0, 4.0)


# ---- recording ------------------------------------------------------------------------------


def test_the_sigmoid_gate_records_one_node_with_its_symbol() -> None:
    x = Value(0.5, label="x")
    y = SIGMOID(x)
    assert (y.op, y.parents, y.operation) == ("σ", (x,), SIGMOID.op)
    assert y.data == pytest.approx(1 / (1 + math.exp(-0.5)), abs=1e-15)
    assert y.local_grads == pytest.approx((y.data * (1 - y.data),), abs=1e-15)
    assert isinstance(SIGMOID, Gate) and repr(SIGMOID) == "gate('σ')" and SIGMOID.symbol == "σ"


def test_the_lecture_neuron_with_the_sigmoid_gate_gives_the_lecture_gradients() -> None:
    f, xs = examples.sigmoid_neuron()
    f.backward()
    ws = {name: Value(v.data, label=name) for name, v in xs.items()}
    g = SIGMOID(ws["w0"] * ws["x0"] + ws["w1"] * ws["x1"] + ws["w2"])
    g.backward()
    assert round(g.data, 2) == 0.73
    assert {n: round(v.grad, 2) for n, v in ws.items()} == {"w0": -0.2, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.2}
    for name in xs:
        assert ws[name].grad == pytest.approx(xs[name].grad, abs=1e-12)  # the same as the eight primitive gates


@pytest.mark.parametrize(
    ("g", "operands"),
    [(SIGMOID, (0.3,)), (gate("-", lambda a, b: a - b, lambda out, a, b: (1, -1)), (2.0, 5.0)), (FMA, (2.0, 3.0, 4.0))],
    ids=["1 operand", "2 operands", "3 operands"],
)
def test_gates_of_one_two_and_three_operands_keep_them_in_order(g: Gate, operands: tuple[float, ...]) -> None:
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(operands)]
    out = g(*leaves)
    assert out.parents == tuple(leaves)
    assert len(out.local_grads) == len(leaves)
    out.backward()
    assert [v.grad for v in leaves] == pytest.approx(list(out.local_grads))


def test_a_gate_of_many_operands_takes_the_engine_path_for_more_than_two() -> None:
    xs = [Value(float(i), label=f"x{i}") for i in range(7)]
    m = MEAN(*xs)
    assert m.data == 3.0 and m.parents == tuple(xs) and m.op == "mean"
    (m * 2).backward()
    assert [x.grad for x in xs] == pytest.approx([2 / 7] * 7)


def test_numbers_become_constant_leaves_in_the_order_written() -> None:
    b = Value(3.0, label="b")
    out = FMA(2, b, 1.5)
    first, second, third = out.parents
    assert isinstance(first, Constant) and isinstance(third, Constant) and second is b
    assert (first.data, third.data, out.data) == (2.0, 1.5, 7.5)
    out.backward()
    assert b.grad == 2.0
    assert SIGMOID(0.0).data == 0.5  # a number alone is fine too


def test_a_value_used_twice_gets_both_contributions() -> None:
    x = Value(3.0)
    y = FMA(x, x, x)  # x² + x
    y.backward()
    assert y.data == 12.0 and x.grad == 7.0


def test_a_bare_derivative_will_do_for_one_operand() -> None:
    double = gate("×2", lambda x: 2 * x, lambda out, x: 2)
    x = Value(1.0)
    double(x).backward()
    assert x.grad == 2.0


def test_local_may_give_its_derivatives_as_any_sequence() -> None:
    for give in (lambda a, b: [b, a], lambda a, b: np.array([b, a]), lambda a, b: (d for d in (b, a))):
        product = gate("mul", lambda a, b: a * b, lambda out, a, b, give=give: give(a, b))
        x, y = Value(2.0), Value(5.0)
        out = product(x, y)
        assert out.local_grads == (5.0, 2.0) and all(type(d) is float for d in out.local_grads)


def test_gates_are_values_like_any_other_downstream() -> None:
    x = Value(0.2)
    y = (SIGMOID(x) * 3).tanh() + SOFTPLUS(x)
    y.backward()
    expected = torch.tensor(0.2, dtype=torch.float64, requires_grad=True)
    (torch.tanh(torch.sigmoid(expected) * 3) + torch.nn.functional.softplus(expected)).backward()
    assert y.data == pytest.approx(
        float(torch.tanh(torch.sigmoid(torch.tensor(0.2, dtype=torch.float64)) * 3) + math.log1p(math.exp(0.2))),
        rel=1e-12,
    )
    assert x.grad == pytest.approx(expected.grad.item(), rel=1e-12)


# ---- against PyTorch and finite differences ---------------------------------------------------


@given(finite)
def test_the_sigmoid_and_softplus_gates_match_torch(x: float) -> None:
    for g, torch_fn in ((SIGMOID, torch.sigmoid), (SOFTPLUS, torch.nn.functional.softplus)):
        v = Value(x)
        out = g(v)
        out.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        expected = torch_fn(t)
        expected.backward()
        assert out.data == pytest.approx(expected.item(), rel=1e-12, abs=1e-15)
        assert v.grad == pytest.approx(t.grad.item(), rel=1e-10, abs=1e-15)


@given(finite, finite, finite)
def test_gradcheck_checks_gates_like_any_operation(a: float, b: float, c: float) -> None:
    inputs = [Value(a, label="a"), Value(b, label="b"), Value(c, label="c")]
    assert gradcheck(lambda a, b, c: FMA(SIGMOID(a), SOFTPLUS(b), MEAN(a, b, c)) * a, inputs)
    assert [v.grad for v in inputs] == [0.0, 0.0, 0.0]  # gradcheck leaves them as they were


def test_gradcheck_catches_a_gate_with_a_wrong_local_derivative() -> None:
    wrong = gate("σ?", _sigmoid, lambda out, x: (out,))  # forgot the (1 − out)
    with pytest.raises(AssertionError, match=r"∂f/∂x: analytic 0\.62.*numeric 0\.23"):
        gradcheck(lambda x: wrong(x), [Value(0.5, label="x")])


# ---- errors that name the gate ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "message"),
    [
        (lambda out, a, b: (1.0,), r"gate 'two': local\(out, x0, x1\) returned 1 derivative; .*per operand \(2\)"),
        (lambda out, a, b: (1.0, 2.0, 3.0), r"returned 3 derivatives; it must return one derivative ∂out/∂x per"),
        (lambda out, a, b: 1.0, r"returned float 1\.0; it must return one derivative"),
        (lambda out, a, b: None, r"returned NoneType None"),
        (lambda out, a, b: "12", r"returned str '12'"),
        (lambda out, a, b: (1.0, "2"), r"gave str '2' as the derivative for operand 1; each derivative must be a"),
        (lambda out, a, b: (1.0, None), r"gave NoneType None as the derivative for operand 1"),
        (lambda out, a, b: (1.0, Value(2.0)), r"gave a Value as the derivative for operand 1"),
    ],
    ids=["too few", "too many", "bare number for two", "None", "str", "a str", "a None", "a Value"],
)
def test_a_wrong_local_is_a_type_error_naming_the_gate(local, message: str) -> None:  # type: ignore[no-untyped-def]
    two = gate("two", lambda a, b: a + b, local)
    with pytest.raises(TypeError, match=message):
        two(Value(1.0), Value(2.0))


@pytest.mark.parametrize(
    ("forward", "message"),
    [
        (lambda x: "1", r"gate 'bad': forward\(1\.0\) returned str '1'; it must return a number"),
        (lambda x: None, r"returned NoneType None; it must return a number"),
        (lambda x: [x], r"returned list \[1\.0\]"),
        (lambda x: complex(x, 1), r"returned complex"),
        (lambda x: True, r"returned bool True"),
        (lambda x: Value(x), r"returned a Value; forward computes on plain numbers"),
    ],
)
def test_a_forward_that_returns_no_number_is_a_type_error_naming_the_gate(forward, message: str) -> None:  # type: ignore[no-untyped-def]
    bad = gate("bad", forward, lambda out, x: (1.0,))
    with pytest.raises(TypeError, match=message):
        bad(Value(1.0))


@pytest.mark.parametrize("symbol", ["", "   ", None, 3, b"s"])
def test_a_gate_needs_a_symbol(symbol: object) -> None:
    with pytest.raises(TypeError, match="gate\\(\\) takes a symbol to draw in the gate, a non-empty str"):
        gate(symbol, _sigmoid, lambda out, x: (1.0,))  # type: ignore[arg-type]


def test_forward_and_local_must_be_functions() -> None:
    with pytest.raises(TypeError, match="gate 'g': forward must be a function, got float 1.0"):
        gate("g", 1.0, lambda out, x: (1.0,))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="gate 'g': local must be a function, got tuple"):
        gate("g", _sigmoid, (1.0,))  # type: ignore[arg-type]


def test_a_gate_needs_an_operand_and_refuses_what_is_not_a_number() -> None:
    with pytest.raises(TypeError, match="gate 'σ' needs at least one operand"):
        SIGMOID()
    with pytest.raises(TypeError, match="str"):
        SIGMOID("x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes 1 positional argument"):
        SIGMOID(Value(1.0), Value(2.0))  # your forward decides how many operands it takes


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes are Python 3.11+")
def test_an_error_inside_your_function_says_which_gate_and_call() -> None:
    exp = gate("exp!", math.exp, lambda out, x: (out,))
    with pytest.raises(OverflowError) as raised:
        exp(Value(1000.0))
    assert "(raised in gate 'exp!': forward(1000.0))" in raised.value.__notes__


# ---- modes ------------------------------------------------------------------------------------


def test_under_no_grad_a_gate_computes_a_leaf() -> None:
    x = Value(0.0)
    with no_grad():
        y = FMA(x, 2, 1)
        z = SIGMOID(x)
    assert (y.op, y.parents, y.data) == ("", (), 1.0)
    assert (z.op, z.parents, z.data) == ("", (), 0.5)
    assert FMA(x, 2, 1).parents  # recording again outside


def test_detect_anomaly_names_the_gate_forward_and_backward() -> None:
    inverse = gate("inv", lambda x: math.inf if x == 0 else 1 / x, lambda out, x: (-out * out,))
    with detect_anomaly(), pytest.raises(FloatingPointError, match="inv produced inf from input x=0.0"):
        inverse(Value(0.0, label="x"))
    steep = gate("steep", lambda x: x, lambda out, x: (math.inf,))
    y = steep(Value(1.0, label="x"))
    with detect_anomaly(), pytest.raises(FloatingPointError, match="backward of steep produced inf for operand 0"):
        y.backward()


# ---- derivatives of derivatives --------------------------------------------------------------


@given(finite)
def test_second_and_third_derivatives_through_a_gate_written_with_value_operations(x: float) -> None:
    v = Value(x)
    (d1,) = grad(SIGMOID(v), [v], create_graph=True)
    (d2,) = grad(d1, [v], create_graph=True)
    (d3,) = grad(d2, [v])
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (t1,) = torch.autograd.grad(torch.sigmoid(t), [t], create_graph=True)
    (t2,) = torch.autograd.grad(t1, [t], create_graph=True)
    (t3,) = torch.autograd.grad(t2, [t])
    assert d1.data == pytest.approx(t1.item(), rel=1e-10, abs=1e-14)
    assert d2.data == pytest.approx(t2.item(), rel=1e-9, abs=1e-14)
    assert d3 == pytest.approx(t3.item(), rel=1e-8, abs=1e-13)
    assert v.grad == 0.0  # grad() changes no .grad


def test_the_recorded_gradient_of_a_gate_is_a_graph_backward_can_walk() -> None:
    x = Value(3.0, label="x")
    (dx,) = grad(SQUARE(x) * x, [x], create_graph=True)  # d(x³)/dx = 3x² = 27
    assert dx.data == 27.0 and dx.parents
    dx.backward()
    assert x.grad == 18.0  # d(3x²)/dx = 6x
    assert hessian(FMA(x, x, x), [x]) == [[2.0]]


def test_a_local_that_leaves_values_for_math_says_so_under_create_graph() -> None:
    opaque = gate("sin", math.sin, lambda out, x: (math.cos(x),))
    x = Value(0.5)
    assert grad(opaque(x), [x])[0] == pytest.approx(math.cos(0.5))  # numbers: fine
    with pytest.raises(TypeError, match="the local derivative of gate 'sin' turned a Value into a float"):
        grad(opaque(x), [x], create_graph=True)


# ---- in viz and nn, like a built-in ----------------------------------------------------------


def test_a_gate_draws_as_one_circle_holding_its_symbol() -> None:
    x, y, z = Value(2.0, label="x"), Value(3.0, label="y"), Value(-1.0, label="z")
    f = SIGMOID(FMA(x, y, z))
    f.label = "f"
    f.backward()
    svg = viz.to_svg(f)
    assert gates(svg) == ["fma", "σ"]
    drawn = by_name(svg)
    assert drawn["x"].grad == f"{f.data * (1 - f.data) * 3:.2f}" and drawn["f"].value == f"{f.data:.2f}"


def test_a_condensed_drawing_and_a_summary_count_gates_by_their_symbol() -> None:
    x = Value(0.1, label="x")
    total = sum((SIGMOID(x * i) for i in range(120)), Value(0.0))
    assert "σ" in gates(viz.to_svg(total, detail="sums"))
    summary = dict(viz.draw(total, detail="summary").scene.table)
    assert summary["operations"] == "* 120 · + 120 · σ 120"


def test_a_gate_is_an_activation_in_nn() -> None:
    model = nn.MLP(2, [3, 1], activation=SIGMOID, seed=0)
    reference = nn.MLP(2, [3, 1], activation="sigmoid", seed=0)
    out, expected = model([0.5, -1.0]), reference([0.5, -1.0])
    assert out.data == pytest.approx(expected.data, rel=1e-12)
    out.backward()
    expected.backward()
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        assert p.grad == pytest.approx(q.grad, rel=1e-10, abs=1e-15)
    hidden = model.layers[0]([0.5, -1.0])
    assert {v.op for v in hidden} == {"σ"}


def test_a_gate_activation_shows_its_symbol_in_the_summary_and_the_model_drawing() -> None:
    model = nn.MLP(2, [3, 1], activation=SIGMOID, seed=0)
    assert "σ" in model.summary().splitlines()[4]  # the first layer's row
    assert repr(model) == "MLP(2, [3, 1], activation=gate('σ'), output_activation='linear')"
    assert "· σ" in viz.draw_model(model, style="layers").source
    assert nn.Neuron(2, activation=SOFTPLUS)([1.0, 2.0]).op == "softplus"


def test_a_model_with_a_gate_activation_is_refused_by_save_before_anything_is_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    model = nn.Layer(2, 2, activation=SIGMOID, seed=0)
    path = tmp_path / "model.json"
    with pytest.raises(ValueError, match=r"cannot save an activation that is a gate of your own, gate\('σ'\)"):
        nn.save(model, path)
    assert list(tmp_path.iterdir()) == []
    nn.save(nn.Layer(2, 2, activation="sigmoid", seed=0), path)  # a name saves as before
    assert nn.load(path).activation == "sigmoid"


def test_names_keep_working_and_anything_else_is_refused_naming_gates() -> None:
    with pytest.raises(ValueError, match="unknown activation 'tahn'; known: linear, relu, leaky_relu, tanh, sigmoid"):
        nn.MLP(2, [3, 1], activation="tahn")
    with pytest.raises(
        TypeError, match="activation must be given by name \\(a str\\) or be a gate made with autograd.gate"
    ):
        nn.Neuron(2, activation=math.tanh)  # type: ignore[arg-type]
