"""What learners type (SPEC §1.1): a Value behaves like the number it holds, micrograd's
names are answered, assignments that would break later fail at once, and modes are per thread."""

from __future__ import annotations

import math
import threading
from fractions import Fraction

import numpy as np
import pytest
import torch

import nn
import viz
from autograd import Value, detect_anomaly, familiar, no_grad, scope
from autograd.modes import current

# ---- a Value where a number is expected -------------------------------------------------


def test_conversions_give_the_data() -> None:
    v = Value(2.75)
    assert (float(v), int(v), v.item(), round(v), round(v, 1)) == (2.75, 2, 2.75, 3, 2.8)
    assert int(Value(-2.75)) == -2  # int truncates, as int(-2.75)
    assert math.floor(Value(2.5)) == 2 and math.isclose(math.sqrt(Value(4.0)), 2.0)


def test_formatting_a_loss_the_way_training_loops_print_it() -> None:
    loss = Value(0.123456, label="loss")
    assert f"{loss:.4f}" == "0.1235" and f"{loss:>8.2f}" == "    0.12" and f"{loss:e}" == "1.234560e-01"
    assert f"{loss}" == str(loss) == repr(loss)  # an empty spec keeps str(v)


@pytest.mark.parametrize("other", [Value(2.0), 2.0, 2, np.float64(2.0), Fraction(2)])
def test_comparisons_read_the_data_and_return_plain_bools(other: object) -> None:
    a = Value(1.0)
    results = [a < other, a <= other, a > other, a >= other, a == other, a != other]
    assert results == [True, True, False, False, False, True]
    assert all(type(r) is bool for r in results)
    assert Value(2.0) == other and not (Value(2.0) != other)


def test_sorted_max_and_if_work_on_values() -> None:
    values = [Value(3.0), Value(1.0), Value(2.0)]
    assert [v.data for v in sorted(values)] == [1.0, 2.0, 3.0]
    assert max(values) is values[0] and min(values) is values[1]
    best = Value(0.5)
    assert (Value(0.25) < best) is True
    assert bool(Value(0.0)) is False and bool(Value(-1.0)) is True


def test_values_stay_hashable_by_identity() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a == b and hash(a) != hash(b)  # equal numbers, two nodes
    table = {a: "a", b: "b"}
    assert table[a] == "a" and table[b] == "b" and len({a, b}) == 2


def test_comparing_with_a_non_number_is_false_or_a_type_error() -> None:
    assert (Value(1.0) == "1") is False and (Value(1.0) != None) is True  # noqa: E711
    with pytest.raises(TypeError):
        Value(1.0) < "2"  # noqa: B015


def test_comparisons_record_nothing() -> None:
    a = Value(1.0)
    assert (a < 2) is True and a.grad == 0.0 and a.op == ""


# ---- abs, a ** b, backward(gradient) --------------------------------------------------------


@pytest.mark.parametrize(("x", "data", "local"), [(-3.0, 3.0, -1.0), (2.0, 2.0, 1.0), (0.0, 0.0, 0.0)])
def test_abs_is_one_node_with_sign_as_its_local_derivative(x: float, data: float, local: float) -> None:
    a = Value(x)
    y = abs(a)
    assert (y.op, y.parents, y.data, y.local_grads) == ("abs", (a,), data, (local,))
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    t.abs().backward()
    assert t.grad.item() == local  # PyTorch's convention at 0 too


@pytest.mark.parametrize(("a", "b"), [(2.0, 3.0), (0.5, -1.5), (-2.0, 2.0), (0.0, 2.0), (-2.0, 0.5), (3.0, 0.0)])
def test_value_power_value_matches_pytorch_including_its_nans(a: float, b: float) -> None:
    x, y = Value(a), Value(b)
    out = x**y
    out.backward()
    tx, ty = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a, b))
    (tx**ty).backward()
    for ours, theirs in ((out.data, (tx**ty).item()), (x.grad, tx.grad.item()), (y.grad, ty.grad.item())):
        assert ours == theirs or (math.isnan(ours) and math.isnan(theirs)), (a, b, ours, theirs)


def test_backward_with_a_gradient_seeds_the_output() -> None:
    x = Value(3.0)
    y = x * x
    y.backward(gradient=0.5)
    assert (y.grad, x.grad) == (0.5, 3.0)
    leaf = Value(1.0)
    leaf.backward(2.0)
    leaf.backward(2)
    assert leaf.grad == 4.0  # a leaf accumulates its seed
    with pytest.raises(TypeError, match=r"backward\(gradient=\) takes an int or float, got str"):
        y.backward("1")  # type: ignore[arg-type]


@pytest.mark.parametrize("build", [lambda: Value(10**400), lambda: Value(1.0) + 10**400, lambda: Value(1.0) * 10**400])
def test_ints_too_large_for_a_float_become_infinity(build) -> None:
    assert build().data == math.inf
    assert Value(-(10**400)).data == -math.inf


def test_a_zero_dimensional_array_is_a_number() -> None:
    assert Value(np.array(2.0)).data == 2.0 and Value(np.array(3)).data == 3.0
    assert (Value(1.0) * np.array(2.0)).data == 2.0
    with pytest.raises(TypeError):
        Value(np.array([1.0, 2.0]))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Value(np.array(True))  # type: ignore[arg-type]


# ---- micrograd's names -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "ours"), [("_prev", ".parents"), ("_op", ".op"), ("_backward", ".backward_step()")])
def test_micrograd_attribute_names_say_what_graphgrad_calls_them(name: str, ours: str) -> None:
    d = Value(2.0) * 3
    with pytest.raises(AttributeError, match=rf"no attribute '{name}': micrograd's {name} is graphgrad's {ours}"):
        getattr(d, name)
    assert not hasattr(d, name)


def test_draw_dot_and_nonlin_name_their_replacements() -> None:
    with pytest.raises(AttributeError, match=r"micrograd's draw_dot is graphgrad's viz\.draw\(root\)"):
        viz.draw_dot  # noqa: B018
    for build in (
        lambda: nn.MLP(3, [4, 4, 1], nonlin=False),
        lambda: nn.Layer(3, 4, nonlin=True),
        lambda: nn.Neuron(3, nonlin=False),
    ):
        with pytest.raises(TypeError, match=r"has no nonlin=: micrograd's nonlin is graphgrad's activation="):
            build()


def test_every_micrograd_name_in_the_table_is_answered() -> None:
    d = Value(1.0) + 1
    for name in familiar.FROM_MICROGRAD:
        if name in ("draw_dot", "nonlin", "_children"):
            continue  # a function of viz and a keyword of nn, tested above; _children is __init__'s argument
        with pytest.raises(AttributeError, match=f"micrograd's {name} is graphgrad's"):
            getattr(d, name)


def test_running_one_nodes_chain_rule_step_by_hand_matches_backward() -> None:
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    q = x + y
    f = q * z
    f.grad = 1.0
    f.backward_step()  # as the lecture does node by node: f, then q
    q.backward_step()
    by_hand = (x.grad, y.grad, z.grad, q.grad)
    for v in (x, y, z, q):
        v.grad = 0.0
    f.backward()
    assert by_hand == (x.grad, y.grad, z.grad, q.grad) == (-4.0, -4.0, 3.0, -4.0)


# ---- assignments that would break later fail at once ------------------------------------------


def test_a_value_into_data_fails_at_once_saying_what_to_write() -> None:
    w = Value(0.5)
    with pytest.raises(TypeError, match=r"Value\.data takes a number, got a Value: .*w\.data \+= -0\.05 \* w\.grad"):
        w.data += -0.05 * w  # the micrograd lecture's slip: w instead of w.grad
    assert w.data == 0.5  # nothing changed


@pytest.mark.parametrize("bad", ["3", None, [1.0], True, 1j])
def test_data_must_be_a_number(bad: object) -> None:
    a = Value(1.0)
    with pytest.raises(TypeError, match=r"Value\.data takes an int or float, got"):
        a.data = bad  # type: ignore[assignment]
    assert a.data == 1.0
    a.data = 3  # an int is a number
    assert a.data == 3.0 and type(a.data) is float


def test_label_must_be_a_str_when_set() -> None:
    x = Value(1.0)
    with pytest.raises(TypeError, match="label must be a str, got int 123"):
        x.label = 123  # type: ignore[assignment]
    assert x.label == ""


def test_grad_none_means_zero_for_backward_and_sgd() -> None:
    w = Value(2.0)
    (w * 3).backward()
    w.grad = None  # type: ignore[assignment]  # a PyTorch habit
    (w * 3).backward()
    assert w.grad == 3.0
    p, q = Value(1.0), Value(1.0)
    q.grad = 2.0
    p.grad = None  # type: ignore[assignment]
    nn.SGD([p, q], lr=0.5).step()  # like torch.optim: no gradient, no step
    assert (p.data, q.data) == (1.0, 0.0)


# ---- modes per thread ---------------------------------------------------------------------------


def _record_in_thread(results: dict[str, object], key: str, start: threading.Event, done: threading.Event) -> None:
    start.wait()
    a = Value(2.0)
    y = a * a
    y.backward()
    results[key] = (a.grad, y.parents == (a, a))
    done.set()


def test_no_grad_in_one_thread_never_stops_another_threads_recording() -> None:
    for _ in range(20):
        results: dict[str, object] = {}
        start, done = threading.Event(), threading.Event()
        worker = threading.Thread(target=_record_in_thread, args=(results, "other", start, done))
        worker.start()
        with no_grad():
            start.set()  # the other thread records while this one is inside no_grad
            done.wait(5)
            assert (Value(1.0) * 2).parents == ()
        worker.join()
        assert results["other"] == (4.0, True)


def test_interleaved_exits_restore_each_threads_own_mode() -> None:
    a_entered, b_entered, a_exited = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def thread_a() -> None:
        with no_grad():
            a_entered.set()
            b_entered.wait(5)
        a_exited.set()
        seen["a after"] = current().grad_enabled

    def thread_b() -> None:
        a_entered.wait(5)
        with detect_anomaly(), no_grad():
            b_entered.set()
            a_exited.wait(5)
            seen["b inside"] = current().grad_enabled
        seen["b after"] = current().grad_enabled and not current().anomaly

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a after": True, "b inside": False, "b after": True}
    assert current().grad_enabled and not current().anomaly and current().scope is None  # this thread untouched
    assert (Value(1.0) * 2).op == "*"


def test_scope_is_per_thread_too() -> None:
    scopes: list[str | None] = []
    inside = threading.Event()
    release = threading.Event()

    def other() -> None:
        inside.wait(5)
        scopes.append((Value(1.0) * 2).scope)
        release.set()

    worker = threading.Thread(target=other)
    worker.start()
    with scope("mine"):
        inside.set()
        release.wait(5)
        assert (Value(1.0) * 2).scope == "mine"
    worker.join()
    assert scopes == [None]


# ---- detect_anomaly at a fan-out sum ------------------------------------------------------------


def test_detect_anomaly_catches_an_overflow_that_only_the_sum_at_a_fan_out_makes() -> None:
    x = Value(1e-10, label="x")
    with detect_anomaly():
        y = x * 1e308 + x * 1e308  # forward: 2e298, finite; each branch sends 1e308 back to x: finite
        with pytest.raises(FloatingPointError, match=r"gradient of input x=1e-10 became inf .*fan-out sum overflowed"):
            y.backward()  # but their sum is inf
