"""``autograd.compile`` against the eager engine: the same mean and the same gradients
(1e-9 relative) for every operation, random programs and MLPs; the guard against
graphs that depend on the data; the batch checks; the summary."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from _oracle import OPS, Program, ValueBackend, _into_domain, apply_value, programs, run
from hypothesis import given, note, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value, arraymath, compile, gate, no_grad, numerics


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def eager(fn: Callable[..., Value], params: Sequence[Value], *batches: Sequence[Any]) -> tuple[float, list[float]]:
    """The reference: sum(fn(*s) for s in zip(*batches)) / len(batch), backward(), each parameter's gradient."""
    for p in params:
        p.grad = 0.0
    mean = sum(fn(*map(leaves, sample)) for sample in zip(*batches, strict=True)) / len(batches[0])
    mean.backward()
    grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    return mean.data, grads


def leaves(x: Any) -> Any:
    """A sample's numbers as Values (as compile hands them to fn)."""
    if isinstance(x, (list, tuple, np.ndarray)):
        return [leaves(item) for item in x]
    return x if isinstance(x, Value) else Value(float(x))


def compiled(
    fn: Callable[..., Value], params: Sequence[Value], example: Sequence[Any], *batches: Sequence[Any]
) -> tuple[float, list[float]]:
    step = compile(fn, *example)
    loss = step(*batches)
    grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    return loss, grads


def assert_same(ours: tuple[float, list[float]], theirs: tuple[float, list[float]]) -> None:
    assert close(ours[0], theirs[0]), f"mean {ours[0]} vs eager {theirs[0]}"
    for i, (a, b) in enumerate(zip(ours[1], theirs[1], strict=True)):
        assert close(a, b), f"parameter {i}: gradient {a} vs eager {b}"


# ---- the NumPy arithmetic follows numerics value for value -------------------

SPECIAL = [-math.inf, -1000.0, -2.5, -1.0, -0.0, 0.0, 1e-300, 0.5, 1.0, 3.0, 1000.0, math.inf, math.nan]
EXACT = ["relu", "absolute", "sign", "reciprocal", "sigmoid"]
TRANSCENDENTAL = ["exp", "log", "tanh"]  # NumPy's own: may differ from math's in the last bit


def same_float(a: float, b: float, ulps: int = 0) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if ulps == 0 or math.isinf(a) or math.isinf(b):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return abs(a - b) <= ulps * math.ulp(b)


@pytest.mark.parametrize("name", EXACT + TRANSCENDENTAL)
def test_arraymath_unary_follows_numerics(name: str) -> None:
    with arraymath.quiet():
        got = getattr(arraymath, name)(np.array(SPECIAL))
    for x, y in zip(SPECIAL, got.tolist(), strict=True):
        want = getattr(numerics, name)(x)
        assert same_float(y, want, ulps=1 if name in TRANSCENDENTAL else 0), f"{name}({x}) = {y}, numerics {want}"


@pytest.mark.parametrize("name", ["power", "maximum", "leaky_relu"])
def test_arraymath_binary_follows_numerics(name: str) -> None:
    pairs = [(a, b) for a in SPECIAL for b in [-3.0, -1.0, -0.5, 0.0, 1 / 3, 1.0, 2.0, math.inf, math.nan]]
    a, b = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    with arraymath.quiet():
        got = getattr(arraymath, name)(a, b)
    for (x, n), y in zip(pairs, got.tolist(), strict=True):
        want = getattr(numerics, name)(x, n)
        assert same_float(y, want, ulps=1 if name == "power" else 0), f"{name}({x}, {n}) = {y}, numerics {want}"


def test_a_folded_sum_adds_in_the_recorded_order_bit_for_bit() -> None:
    # products of two per-sample values (not weights): a Σ step, not a matrix product
    fn = lambda x: sum((xi * xi for xi in x), Value(0.0))  # noqa: E731
    batch = np.random.default_rng(0).normal(0, 1e3, (50, 40))
    with no_grad():
        expected = [fn([float(v) for v in row]).data for row in batch]
    step = compile(fn, batch[0])
    assert [s.name for s in step.program.steps] == ["*", "Σ"]
    assert step.evaluate(batch).tolist() == expected


# ---- every operation, random programs, MLPs ------------------------------------


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_operation_matches_eager(name: str) -> None:
    op = OPS[name]
    param = None if op.param_domain is None else sum(op.param_domain) / 2 + 0.25
    w = [Value(0.9, label="w0"), Value(1.1, label="w1")]
    lo, hi = op.domain[-1]
    xs = list(np.linspace(lo + 0.05, hi - 0.05, 7))

    def fn(x: Value) -> Value:
        operands = [w[0] * x, w[1]] if op.arity == 2 else [w[0] * x + w[1] - 1.1]
        return apply_value(op, operands, param)

    assert_same(compiled(fn, w, [xs[0]], xs), eager(fn, w, xs))


def execute(program: Program, pool: list[Any]) -> Any:
    """``_oracle.run`` without its ``assume`` calls (they read values: not a thing to compile)."""
    pool = list(pool)
    for step in program.steps:
        op = OPS[step.op]
        args = [_into_domain(op, pool[i], first=k == 0) for k, i in enumerate(step.operands)]
        pool.append(apply_value(op, args, step.param))
    total = pool[0]
    for node in pool[1:]:
        total = total + node
    return total


@settings(max_examples=60, deadline=None)
@given(programs(), st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=6))
def test_random_programs_match_eager(program: Program, xs: list[float]) -> None:
    """Input n0 of the program is the sample; the other inputs are parameters."""
    note(str(program))
    params = [Value(x) for x in program.inputs[1:]]
    for x in xs:  # the oracle's assumptions (away from kinks, no overflow) for every sample
        run(program, ValueBackend, [Value(x), *params])

    def fn(x: Value) -> Any:
        return execute(program, [x, *params])

    assert_same(compiled(fn, params, [xs[0]], xs), eager(fn, params, xs))


@st.composite
def mlp_cases(draw: st.DrawFn) -> tuple[nn.MLP, str, float, np.ndarray, list[Any]]:
    nin = draw(st.integers(1, 4))
    nouts = draw(st.lists(st.integers(1, 5), min_size=1, max_size=3))
    activation = draw(st.sampled_from(["relu", "tanh", "sigmoid", "leaky_relu", "linear"]))
    loss = draw(st.sampled_from(["mse", "hinge", "binary_cross_entropy"]))
    if loss != "mse":
        nouts[-1] = 1
    output = "sigmoid" if loss == "binary_cross_entropy" else "linear"
    model = nn.MLP(nin, nouts, activation=activation, output_activation=output, seed=draw(st.integers(0, 99)))
    samples = draw(st.integers(1, 12))
    X = np.random.default_rng(draw(st.integers(0, 99))).normal(size=(samples, nin))
    if loss == "mse":
        y = X[:, :1].repeat(nouts[-1], axis=1).tolist() if nouts[-1] > 1 else X[:, 0].tolist()
    else:
        labels = draw(st.lists(st.sampled_from([-1, 1]), min_size=samples, max_size=samples))
        y = labels if loss == "hinge" else [(t + 1) // 2 for t in labels]
    return model, loss, draw(st.sampled_from([0.0, 1e-3])), X, y


@settings(max_examples=40, deadline=None)
@given(mlp_cases())
def test_mlps_match_eager(case: tuple[nn.MLP, str, float, np.ndarray, list[Any]]) -> None:
    model, loss, alpha, X, y = case
    objective = nn.OBJECTIVES[loss].loss
    params = model.parameters()

    def fn(x: Any, target: Any) -> Value:
        value = objective(model.forward(x), target)
        return value + nn.l2_penalty(params, alpha) if alpha else value

    assert_same(compiled(fn, params, [X[0], y[0]], X, y), eager(fn, params, X.tolist(), y))


# ---- what compile promises ------------------------------------------------------


def test_parameters_are_read_at_every_call_and_gradients_accumulate() -> None:
    w = Value(2.0, label="w")
    step = compile(lambda x: (w * x) ** 2, 1.0)
    assert step([1.0, 3.0]) == 20.0  # (4 + 36) / 2
    w.data = 1.0
    assert step([1.0, 3.0]) == 5.0
    assert w.grad == 20.0 + 10.0  # 2·w·x² averaged, at w = 2 then at w = 1: accumulated
    assert step.parameters == [w]


def test_gradient_of_a_value_shared_by_every_sample() -> None:
    w = Value(3.0)
    step = compile(lambda x: w * w, 1.0)  # does not depend on the sample at all
    assert step([1.0, 2.0, 5.0]) == 9.0
    assert w.grad == 6.0


def test_your_own_gate_runs_element_by_element() -> None:
    cube = gate("x³", lambda x: x**3, lambda out, x: (3 * x * x,))
    xyz = gate("xyz", lambda x, y, z: x * y * z, lambda out, x, y, z: (y * z, x * z, x * y))
    w = Value(0.5)
    fn = lambda x: cube(w * x) + cube(x) * w + xyz(x, w, 3)  # noqa: E731
    assert_same(compiled(fn, [w], [1.0], [1.0, -2.0, 0.5]), eager(fn, [w], [1.0, -2.0, 0.5]))


def test_evaluate_gives_each_sample_and_changes_no_gradient() -> None:
    w = Value(2.0)
    step = compile(lambda x, y: [w * x[0], x[1] + y, 7], [1.0, 2.0], 0.0)
    values = step.evaluate([[1.0, 2.0], [3.0, 4.0]], [10.0, 20.0])
    assert values.tolist() == [[2.0, 12.0, 7.0], [6.0, 24.0, 7.0]]
    assert w.grad == 0.0
    with pytest.raises(TypeError, match="averages one loss"):
        step([[1.0, 2.0]], [0.0])


def test_a_big_batch_runs_in_pieces_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    model = nn.MLP(3, [4, 1], activation="tanh", seed=1)
    X = np.random.default_rng(1).normal(size=(50, 3))
    y = X.sum(axis=1)
    fn = lambda x, t: nn.mse_loss(model.forward(x), t)  # noqa: E731
    whole = compiled(fn, model.parameters(), [X[0], y[0]], X, y)
    program_rows = compile(fn, X[0], y[0]).program.batch_rows
    monkeypatch.setattr(sys.modules["autograd.compile"], "CHUNK_BYTES", 8 * 3 * program_rows * 7)  # 7 samples a piece
    pieces = compiled(fn, model.parameters(), [X[0], y[0]], X, y)
    assert_same(pieces, whole)


# ---- batches that do not fit ------------------------------------------------------


def test_batches_that_do_not_fit_the_example_are_refused() -> None:
    w = Value(1.0)
    step = compile(lambda x, y: (w * x[0] + x[1] - y) ** 2, [0.0, 0.0], 0.0)
    for batches, message in [
        (([[1.0, 2.0, 3.0]], [1.0]), "shape"),  # three numbers where the example had two
        (([1.0, 2.0], [1.0, 2.0]), "shape"),  # numbers where the example had lists
        (([[1.0, 2.0]], [[1.0]]), "shape"),  # a list where the example had a number
        (([[1.0, 2.0], [1.0]], [1.0, 2.0]), "rectangular"),  # ragged
        (([[1.0, 2.0]], [1.0, 2.0]), "equally many"),
        (([], []), "empty"),
        ((5.0, 1.0), "single number"),
    ]:
        with pytest.raises(ValueError, match=message):
            step(*batches)
    with pytest.raises(TypeError, match="numbers"):
        step([["a", "b"]], [1.0])
    with pytest.raises(TypeError, match="numbers"):
        step([[True, False]], [1.0])
    with pytest.raises(TypeError, match="2 batches"):
        step([[1.0, 2.0]])
    assert w.grad == 0.0  # nothing changed


def test_a_branch_on_the_data_is_caught_for_every_sample_before_any_gradient_changes() -> None:
    w = Value(0.5, label="w")

    def fn(x: Value) -> Value:
        return w * x if x > 0 else w * w * x

    step = compile(fn, 1.0)
    assert step([1.0, 2.0]) == 0.75
    w.grad = 0.0
    with pytest.raises(ValueError, match=r"sample 2 of the batch does not fit.*test_compile.py"):
        step([1.0, 2.0, -1.0])
    assert w.grad == 0.0


def test_a_comparison_that_does_not_change_the_graph_is_accepted() -> None:
    # hinge_loss checks each label with ==: the answers differ between labels -1 and 1,
    # but both build the same graph, so both are accepted (checked once, then remembered)
    model = nn.MLP(2, [3, 1], activation="relu", seed=0)
    fn = lambda x, y: nn.hinge_loss(model.forward(x), y)  # noqa: E731
    X, y = np.random.default_rng(0).normal(size=(20, 2)), [1, -1] * 10
    step = compile(fn, X[0], 1)
    assert_same(compiled(fn, model.parameters(), [X[0], 1], X, y), eager(fn, model.parameters(), X.tolist(), y))
    step(X, y)
    assert len(step.paths) == 2
    with pytest.raises(ValueError, match="labels -1 or \\+1"):  # a bad label still raises hinge_loss's error
        step(X[:1], [0])


def test_taking_the_number_out_of_a_sample_is_refused_when_compiling() -> None:
    with pytest.raises(ValueError, match=r"number out of a Value.*test_compile.py"):
        compile(lambda x: x * float(x), 1.0)
    with pytest.raises(ValueError, match=r"losses.py"):  # nn.cross_entropy shifts by the largest logit's .data
        compile(lambda x: nn.cross_entropy([x, x * 2], 0), 1.0)
    with pytest.raises(ValueError, match="no_grad"):

        def cut(x: Value) -> Value:
            with no_grad():
                y = x * 2
            return x + y

        compile(cut, 1.0)


def test_a_number_read_from_a_parameter_is_checked_at_every_call() -> None:
    w = Value(2.0)
    step = compile(lambda x: x * float(w), 1.0)  # the recording keeps 2.0 as a constant
    assert step([1.0, 2.0]) == 3.0
    w.data = 3.0
    with pytest.raises(ValueError, match="constant"):
        step([1.0, 2.0])


def test_under_a_c_profiler_compile_warns_and_checks_shapes_only() -> None:
    import cProfile

    w = Value(2.0)
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        with pytest.warns(RuntimeWarning, match="profiler is running"):
            step = compile(lambda x: w * x, 1.0)
    finally:
        profiler.disable()
    assert step([1.0, 2.0]) == 3.0


def test_detect_anomaly_names_the_first_non_finite_value() -> None:
    w = Value(1.0)
    step = compile(lambda x: (w * x).log(), 1.0)
    assert step([1.0, -1.0]) != step([1.0, -1.0])  # nan, silently, as the eager engine without the mode
    with autograd.detect_anomaly(), pytest.raises(FloatingPointError, match="log produced nan for sample 1"):
        step([1.0, -1.0])


# ---- what was compiled ------------------------------------------------------------


def test_summary_counts_every_operation_of_one_sample() -> None:
    model = nn.MLP(2, [16, 16, 1], seed=0)
    step = compile(lambda x, y: nn.hinge_loss(model.forward(x), y), [0.0, 0.0], 1)
    summary = step.summary()
    text = str(summary)
    operations = sum(1 for node in step.graph.nodes if node.operation is not None)
    assert f"{operations:,} operations" in text
    assert sum(int(row[1].replace(",", "")) for row in summary.rows) == operations
    assert "Σ w·x (matrix product)" in text  # the three layers' weighted sums as matrix products
    assert summary.forward < 15 < operations
    assert "<table>" in summary._repr_html_()


def test_the_recording_is_one_samples_graph() -> None:
    w = Value(2.0, label="w")
    step = compile(lambda x: (w * x).relu(), 3.0)
    assert step.recording.op == "relu" and step.recording.data == 6.0
    assert [v.label for v in step.recording.parents[0].parents] == ["w", "x"]
