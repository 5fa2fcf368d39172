"""The op table, each primitive against PyTorch, and how expressions are recorded."""

from __future__ import annotations

import math

import pytest
from _oracle import TORCH, apply_value, local_derivatives_torch, operand_values, param_values
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd
from autograd import OPS, Constant, Op, Value, maximum, numerics
from autograd.ops import lookup

OP_LIST = list(OPS.values())
BY_NAME = pytest.mark.parametrize("op", OP_LIST, ids=[op.name for op in OP_LIST])


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@st.composite
def op_inputs(draw: st.DrawFn, op: Op) -> tuple[list[float], float | None]:
    operands = [draw(operand_values(op)) for _ in range(op.arity)]
    if op.name == "max":
        assume(operands[0] != operands[1])  # a tie routes to the first; PyTorch splits it (tested apart)
    return operands, draw(param_values(op))


# ---- the table itself ---------------------------------------------------------


def test_every_op_has_a_torch_oracle() -> None:
    assert set(TORCH) == set(OPS)


@BY_NAME
def test_table_entry_is_complete(op: Op) -> None:
    assert op.arity in (1, 2)
    assert op.symbol and op.glyph and op.derivative
    assert op.domain and all(lo < hi for lo, hi in op.domain)
    assert (op.param_domain is not None) == (op.name in ("pow", "leaky_relu"))  # exactly the ops with an extra number
    assert lookup(op.symbol if op.name != "pow" else "**2") is op


def test_bound_entries_keep_their_number_and_are_shared() -> None:
    assert OPS["pow"].bind(2.0) is OPS["pow"].bind(2.0)  # one per exponent, not one per node
    y = Value(3.0) ** 2
    assert y.operation is OPS["pow"].bind(2.0) and y.operation.param == (2.0,) and y.operation.name == "pow"


def test_lookup_unknown_symbol_lists_the_known() -> None:
    with pytest.raises(KeyError, match=r"no operation has symbol '\?'; known: '\+', '\*'"):
        lookup("?")


@BY_NAME
@given(data=st.data())
def test_table_forward_and_local_match_torch(op: Op, data: st.DataObject) -> None:
    operands, param = data.draw(op_inputs(op))
    extra = () if param is None else (param,)
    expected_out, expected_local = local_derivatives_torch(op, operands, param)
    out = op.forward(numerics, *operands, *extra)
    local = op.local(numerics, out, *operands, *extra)
    assert close(out, expected_out), (out, expected_out)
    assert len(local) == op.arity
    assert all(close(got, want) for got, want in zip(local, expected_local, strict=True)), (local, expected_local)


# ---- the Value methods record what the table says -----------------------------


@BY_NAME
def test_every_op_has_a_value_method(op: Op) -> None:
    method = getattr(Value, op.name, None) or getattr(Value, f"__{op.name.removesuffix('_value')}__")
    assert callable(method) and method.__doc__ and ">>>" in method.__doc__


@BY_NAME
@given(data=st.data())
def test_value_method_records_the_table(op: Op, data: st.DataObject) -> None:
    operands, param = data.draw(op_inputs(op))
    leaves = [Value(x) for x in operands]
    out = apply_value(op, leaves, param)
    extra = () if param is None else (param,)
    assert out.op == (f"**{param:g}" if op.name == "pow" else op.symbol)
    assert out.parents == tuple(leaves)
    assert out.data == op.forward(numerics, *operands, *extra)  # + and * are inlined: they must still agree exactly
    assert out.local_grads == op.local(numerics, out.data, *operands, *extra)
    assert out.operation.name == op.name and out.scope is None
    expected_out, expected_local = local_derivatives_torch(op, operands, param)
    assert close(out.data, expected_out)
    out.backward()
    for leaf, want in zip(leaves, expected_local, strict=True):
        assert close(leaf.grad, want), (leaf.grad, want)


@pytest.mark.parametrize(("n", "symbol"), [(2, "**2"), (0.5, "**0.5"), (-1, "**-1"), (3.0, "**3"), (1e-7, "**1e-07")])
def test_pow_symbol_writes_the_exponent_with_g(n: float, symbol: str) -> None:
    assert (Value(2.0) ** n).op == symbol


def test_pow_zero_exponent_has_zero_derivative_even_at_zero() -> None:
    y = Value(0.0) ** 0
    assert (y.data, y.local_grads) == (1.0, (0.0,))


# ---- kinks, ties, slopes --------------------------------------------------------


def test_max_tie_routes_the_gradient_to_the_first() -> None:
    a, b = Value(2.0), Value(2.0)
    a.max(b).backward()
    assert (a.grad, b.grad) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("a", "b", "grads"), [(3.0, 1.0, (1.0, 0.0)), (1.0, 3.0, (0.0, 1.0)), (-1.0, -1.0, (1.0, 0.0))]
)
def test_max_routes(a: float, b: float, grads: tuple[float, float]) -> None:
    assert Value(a).max(Value(b)).local_grads == grads


@pytest.mark.parametrize(("x", "data", "local"), [(0.0, 0.0, 0.0), (-0.0, 0.0, 0.0), (-2.0, 0.0, 0.0), (2.0, 2.0, 1.0)])
def test_relu_kink_at_zero_has_derivative_zero(x: float, data: float, local: float) -> None:
    y = Value(x).relu()
    assert (y.data, y.local_grads) == (data, (local,))


@pytest.mark.parametrize(
    ("x", "slope", "data", "local"),
    [(-2.0, 0.01, -0.02, 0.01), (-2.0, 0.2, -0.4, 0.2), (3.0, 0.2, 3.0, 1.0), (0.0, 0.2, 0.0, 0.2)],
)
def test_leaky_relu_slope(x: float, slope: float, data: float, local: float) -> None:
    y = Value(x).leaky_relu(slope)
    assert y.op == "leaky_relu" and y.parents[0].data == x and len(y.parents) == 1
    assert math.isclose(y.data, data) and y.local_grads == (local,)


def test_leaky_relu_default_slope_is_0_01() -> None:
    assert Value(-1.0).leaky_relu().local_grads == (0.01,)


# ---- numbers on either side, derived forms ----------------------------------------


@pytest.mark.parametrize(
    ("build", "op", "constant_first", "data"),
    [
        (lambda a: 2 + a, "+", True, 5.0),
        (lambda a: a + 2, "+", False, 5.0),
        (lambda a: 2 * a, "*", True, 6.0),
        (lambda a: a * 2.5, "*", False, 7.5),
    ],
    ids=["2+a", "a+2", "2*a", "a*2.5"],
)
def test_numbers_on_either_side_become_constant_leaves(build, op: str, constant_first: bool, data: float) -> None:
    a = Value(3.0, label="a")
    y = build(a)
    assert (y.op, y.data) == (op, data)
    constant, other = y.parents if constant_first else y.parents[::-1]
    assert other is a
    assert type(constant) is Constant and isinstance(constant, Value)
    assert (constant.op, constant.parents, constant.label) == ("", (), "")


def test_sum_starts_from_zero() -> None:
    a, b = Value(1.0), Value(2.0)
    s = sum([a, b])
    assert s.data == 3.0
    inner = s.parents[0]
    assert inner.parents[0].data == 0.0 and type(inner.parents[0]) is Constant and inner.parents[1] is a


def test_negation_is_times_minus_one() -> None:
    a = Value(2.0)
    y = -a
    assert (y.op, y.parents[0], y.parents[1].data, y.data) == ("*", a, -1.0, -2.0)


def test_subtraction_is_plus_b_times_minus_one() -> None:
    a, b = Value(5.0), Value(3.0)
    y = a - b
    assert y.op == "+" and y.parents[0] is a and y.data == 2.0
    negated = y.parents[1]
    assert (negated.op, negated.parents[0], negated.parents[1].data) == ("*", b, -1.0)
    y.backward()
    assert (a.grad, b.grad) == (1.0, -1.0)


@pytest.mark.parametrize(("build", "data"), [(lambda a: a - 1, 4.0), (lambda a: 1 - a, -4.0)], ids=["a-1", "1-a"])
def test_subtraction_with_numbers(build, data: float) -> None:
    a = Value(5.0)
    y = build(a)
    assert y.op == "+" and y.data == data
    y.backward()
    assert a.grad == (1.0 if data > 0 else -1.0)


def test_division_is_times_reciprocal() -> None:
    a, b = Value(6.0), Value(3.0)
    y = a / b
    assert (y.op, y.parents[0], y.parents[1].op, y.parents[1].parents[0], y.data) == ("*", a, "1/x", b, 2.0)
    y.backward()
    assert math.isclose(a.grad, 1 / 3) and math.isclose(b.grad, -6 / 9)


def test_one_over_a_is_exactly_one_reciprocal_node() -> None:
    a = Value(4.0)
    y = 1 / a
    assert (y.op, y.parents, y.data) == ("1/x", (a,), 0.25)
    assert len(autograd.topological_order(y)) == 2


def test_number_over_a_is_number_times_reciprocal() -> None:
    a = Value(4.0)
    y = 3 / a
    assert (y.op, y.parents[0].data, y.parents[1].op, y.data) == ("*", 3.0, "1/x", 0.75)


def test_dividing_by_a_number_multiplies_by_its_reciprocal() -> None:
    y = Value(6.0) / 4
    assert (y.op, y.parents[1].data, y.data) == ("*", 0.25, 1.5)
    assert (Value(1.0) / 0).data == math.inf  # IEEE, no ZeroDivisionError


@pytest.mark.parametrize(
    ("a", "b", "data", "first_is_constant"),
    [
        (2, Value(3.0), 3.0, True),
        (Value(3.0), 2, 3.0, False),
        (Value(1.0), Value(2.0), 2.0, False),
        (1.5, 2.5, 2.5, True),
    ],
)
def test_maximum_with_numbers(a, b, data: float, first_is_constant: bool) -> None:
    y = maximum(a, b)
    assert (y.op, y.data) == ("max", data)
    assert (type(y.parents[0]) is Constant) == first_is_constant


# ---- labels and repr ------------------------------------------------------------------


def test_labels_are_settable_and_repr_shows_them() -> None:
    a = Value(2.0, label="a")
    assert repr(a) == "Value(a, data=2.0, grad=0.0)"
    y = a * 3
    assert y.label == "" and repr(y) == "Value(data=6.0, grad=0.0)"
    y.label = "y"
    y.backward()
    assert repr(y) == "Value(y, data=6.0, grad=1.0)" and repr(a) == "Value(a, data=2.0, grad=3.0)"


def test_data_is_stored_as_float() -> None:
    a = Value(3)
    assert type(a.data) is float and a.data == 3.0 and a.grad == 0.0 and a.op == "" and a.parents == ()
    assert Value(math.inf).data == math.inf and math.isnan(Value(math.nan).data)


@pytest.mark.parametrize("name", ["add", "mul"])
@given(a=st.floats(-5, 5), b=st.floats(-5, 5))
def test_the_shortcuts_for_plus_and_times_record_what_the_table_says(name: str, a: float, b: float) -> None:
    # + and * skip apply() (engine._record explains why): with Values, and with a number on either side
    op = OPS[name]
    for left, right in ((Value(a), Value(b)), (Value(a), b), (a, Value(b))):
        out = left + right if name == "add" else left * right  # type: ignore[operator]
        assert out.operation is op and out.op == op.symbol
        assert out.data == op.forward(numerics, a, b)
        assert out.local_grads == op.local(numerics, out.data, a, b)
        assert [p.data for p in out.parents] == [a, b]
