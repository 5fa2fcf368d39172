"""no_grad, detect_anomaly, scope and gradcheck."""

from __future__ import annotations

import dataclasses
import math

import pytest

from autograd import OPS, Value, detect_anomaly, gradcheck, no_grad, scope
from autograd.modes import current

# ---- no_grad ------------------------------------------------------------------------

EXPRESSIONS = {
    "a + b": lambda a, b: a + b,
    "a * b": lambda a, b: a * b,
    "2 + a": lambda a, b: 2 + a,
    "3 * a": lambda a, b: 3 * a,
    "a - b": lambda a, b: a - b,
    "a / b": lambda a, b: a / b,
    "1 / a": lambda a, b: 1 / a,
    "-a": lambda a, b: -a,
    "a ** 2": lambda a, b: a**2,
    **{f"a.{name}()": lambda a, b, name=name: getattr(a, name)() for name in OPS if OPS[name].arity == 1},
    "a.max(b)": lambda a, b: a.max(b),
}
EXPRESSIONS.pop("a.pow()")


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_no_grad_results_are_leaves_with_the_same_value(expression: str) -> None:
    build = EXPRESSIONS[expression]
    a, b = Value(1.5), Value(0.5)
    recorded = build(a, b)
    with no_grad():
        plain = build(a, b)
    assert (plain.op, plain.parents, plain.local_grads) == ("", (), ())
    assert plain.data == recorded.data and recorded.parents


def test_no_grad_restores_the_mode_after_an_exception_and_nests() -> None:
    a = Value(1.0)
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("boom")
    assert (a + a).parents == (a, a)
    with no_grad():
        with no_grad():
            assert (a + a).parents == ()
        assert (a * a).parents == ()  # the outer block is still off
    assert (a * a).parents == (a, a) and current().grad_enabled and not current().anomaly


def test_no_grad_as_a_decorator() -> None:
    @no_grad()
    def step(w: Value) -> Value:
        return w * 2

    assert step(Value(1.0)).parents == ()
    assert (Value(1.0) * 2).parents


# ---- detect_anomaly --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda x: x.exp(), r"exp produced inf from input x=1000\.0 \(forward pass\)"),
        (lambda x: (x * -1).log(), r"log produced nan from input -1000\.0 \(forward pass\)"),
        (lambda x: x * 1e306, r"\* produced inf from inputs x=1000\.0, 1e\+306 \(forward pass\)"),  # inline path
        (lambda x: x + 1e308 + 1e308, r"\+ produced inf from inputs 1e\+308, 1e\+308 \(forward pass\)"),
        (lambda x: (x - 1000).reciprocal(), r"1/x produced inf from input 0\.0"),
    ],
    ids=["exp", "log", "mul", "add", "reciprocal"],
)
def test_detect_anomaly_forward_names_the_op_and_inputs(build, message: str) -> None:
    x = Value(1000.0, label="x")
    build(x)  # without the mode: inf or nan, silently
    with pytest.raises(FloatingPointError, match=message), detect_anomaly():
        build(x)
    assert not current().anomaly and current().grad_enabled  # restored after the exception
    build(x)


def test_detect_anomaly_backward_names_the_op_and_operand() -> None:
    x = Value(0.0, label="x")
    y = x**0.5  # forward fine (0.0); its local derivative 0.5·0^−0.5 is inf
    y.backward()
    assert x.grad == math.inf  # without the mode: silently inf
    with pytest.raises(FloatingPointError, match=r"backward of \*\*0\.5 produced inf for operand 0 \(input x=0\.0\)"):
        with detect_anomaly():
            (x**0.5 * 2).backward()
    assert not current().anomaly


def test_detect_anomaly_is_quiet_on_finite_graphs_and_nests_with_no_grad() -> None:
    with detect_anomaly():
        a = Value(2.0)
        f = (a * a + 1).log().tanh()
        f.backward()
        with no_grad():
            assert (a * a).parents == ()
            assert not current().grad_enabled
        assert (a * a).parents == (a, a) and current().anomaly
    assert not current().anomaly and math.isfinite(a.grad)


# ---- scope -----------------------------------------------------------------------------------


def test_scope_tags_values_nests_and_restores() -> None:
    assert Value(1.0).scope is None
    with scope("layer1"):
        a = Value(1.0)
        with scope("neuron2"):
            y = a * 2
        z = a + 1
    assert (a.scope, y.scope, y.parents[1].scope, z.scope) == ("layer1", "layer1/neuron2", "layer1/neuron2", "layer1")
    with pytest.raises(ValueError), scope("x"):
        raise ValueError
    assert (Value(1.0) * 2).scope is None


# ---- gradcheck --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn",
    [
        lambda a, b: (a * b).tanh(),
        lambda a, b: (a**3 - b / a).exp().log() + a.max(b).sigmoid(),
        lambda a, b: (a * a).leaky_relu(0.1) * b.relu(),
    ],
)
def test_gradcheck_passes_correct_functions(fn) -> None:
    assert gradcheck(fn, [Value(0.7), Value(1.3)]) is True


@pytest.fixture
def wrong_tanh(monkeypatch: pytest.MonkeyPatch) -> None:
    """tanh with a deliberately wrong local derivative (1 instead of 1 − tanh²), for this test only."""
    wrong = dataclasses.replace(OPS["tanh"], local=lambda m, out, a: (1.0,))
    monkeypatch.setitem(OPS, "tanh", wrong)


def test_gradcheck_fails_listing_each_wrong_input_with_both_numbers(wrong_tanh: None) -> None:
    a, b, c = Value(0.5, label="a"), Value(2.0), Value(-1.0, label="c")
    a.grad, b.grad, c.grad = 7.0, 8.0, 9.0
    with pytest.raises(AssertionError) as failure:
        gradcheck(lambda a, b, c: a.tanh() * b + c, [a, b, c])
    message = str(failure.value)
    analytic = 2.0  # the wrong derivative 1, times b
    numeric = 2.0 * (1 - math.tanh(0.5) ** 2)
    lines = message.splitlines()
    assert lines[0] == "gradcheck failed (tol=0.0001):"
    assert len(lines) == 2  # only a is wrong: b and c pass
    name, numbers = lines[1].split(": ")
    assert name.strip() == "∂f/∂a"
    got_analytic, got_numeric = (float(part.split()[-1]) for part in numbers.split(", "))
    assert got_analytic == analytic and math.isclose(got_numeric, numeric, rel_tol=1e-6)
    assert (a.grad, b.grad, c.grad) == (7.0, 8.0, 9.0)  # restored, even on failure


def test_gradcheck_names_unlabelled_inputs_by_position(wrong_tanh: None) -> None:
    with pytest.raises(AssertionError, match=r"∂f/∂input 1: analytic 3\.0, numeric 2\.359343"):
        gradcheck(lambda a, b: a + b.tanh() * 3, [Value(1.0), Value(0.5)])


def test_gradcheck_ignores_and_restores_earlier_gradients() -> None:
    x = Value(2.0)
    x.grad = 100.0  # left over from an earlier pass: must not count
    assert gradcheck(lambda x: x**3, [x])
    assert x.grad == 100.0 and x.data == 2.0


def test_gradcheck_leaves_other_leaves_gradients_alone() -> None:
    w = Value(3.0, label="w")  # a weight fn closes over: not an input, but backward() reaches it
    w.grad = 0.5
    assert gradcheck(lambda x: x * w + w.tanh(), [Value(2.0)])
    assert w.grad == 0.5


def test_gradcheck_tolerance_is_relative_above_one() -> None:
    x = Value(3.0)
    assert gradcheck(lambda x: x**8, [x], tol=1e-6)  # ∂/∂x = 8·3^7 = 17,496: judged relative to that


@pytest.mark.parametrize(
    ("fn", "inputs", "message"),
    [
        (lambda x: x, [1.0], "gradcheck inputs must be Values, got float at position 0"),
        (lambda x: 1.0, [Value(1.0)], "gradcheck: fn must return a Value, got float"),
    ],
)
def test_gradcheck_refuses_bad_arguments(fn, inputs, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        gradcheck(fn, inputs)
