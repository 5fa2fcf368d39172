"""Datasets, the fit helper (history, progress display, errors) and accuracy."""

import math
import sys

import numpy as np
import pytest

import nn

# ---- datasets ------------------------------------------------------------------


def test_make_moons_shape_labels_and_seed():
    X, y = nn.make_moons(101, noise=0.1, seed=3)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert sorted(np.bincount(y).tolist()) == [50, 51]
    X2, y2 = nn.make_moons(101, noise=0.1, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, nn.make_moons(101, noise=0.1, seed=4)[0])


def test_make_moons_without_noise_lies_on_the_two_half_circles():
    X, y = nn.make_moons(200, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0) and (upper[:, 1] >= -1e-12).all()
    assert np.allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0) and (lower[:, 1] <= 0.5 + 1e-12).all()


@pytest.mark.parametrize(
    "kwargs, message",
    [({"n_samples": 1}, "n_samples must be an int ≥ 2"), ({"noise": -0.1}, "noise must be a number ≥ 0")],
)
def test_make_moons_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nn.make_moons(**kwargs)


def test_train_test_split_partitions_and_repeats():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    X_train, X_test, y_train, y_test = nn.train_test_split(X, y, test_size=0.25, seed=1)
    assert (len(X_train), len(X_test)) == (7, 3)  # ⌈0.25 · 10⌉ = 3, as scikit-learn rounds
    assert sorted(y_train.tolist() + y_test.tolist()) == list(range(10))
    assert np.array_equal(X_train[:, 0] // 2, y_train) and np.array_equal(X_test[:, 0] // 2, y_test)  # rows stay paired
    again = nn.train_test_split(X, y, test_size=0.25, seed=1)
    assert np.array_equal(again[3], y_test)
    assert len(nn.train_test_split(X, y, test_size=4)[1]) == 4


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"test_size": 0}, "leaves 10 of 10 samples"),
        ({"test_size": 1.5}, "test_size must be a fraction between 0 and 1 or a count"),
        ({"test_size": 10}, "leaves 0 of 10 samples"),
    ],
)
def test_train_test_split_bad_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nn.train_test_split(np.zeros((10, 2)), np.zeros(10), **kwargs)
    with pytest.raises(ValueError, match="X has 10 samples but y has 9"):
        nn.train_test_split(np.zeros((10, 2)), np.zeros(9))


def test_load_digits():
    X, y = nn.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0
    assert sorted(set(y.tolist())) == list(range(10))


def test_load_digits_without_scikit_learn_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # makes the import fail
    with pytest.raises(ImportError, match=r"pip install graphgrad\[digits\]"):
        nn.load_digits()


# ---- fit -------------------------------------------------------------------------

X_AND = [[0, 0], [0, 1], [1, 0], [1, 1]]


def test_fit_returns_loss_and_accuracy_per_epoch_and_learns():
    model = nn.MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    history = nn.fit(model, X_AND, [0, 0, 0, 1], loss="binary_cross_entropy", epochs=40, lr=1.0, progress=False)
    assert sorted(history) == ["accuracy", "loss"]
    assert len(history["loss"]) == len(history["accuracy"]) == 40
    assert history["loss"][-1] < history["loss"][0] / 2
    assert history["accuracy"][-1] == 1.0
    assert nn.accuracy(model, X_AND, [0, 0, 0, 1], loss="binary_cross_entropy") == 1.0


def test_fit_is_repeatable_and_the_seed_shuffles_mini_batches():
    def run(seed):
        model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
        return nn.fit(model, X_AND, [0.0, 1.0, 1.0, 0.0], epochs=3, batch_size=1, seed=seed)["loss"]

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_fit_regression_has_no_accuracy_and_reports_validation():
    model = nn.MLP(1, [1], seed=0)
    history = nn.fit(model, [[1.0], [2.0]], [2.0, 4.0], epochs=3, validation=([[3.0]], [6.0]), progress=False)
    assert sorted(history) == ["loss", "val_loss"] and len(history["val_loss"]) == 3
    expected = (model([3.0]).data - 6.0) ** 2
    assert history["val_loss"][-1] == pytest.approx(expected)


def test_fit_classification_reports_validation_accuracy():
    model = nn.MLP(2, [3, 2], seed=0)
    history = nn.fit(model, X_AND, [0, 1, 1, 0], loss="cross_entropy", epochs=2, validation=(X_AND, [0, 1, 1, 0]))
    assert sorted(history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history["val_accuracy"][-1] == nn.accuracy(model, X_AND, [0, 1, 1, 0])


def test_fit_takes_a_learning_rate_schedule():
    seen = []

    def schedule(epoch):
        seen.append(epoch)
        return 0.1

    nn.fit(nn.MLP(2, [1], seed=0), X_AND, [0, 1, 1, 0], epochs=3, lr=schedule)
    assert seen == [0, 0, 1, 2]  # once to build the optimizer, then at every epoch


def test_fit_with_l2_penalty_shrinks_weights():
    def norm_after(alpha):
        model = nn.MLP(2, [4, 1], seed=0)
        nn.fit(model, X_AND, [0.0, 1.0, 1.0, 0.0], epochs=20, lr=0.1, alpha=alpha)
        return math.fsum(p.data**2 for p in model.parameters())

    assert norm_after(0.5) < norm_after(0.0)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"loss": "crossentropy"}, ValueError, "unknown loss 'crossentropy'; known: mse, binary_cross_entropy, "),
        ({"batch_size": 0}, ValueError, "batch_size must be a positive int (or None: all samples), got 0"),
        ({"epochs": -1}, ValueError, "epochs must be an int ≥ 0, got -1"),
        ({"y": [0, 1]}, ValueError, "X has 4 samples but y has 2"),
        ({"X": [[0, 0, 1]] * 4}, ValueError, "sample 0 takes 2 inputs, got 3"),
        ({"X": [], "y": []}, ValueError, "no samples"),
        ({"loss": "hinge"}, ValueError, "hinge_loss takes labels -1 or +1, got 0"),
    ],
)
def test_fit_bad_arguments(kwargs, error, message):
    arguments = {"X": X_AND, "y": [0, 1, 1, 0], **kwargs}
    with pytest.raises(error) as info:
        nn.fit(nn.MLP(2, [1], seed=0), arguments.pop("X"), arguments.pop("y"), **arguments)
    assert message in str(info.value)


def test_accuracy_needs_a_classification_loss():
    with pytest.raises(ValueError, match="accuracy needs a classification loss; 'mse' is for regression"):
        nn.accuracy(nn.MLP(2, [1]), X_AND, [0, 1, 1, 0], loss="mse")


def test_accuracy_of_cross_entropy_is_the_argmax():
    model = nn.Layer(2, 3, activation="linear", init="zeros")
    model.load_state_dict({"weight": [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], "bias": [0.0, 0.0, 0.5]})
    # largest of (x0, x1, 0.5): class 0, 1, 2, 2
    assert nn.accuracy(model, [[1, 0], [0, 1], [0, 0], [0.2, 0.1]], [0, 1, 2, 2]) == 1.0
    assert nn.accuracy(model, [[1, 0], [0, 1], [0, 0], [0.2, 0.1]], [0, 1, 2, 0]) == 0.75


# ---- progress display ----------------------------------------------------------


def fit_quietly(**kwargs):
    return nn.fit(nn.MLP(2, [2], seed=0), X_AND, [0, 1, 1, 0], loss="cross_entropy", epochs=3, **kwargs)


def test_no_progress_output_when_off(capsys):
    fit_quietly(progress=False)
    assert capsys.readouterr() == ("", "")


def test_no_progress_output_by_default_without_a_terminal(capsys):
    fit_quietly()  # pytest captures stderr: no terminal, no notebook
    assert capsys.readouterr() == ("", "")


def test_progress_shows_by_default_in_a_notebook(capsys, monkeypatch):
    import types

    class ZMQInteractiveShell:  # what get_ipython() returns inside a Jupyter kernel
        pass

    fake_ipython = types.SimpleNamespace(get_ipython=ZMQInteractiveShell)
    monkeypatch.setitem(sys.modules, "IPython", fake_ipython)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # the plain lines: easy to check
    fit_quietly()
    assert capsys.readouterr().out.startswith("epoch 1/3  loss ")


def test_progress_bar_with_tqdm(capsys):
    import tqdm  # noqa: F401  (the progress extra, part of the test extra: its absence is a failure, not a skip)

    fit_quietly(progress=True)
    err = capsys.readouterr().err
    assert "training" in err and "3/3" in err and "loss" in err and "accuracy" in err


def test_plain_progress_lines_without_tqdm(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if tqdm were not installed
    history = fit_quietly(progress=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines] == ["epoch 1/3", "epoch 2/3", "epoch 3/3"]
    assert f"loss {history['loss'][-1]:.4f}" in lines[-1]
    assert f"accuracy {history['accuracy'][-1]:.1%}" in lines[-1]


def test_text_bar_on_a_terminal_without_tqdm(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    monkeypatch.setattr("nn.training._on_terminal", lambda: True)  # as if stderr were a terminal
    history = fit_quietly(progress=True)
    out, err = capsys.readouterr()
    frames = err.split("\r")[1:]  # each epoch redraws the line in place
    assert out == "" and len(frames) == 3 and err.endswith("\n") and err.count("\n") == 1
    assert frames[0].startswith("training [#######.............] 1/3 epochs  loss ")
    assert frames[-1].startswith("training [####################] 3/3 epochs  loss ")
    assert f"accuracy {history['accuracy'][-1]:.1%}" in frames[-1]
