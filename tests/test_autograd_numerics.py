"""IEEE-754 numerics (inf and nan, never an exception or a complex number) and the
TypeErrors that say what was given."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from autograd import OPS, Value, maximum, numerics

inf, nan = math.inf, math.nan

# (function, arguments, expected): what NumPy / PyTorch give in float64.
IEEE = [
    (numerics.exp, (1000.0,), inf),
    (numerics.exp, (-1000.0,), 0.0),
    (numerics.exp, (inf,), inf),
    (numerics.exp, (-inf,), 0.0),
    (numerics.log, (-1.0,), nan),
    (numerics.log, (0.0,), -inf),
    (numerics.log, (-0.0,), -inf),
    (numerics.log, (inf,), inf),
    (numerics.log, (-inf,), nan),
    (numerics.reciprocal, (0.0,), inf),
    (numerics.reciprocal, (-0.0,), -inf),
    (numerics.reciprocal, (inf,), 0.0),
    (numerics.power, (1e200, 2.0), inf),
    (numerics.power, (-1e200, 3.0), -inf),
    (numerics.power, (-1e200, 2.0), inf),
    (numerics.power, (10.0, 400.0), inf),
    (numerics.power, (-8.0, 1 / 3), nan),
    (numerics.power, (0.0, -1.0), inf),
    (numerics.power, (-0.0, -1.0), -inf),
    (numerics.power, (-0.0, -2.0), inf),
    (numerics.power, (0.0, -0.5), inf),
    (numerics.power, (2.0, -2000.0), 0.0),
    (numerics.sigmoid, (1000.0,), 1.0),
    (numerics.sigmoid, (-1000.0,), 0.0),
    (numerics.sigmoid, (inf,), 1.0),
    (numerics.sigmoid, (-inf,), 0.0),
    (numerics.tanh, (1000.0,), 1.0),
    (numerics.tanh, (-1000.0,), -1.0),
    (numerics.relu, (-0.0,), 0.0),
    (numerics.maximum, (nan, 1.0), nan),
    (numerics.maximum, (1.0, nan), nan),
]


@pytest.mark.parametrize(("fn", "args", "expected"), IEEE, ids=[f"{f.__name__}{args}" for f, args, _ in IEEE])
def test_ieee_results(fn, args: tuple[float, ...], expected: float) -> None:
    got = fn(*args)
    assert type(got) is float
    assert got == expected or (math.isnan(got) and math.isnan(expected))
    assert math.copysign(1.0, got) == math.copysign(1.0, expected) or math.isnan(expected)


@pytest.mark.parametrize(("fn", "args", "expected"), IEEE, ids=[f"{f.__name__}{args}" for f, args, _ in IEEE])
def test_ieee_results_agree_with_numpy(fn, args: tuple[float, ...], expected: float) -> None:
    oracle = {
        "exp": np.exp,
        "log": np.log,
        "reciprocal": np.reciprocal,
        "power": np.power,
        "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
        "tanh": np.tanh,
        "relu": lambda x: np.maximum(x, 0.0),
        "maximum": np.maximum,
    }[fn.__name__]
    with np.errstate(all="ignore"):
        want = float(oracle(*(np.float64(a) for a in args)))
    got = fn(*args)
    assert got == want or (math.isnan(got) and math.isnan(want))


EXTREMES = [inf, -inf, nan, 0.0, -0.0, 1e308, -1e308, 5e-324, -5e-324, 1.0, -1.0]


@pytest.mark.parametrize("op", OPS.values(), ids=list(OPS))
@pytest.mark.parametrize("x", EXTREMES)
def test_no_exception_escapes_any_operation(op, x: float) -> None:
    for other in EXTREMES if op.arity == 2 else [None]:
        for param in [-1.0, 0.5, 2.0, 1e308] if op.param_domain else [None]:
            operands = [Value(x)] + ([] if other is None else [Value(other)])
            out = apply(op, operands, param)
            assert type(out.data) is float and all(type(g) is float for g in out.local_grads)
            out.backward()
            assert all(type(v.grad) is float for v in operands)


def apply(op, operands, param):
    if op.name == "pow":
        return operands[0] ** param
    if op.name == "pow_value":
        return operands[0] ** operands[1]
    if op.name in ("add", "mul"):
        return operands[0] + operands[1] if op.name == "add" else operands[0] * operands[1]
    return getattr(operands[0], op.name)(*operands[1:], *([] if param is None else [param]))


@pytest.mark.parametrize("op", OPS.values(), ids=list(OPS))
def test_nan_propagates_through_every_operation(op) -> None:
    operands = [Value(nan)] + ([Value(1.0)] if op.arity == 2 else [])
    out = apply(op, operands, 2.0 if op.param_domain else None)
    assert math.isnan(out.data)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: Value(1000.0).exp(), inf),
        (lambda: Value(-1.0).log(), nan),
        (lambda: Value(0.0).log(), -inf),
        (lambda: Value(0.0).reciprocal(), inf),
        (lambda: Value(-0.0).reciprocal(), -inf),
        (lambda: 1 / Value(0.0), inf),
        (lambda: Value(1e200) ** 2, inf),
        (lambda: Value(-8.0) ** (1 / 3), nan),
        (lambda: Value(0.0) ** -1, inf),
        (lambda: Value(2.0) / 0, inf),
        (lambda: Value(nan) + 1, nan),
        (lambda: Value(inf) - Value(inf), nan),
    ],
    ids=[
        "exp(1000)",
        "log(-1)",
        "log(0)",
        "1/x(0)",
        "1/x(-0)",
        "1/a",
        "1e200**2",
        "(-8)**(1/3)",
        "0**-1",
        "2/0",
        "nan+1",
        "inf-inf",
    ],
)
def test_values_follow_ieee(build, expected: float) -> None:
    got = build().data
    assert type(got) is float  # never complex
    assert got == expected or (math.isnan(got) and math.isnan(expected))


@pytest.mark.parametrize("x", [1000.0, -1000.0, 1e308, -1e308])
@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_sigmoid_and_tanh_are_exact_and_finite_with_finite_gradients(name: str, x: float) -> None:
    a = Value(x)
    y = getattr(a, name)()
    expected = {"sigmoid": 1.0 if x > 0 else 0.0, "tanh": math.copysign(1.0, x)}[name]
    assert y.data == expected
    y.backward()
    assert a.grad == 0.0  # saturated: the true derivative underflows to 0, never nan


@pytest.mark.parametrize("x", [-30.0, -5.0, -0.5, 0.0, 0.5, 5.0, 30.0])
def test_sigmoid_matches_the_formula_where_the_formula_is_safe(x: float) -> None:
    assert math.isclose(numerics.sigmoid(x), 1 / (1 + math.exp(-x)), rel_tol=1e-15)


# ---- TypeErrors that say what was given --------------------------------------------------

NOT_NUMBERS = [
    ("abc", "str 'abc'"),
    (None, "NoneType None"),
    (1 + 2j, r"complex \(1\+2j\)"),
    (True, "bool True"),
    ([1.0], r"list \[1\.0\]"),
]


@pytest.mark.parametrize(("given", "shown"), NOT_NUMBERS, ids=[s.split()[0] for _, s in NOT_NUMBERS])
def test_value_refuses_non_numbers_naming_them(given: object, shown: str) -> None:
    with pytest.raises(TypeError, match=f"^Value\\(\\) takes an int or float, got {shown}$"):
        Value(given)  # type: ignore[arg-type]


@pytest.mark.parametrize(("given", "shown"), NOT_NUMBERS, ids=[s.split()[0] for _, s in NOT_NUMBERS])
def test_operators_refuse_non_numbers_naming_the_type(given: object, shown: str) -> None:
    a = Value(1.0)
    accepted = ": the other operand must be a Value, int or float$"
    for symbol, operation in [
        ("+", lambda: a + given),
        ("*", lambda: a * given),
        ("-", lambda: a - given),
        ("/", lambda: a / given),
    ]:
        with pytest.raises(TypeError, match=f"^Value \\{symbol} {shown}{accepted}"):
            operation()
    for symbol, operation in [
        ("+", lambda: given + a),
        ("*", lambda: given * a),
        ("-", lambda: given - a),
        ("/", lambda: given / a),
    ]:
        with pytest.raises(TypeError, match=f"^{shown} \\{symbol} Value{accepted}"):
            operation()
    with pytest.raises(TypeError, match=f"^Value \\*\\* {shown}: the exponent must be a Value, int or float$"):
        a**given  # type: ignore[operator]
    with pytest.raises(TypeError, match=f"^max\\(\\) takes Values, ints or floats, got {shown}$"):
        a.max(given)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=f"^max\\(\\) takes Values, ints or floats, got {shown}$"):
        maximum(given, a)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=f"leaky_relu\\(slope=\\) takes an int or float, got {shown}"):
        a.leaky_relu(given)  # type: ignore[arg-type]


def test_long_reprs_are_shortened_in_messages() -> None:
    with pytest.raises(TypeError, match=r"got str 'x{36}\.\.\.$"):
        Value("x" * 100)  # type: ignore[arg-type]


def test_a_value_exponent_is_one_two_parent_node() -> None:
    a, b = Value(2.0), Value(3.0)
    y = a**b
    assert (y.op, y.parents, y.data) == ("**", (a, b), 8.0)
    y.backward()
    assert (a.grad, b.grad) == (3.0 * 4.0, 8.0 * math.log(2.0))  # b·a^(b−1) and a^b·ln a
    z = 2**a
    assert (z.op, type(z.parents[0]).__name__, z.parents[0].data, z.parents[1], z.data) == (
        "**",
        "Constant",
        2.0,
        a,
        4.0,
    )


def test_label_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="label must be a str, got int 3"):
        Value(1.0, label=3)  # type: ignore[arg-type]


def test_other_libraries_types_get_their_turn() -> None:
    a = Value(2.0)
    combined = np.array([1.0, 2.0]) * a  # NumPy applies Value's * to each element
    assert [v.data for v in combined] == [2.0, 4.0]


@pytest.mark.parametrize("number", [np.float64(2.5), np.int64(2), np.float32(2.5), Fraction(5, 2), 2, 2.5])
def test_real_numbers_of_other_types_are_accepted(number: object) -> None:
    a = Value(number)  # type: ignore[arg-type]
    assert type(a.data) is float and a.data == float(number)  # type: ignore[arg-type]
    assert (Value(1.0) + number).data == 1.0 + float(number)  # type: ignore[operator, arg-type]
