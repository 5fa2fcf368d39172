"""``nn.fit(..., compiled=True)`` trains as the eager ``fit`` does: the same history and weights."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Value
from nn.compiled import cross_entropy_one_hot


def fit_both(make: object, X: object, y: object, rel: float, **options: object) -> None:
    """Train two copies from the same start, eager and compiled; compare histories and weights."""
    histories, weights = [], []
    for compiled in (False, True):
        model = make()  # type: ignore[operator]
        histories.append(nn.fit(model, X, y, progress=False, compiled=compiled, **options))
        weights.append([p.data for p in model.parameters()])
    eager, fast = histories
    assert eager.keys() == fast.keys()
    for key in eager:
        for a, b in zip(eager[key], fast[key], strict=True):
            assert math.isclose(a, b, rel_tol=rel, abs_tol=rel), (key, a, b)
    for a, b in zip(*weights, strict=True):
        assert math.isclose(a, b, rel_tol=rel, abs_tol=rel), (a, b)


@pytest.mark.parametrize(
    ("loss", "output", "labels"),
    [("mse", "linear", "values"), ("hinge", "linear", "signs"), ("binary_cross_entropy", "sigmoid", "bits")],
)
def test_compiled_fit_gives_the_eager_history(loss: str, output: str, labels: str) -> None:
    X, bits = nn.make_moons(60, noise=0.2, seed=1)
    y = {"values": X[:, 0] * 0.5, "signs": 2 * bits - 1, "bits": bits}[labels]
    fit_both(
        lambda: nn.MLP(2, [8, 6, 1], activation="tanh", output_activation=output, seed=3),
        X, y, rel=1e-9, loss=loss, epochs=4, lr=0.1, batch_size=16, momentum=0.9, alpha=1e-3,
        validation=(X[:20], y[:20]),
    )  # fmt: skip


def test_compiled_fit_of_cross_entropy_matches_within_rounding() -> None:
    # the compiled loss shifts logits with max gates instead of a constant: equal up to ~1e-16 per step
    X, y = nn.load_digits()
    fit_both(
        lambda: nn.MLP(64, [8, 10], activation="relu", seed=0),
        X[:60], y[:60], rel=1e-7, loss="cross_entropy", epochs=2, lr=0.05, batch_size=20,
        validation=(X[60:80], y[60:80]),
    )  # fmt: skip


def test_compiled_fit_takes_lists_and_refuses_what_eager_refuses() -> None:
    model = nn.MLP(2, [3, 2], seed=0)
    history = nn.fit(model, [[0.0, 1.0], [1.0, 0.0]], [0, 1], loss="cross_entropy", epochs=2, compiled=True)
    assert len(history["loss"]) == 2
    with pytest.raises(IndexError, match="out of range"):
        nn.fit(model, [[0.0, 1.0]], [2], loss="cross_entropy", compiled=True)
    with pytest.raises(TypeError, match="int class index"):
        nn.fit(model, [[0.0, 1.0]], [0.5], loss="cross_entropy", compiled=True)
    with pytest.raises(ValueError, match="takes 2 inputs"):
        nn.fit(model, [[0.0, 1.0, 2.0]], [0], loss="cross_entropy", compiled=True)
    with pytest.raises(ValueError, match="labels -1 or \\+1"):
        nn.fit(nn.MLP(2, [1]), np.zeros((2, 2)), [1, 0], loss="hinge", compiled=True)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=6), st.data())
def test_one_hot_cross_entropy_is_cross_entropy(xs: list[float], data: st.DataObject) -> None:
    target = data.draw(st.integers(0, len(xs) - 1))
    ours, theirs = [Value(x) for x in xs], [Value(x) for x in xs]
    mine = cross_entropy_one_hot(ours, [float(i == target) for i in range(len(xs))])
    reference = nn.cross_entropy(theirs, target)
    assert math.isclose(mine.data, reference.data, rel_tol=1e-12, abs_tol=1e-12)
    mine.backward()
    reference.backward()
    for a, b in zip(ours, theirs, strict=True):
        assert math.isclose(a.grad, b.grad, rel_tol=1e-9, abs_tol=1e-12)
