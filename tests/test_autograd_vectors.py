"""Vectors, matrices and Jacobians (SPEC §1.3), with the lecture's vector example as the acceptance numbers.

f(x, W) = ‖W·x‖² at W = [[0.1, 0.5], [−0.3, 0.8]], x = [0.2, 0.4]: q = W·x = [0.22, 0.26], f = 0.116,
∂f/∂q = 2q = [0.44, 0.52], ∂f/∂W = 2q·xᵀ = [[0.088, 0.176], [0.104, 0.208]], ∂f/∂x = 2Wᵀ·q = [−0.112, 0.636].
PyTorch float64 is the oracle for Jacobians.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from autograd import Constant, Value, jacobian, labelled, matrix, maximum, vector

W_ROWS = [[0.1, 0.5], [-0.3, 0.8]]
X = [0.2, 0.4]


def assert_close(actual: list[list[float]], expected: list[list[float]], rel: float = 0.0, abs: float = 1e-15) -> None:
    """Nested lists equal in shape and, entry by entry, within the tolerances."""
    assert np.shape(actual) == np.shape(expected)
    np.testing.assert_allclose(actual, expected, rtol=rel, atol=abs)


def lecture() -> tuple[list[list[Value]], list[Value], list[Value], Value]:
    """The lecture's f = ‖W·x‖², built from scalars, with q labelled."""
    W, x = matrix(W_ROWS, "W"), vector(X, "x")
    q = labelled([sum(w * xj for w, xj in zip(row, x, strict=True)) for row in W], "q")
    f = sum(qi * qi for qi in q)
    f.label = "f"
    return W, x, q, f


# ---- the lecture's numbers -----------------------------------------------------------------


def test_the_lecture_vector_example_gives_the_lecture_numbers() -> None:
    W, x, q, f = lecture()
    f.backward()
    assert [qi.data for qi in q] == pytest.approx([0.22, 0.26], abs=1e-15)
    assert f.data == pytest.approx(0.116, abs=1e-15)
    assert [qi.grad for qi in q] == pytest.approx([0.44, 0.52], abs=1e-15)
    assert_close([[w.grad for w in row] for row in W], [[0.088, 0.176], [0.104, 0.208]])
    assert [xi.grad for xi in x] == pytest.approx([-0.112, 0.636], abs=1e-15)


def test_the_gradient_has_the_variables_shape_and_the_lectures_formulas() -> None:
    W, x, q, f = lecture()
    f.backward()
    grad_W = [[w.grad for w in row] for row in W]
    assert [len(row) for row in grad_W] == [len(row) for row in W]  # ∇W has W's shape, ∇x has x's
    two_q = [2 * qi.data for qi in q]
    outer = [[two_q[i] * x[j].data for j in range(2)] for i in range(2)]  # ∇W f = 2q·xᵀ
    transposed = [sum(W[i][j].data * two_q[i] for i in range(2)) for j in range(2)]  # ∇x f = 2Wᵀ·q
    assert_close(grad_W, outer)
    assert [xi.grad for xi in x] == pytest.approx(transposed, abs=1e-15)


def test_the_lecture_example_matches_torch() -> None:
    W, x, q, f = lecture()
    f.backward()
    tW = torch.tensor(W_ROWS, dtype=torch.float64, requires_grad=True)
    tx = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    tf = (tW @ tx).pow(2).sum()
    tf.backward()
    assert f.data == pytest.approx(tf.item(), rel=1e-15)
    assert_close([[w.grad for w in row] for row in W], tW.grad.tolist(), rel=1e-14)
    assert [xi.grad for xi in x] == pytest.approx(tx.grad.tolist(), rel=1e-14)


# ---- vector, matrix, labelled ---------------------------------------------------------------


def test_vector_and_matrix_make_labelled_leaves() -> None:
    x = vector([1, 2.5, -3], "x")
    assert [(v.label, v.data, v.parents, type(v)) for v in x] == [
        ("x[0]", 1.0, (), Value),
        ("x[1]", 2.5, (), Value),
        ("x[2]", -3.0, (), Value),
    ]
    W = matrix([[1, 2, 3], [4, 5, 6]], "W")
    assert [[v.label for v in row] for row in W] == [["W[0,0]", "W[0,1]", "W[0,2]"], ["W[1,0]", "W[1,1]", "W[1,2]"]]
    assert [[v.data for v in row] for row in W] == [[1, 2, 3], [4, 5, 6]]
    assert vector([], "x") == [] and matrix([], "W") == []


def test_vector_and_matrix_take_numpy_arrays_and_tuples() -> None:
    assert [v.data for v in vector(np.array([0.5, 1.5]), "x")] == [0.5, 1.5]
    assert [[v.data for v in row] for row in matrix(np.eye(2), "I")] == [[1.0, 0.0], [0.0, 1.0]]
    assert [v.label for v in vector((3, 4), "v")] == ["v[0]", "v[1]"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: vector([1, 2], 3),
            TypeError,
            r"vector\(\) takes a name \(str\) to label the elements with, got int 3",
        ),
        (lambda: vector([1, 2], " "), ValueError, r"vector\(\) takes a name such as 'x'"),
        (lambda: vector(3.0, "x"), TypeError, r"expected a list of numbers, got float 3.0"),
        (lambda: vector("12", "x"), TypeError, r"expected a list of numbers, got str '12'"),
        (lambda: vector([1, "2"], "x"), TypeError, r"vector\(\) takes numbers; element 1 is str '2'"),
        (lambda: vector([1, True], "x"), TypeError, r"element 1 is bool True"),
        (lambda: vector([Value(1.0)], "x"), TypeError, r"element 0 is already a Value \(use labelled\(\)"),
        (lambda: matrix([[1, 2], [3]], "W"), ValueError, r"every row must have the same length, got lengths \[2, 1\]"),
        (lambda: matrix([1, 2], "W"), TypeError, r"expected a list of numbers for row 0, got int 1"),
        (lambda: matrix([[1, None]], "W"), TypeError, r"matrix\(\) takes numbers; element \[0,1\] is NoneType None"),
        (lambda: matrix([[1]], None), TypeError, r"matrix\(\) takes a name \(str\)"),
        (lambda: labelled([Value(1.0), 2.0], "q"), TypeError, r"labelled\(\) names Values; element 1 is float 2.0"),
        (lambda: labelled([[Value(1.0)], [3]], "q"), TypeError, r"element \[1,0\] is int 3"),
        (lambda: labelled(Value(1.0), "q"), TypeError, r"expected a list of Values \(or of rows of Values\)"),
    ],
)
def test_bad_input_says_what_was_given_and_what_is_accepted(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        call()


def test_labelled_names_computed_values_in_place_and_returns_them() -> None:
    a, b = Value(1.0), Value(2.0)
    q = [a * b, a + b]
    assert labelled(q, "q") is q
    assert [v.label for v in q] == ["q[0]", "q[1]"]
    M = labelled([[a * 2, b * 2], [a * 3, b * 3]], "M")
    assert [[v.label for v in row] for row in M] == [["M[0,0]", "M[0,1]"], ["M[1,0]", "M[1,1]"]]
    assert (a.label, b.label) == ("", "")


# ---- jacobian --------------------------------------------------------------------------------


def test_the_jacobian_of_elementwise_max_is_diagonal() -> None:
    x = vector([1.0, -2.0, 3.0, -0.5], "x")
    J = jacobian([maximum(xi, 0) for xi in x], x)
    assert J == [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]]


def test_the_jacobian_of_a_matrix_vector_product_is_the_matrix() -> None:
    W, x = matrix(W_ROWS, "W"), vector(X, "x")
    q = [sum(w * xj for w, xj in zip(row, x, strict=True)) for row in W]
    assert_close(jacobian(q, x), W_ROWS)  # ∂q/∂x = W
    assert_close(jacobian(q, W[0]), [X, [0.0, 0.0]])  # q[1] does not read W's first row


def test_jacobian_of_one_output_is_its_gradient_and_changes_no_grad() -> None:
    W, x, q, f = lecture()
    assert_close(jacobian(f, x), [[-0.112, 0.636]])
    assert_close(jacobian([f], q), [[0.44, 0.52]])
    assert_close(jacobian(q, x[0]), [[0.1], [-0.3]])  # a single input: one column
    assert all(v.grad == 0.0 for v in [*x, *q, f, *W[0], *W[1]])


def test_an_input_the_outputs_do_not_depend_on_gets_zeros() -> None:
    x, y = vector([1.0, 2.0], "x"), Value(5.0, label="y")
    assert jacobian([x[0] * 2, x[1] * x[1]], [y, *x]) == [[0.0, 2.0, 0.0], [0.0, 0.0, 4.0]]
    assert jacobian([Constant(3.0)], x) == [[0.0, 0.0]]


def test_jacobian_refuses_what_is_not_a_value() -> None:
    x = vector([1.0], "x")
    with pytest.raises(TypeError, match=r"jacobian\(\) outputs must be Values, got float 2.0 at position 1"):
        jacobian([x[0], 2.0], x)  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"jacobian\(\) inputs must be Values, got int 3 at position 0"):
        jacobian(x, [3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"expected a list of Values, got float"):
        jacobian(x, 1.0)  # type: ignore[arg-type]


matrices = st.integers(1, 4).flatmap(
    lambda n: st.tuples(
        st.lists(st.lists(st.floats(-2, 2), min_size=n, max_size=n), min_size=1, max_size=4),
        st.lists(st.floats(-2, 2), min_size=n, max_size=n),
    )
)


@given(matrices)
def test_jacobians_match_torch(example: tuple[list[list[float]], list[float]]) -> None:
    rows, numbers = example
    W, x = matrix(rows, "W"), vector(numbers, "x")
    out = [sum(w * xj for w, xj in zip(row, x, strict=True)).tanh() * x[0] for row in W]
    expected = torch.autograd.functional.jacobian(
        lambda t: torch.tanh(torch.tensor(rows, dtype=torch.float64) @ t) * t[0],
        torch.tensor(numbers, dtype=torch.float64),
    )
    assert_close(jacobian(out, x), expected.tolist(), rel=1e-12, abs=1e-14)
