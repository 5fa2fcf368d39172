"""Losses and softmax: values and gradients against PyTorch float64 on
hypothesis-drawn inputs, the stability cases, and clear errors."""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given
from hypothesis import strategies as st

import nn
from autograd import Value, gradcheck


def values(xs):
    return [Value(x) for x in xs]


def leaf(xs):
    return torch.tensor(xs, dtype=torch.float64, requires_grad=True)


def close(got, expected):
    return got == pytest.approx(expected, rel=1e-9, abs=1e-12)


def pairs_of(elements, targets):
    """Two equally long lists: (outputs, targets)."""
    return st.integers(1, 6).flatmap(
        lambda n: st.tuples(st.lists(elements, min_size=n, max_size=n), st.lists(targets, min_size=n, max_size=n))
    )


@given(pairs_of(st.floats(-10, 10), st.floats(-10, 10)))
def test_mse_matches_torch(data):
    preds, targets = data
    ours = values(preds)
    loss = nn.mse_loss(ours, targets)
    loss.backward()
    theirs = leaf(preds)
    expected = F.mse_loss(theirs, torch.tensor(targets, dtype=torch.float64))
    expected.backward()
    assert close(loss.data, expected.item())
    assert close([p.grad for p in ours], theirs.grad.tolist())


@given(pairs_of(st.floats(1e-3, 1 - 1e-3), st.floats(0, 1)))
def test_binary_cross_entropy_matches_torch(data):
    probs, targets = data
    ours = values(probs)
    loss = nn.binary_cross_entropy(ours, targets)
    loss.backward()
    theirs = leaf(probs)
    expected = F.binary_cross_entropy(theirs, torch.tensor(targets, dtype=torch.float64))
    expected.backward()
    assert close(loss.data, expected.item())
    assert close([p.grad for p in ours], theirs.grad.tolist())


def test_binary_cross_entropy_clamps_the_log_like_torch():
    probs, targets = [1.0, 0.0, 0.0], [1.0, 0.0, 1.0]
    expected = F.binary_cross_entropy(torch.tensor(probs, dtype=torch.float64), torch.tensor(targets).double())
    loss = nn.binary_cross_entropy(values(probs), targets)
    assert loss.data == pytest.approx(expected.item(), rel=1e-12)
    assert loss.data == pytest.approx(100 / 3, rel=1e-12)  # finite: a saturated sigmoid costs 100, not inf


logits_lists = st.lists(st.floats(-50, 50), min_size=1, max_size=6)


@given(logits_lists, st.data())
def test_softmax_matches_torch(logits, data):
    weights = data.draw(st.lists(st.floats(-2, 2), min_size=len(logits), max_size=len(logits)))
    ours = values(logits)
    probs = nn.softmax(ours)
    sum(w * p for w, p in zip(weights, probs, strict=True)).backward()  # a weighted sum, so every gradient differs
    theirs = leaf(logits)
    expected = torch.softmax(theirs, dim=0)
    (expected * torch.tensor(weights, dtype=torch.float64)).sum().backward()
    assert close([p.data for p in probs], expected.tolist())
    assert [p.grad for p in ours] == pytest.approx(theirs.grad.tolist(), rel=1e-9, abs=1e-11)
    assert math.isclose(sum(p.data for p in probs), 1.0, rel_tol=1e-12)


def test_softmax_of_the_lecture_vector():
    logits = [0.2, 0.02, 0.15, 1.3, 0.5, 0.06, 1.1, 0.05, 3.75]
    expected = [0.02167152, 0.01810157, 0.02061459, 0.06510484, 0.02925349, 0.01884031, 0.05330333, 0.01865285,
                0.75445753]  # fmt: skip
    probs = [p.data for p in nn.softmax(logits)]
    # The figures are a float32 computation (float32 resolution near 0.75 is 6e-8): agree to 1e-7 ...
    assert probs == pytest.approx(expected, abs=1e-7)
    # ... and with PyTorch in float64 to rounding.
    assert probs == pytest.approx(torch.softmax(torch.tensor(logits, dtype=torch.float64), 0).tolist(), rel=1e-14)


@given(logits_lists, st.data())
def test_cross_entropy_matches_torch(logits, data):
    target = data.draw(st.integers(0, len(logits) - 1))
    ours = values(logits)
    loss = nn.cross_entropy(ours, target)
    loss.backward()
    theirs = leaf(logits)
    expected = F.cross_entropy(theirs, torch.tensor(target))
    expected.backward()
    assert loss.data == pytest.approx(expected.item(), rel=1e-9, abs=1e-12)
    assert [p.grad for p in ours] == pytest.approx(theirs.grad.tolist(), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("target", [0, 1, 2])
def test_cross_entropy_is_stable_at_huge_logits(target):
    logits = [1000.0, 0.0, -1000.0]
    ours = values(logits)
    loss = nn.cross_entropy(ours, target)
    loss.backward()
    theirs = leaf(logits)
    expected = F.cross_entropy(theirs, torch.tensor(target))
    expected.backward()
    assert math.isfinite(loss.data) and loss.data == expected.item()  # 0, 1000, 2000
    assert [p.grad for p in ours] == theirs.grad.tolist()
    assert [p.data for p in nn.softmax(logits)] == [1.0, 0.0, 0.0]


def test_cross_entropy_passes_gradcheck():
    assert gradcheck(lambda a, b, c: nn.cross_entropy([a, b, c], 1), values([0.3, -1.2, 2.0]))


@given(pairs_of(st.floats(-5, 5), st.sampled_from([-1, 1])))
def test_hinge_loss_matches_torch(data):
    scores, labels = data
    assume(all(abs(1 - y * s) > 1e-9 for s, y in zip(scores, labels, strict=True)))  # off the kink
    ours = values(scores)
    loss = nn.hinge_loss(ours, labels)
    loss.backward()
    theirs = leaf(scores)
    expected = torch.relu(1 - torch.tensor(labels, dtype=torch.float64) * theirs).mean()
    expected.backward()
    assert close(loss.data, expected.item())
    assert close([p.grad for p in ours], theirs.grad.tolist())


@given(st.lists(st.floats(-5, 5), min_size=1, max_size=8), st.floats(0, 1))
def test_l2_penalty_matches_torch(weights, alpha):
    ours = values(weights)
    penalty = nn.l2_penalty(ours, alpha)
    penalty.backward()
    theirs = leaf(weights)
    expected = alpha * (theirs**2).sum()
    expected.backward()
    assert close(penalty.data, expected.item())
    assert close([p.grad for p in ours], theirs.grad.tolist())


def test_one_list_of_outputs_per_sample_matches_torch_on_the_whole_matrix():
    preds, targets = [[0.5, -1.0], [2.0, 0.25], [1.5, 1.5]], [[0.0, 1.0], [1.0, 1.0], [-1.0, 2.0]]
    ours = [values(row) for row in preds]
    loss = nn.mse_loss(ours, targets)
    loss.backward()
    theirs = leaf(preds)
    expected = F.mse_loss(theirs, torch.tensor(targets, dtype=torch.float64))
    expected.backward()
    assert close(loss.data, expected.item())
    assert [[p.grad for p in row] for row in ours] == [pytest.approx(row, rel=1e-12) for row in theirs.grad.tolist()]


def test_single_values_and_numbers_are_accepted():
    assert nn.mse_loss(Value(3.0), 1.0).data == 4.0
    assert nn.mse_loss([2.0], [Value(1.0)]).data == 1.0
    assert nn.mse_loss([Value(3.0)], 1.0).data == 4.0  # a list of one output: as model(x) for one sample
    assert nn.mse_loss([[Value(3.0)], [Value(1.0)]], [1.0, 2.0]).data == 2.5
    assert nn.hinge_loss(Value(0.0), 1).data == 1.0


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: nn.mse_loss([Value(1.0)], [1.0, 2.0]), ValueError, "preds has 1 entries but its targets have 2"),
        (lambda: nn.mse_loss([[1.0, 2.0]], [[1.0]]), ValueError, "preds[0] has 2 entries but its targets have 1"),
        (lambda: nn.mse_loss([1.0], [[1.0]]), ValueError, "preds[0] is one number but its target is a list"),
        (lambda: nn.mse_loss([[1.0, 2.0]], [1.0]), ValueError, "preds[0] is a list of 2 but its target is one number"),
        (lambda: nn.mse_loss([1.0], ["1"]), TypeError, "the target of preds[0] must be a number, got str '1'"),
        (lambda: nn.mse_loss([], []), ValueError, "preds is empty"),
        (lambda: nn.mse_loss(["a"], [1.0]), TypeError, "preds[0] must be a Value or a number, got str 'a'"),
        (lambda: nn.hinge_loss([Value(1.0)], [0]), ValueError, "labels -1 or +1, got 0 at 0 (for 0/1 labels pass"),
        (lambda: nn.cross_entropy([Value(1.0)], 1), IndexError, "target_index 1 is out of range for 1 logits"),
        (lambda: nn.cross_entropy([Value(1.0)], -1), IndexError, "target_index -1 is out of range"),
        (lambda: nn.cross_entropy([Value(1.0)], 0.0), TypeError, "target_index must be an int class index"),
        (lambda: nn.cross_entropy([Value(1.0)], True), TypeError, "target_index must be an int class index"),
        (lambda: nn.softmax([]), ValueError, "values is empty"),
        (lambda: nn.l2_penalty([]), ValueError, "needs at least one parameter"),
    ],
)
def test_bad_arguments_raise_clear_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
