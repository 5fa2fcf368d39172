"""The worked examples of the introductory material, run on nn.

Each training example is sized to take a few seconds here; the docstrings
say what configuration it takes.
"""

import pytest

import nn


def test_fit_y_equals_3x_by_gradient_descent():
    """A linear neuron fitted to y = 3x on x = 1, 3, 4, 8, 10 finds w ≈ 3, b ≈ 0."""
    xs = [1.0, 3.0, 4.0, 8.0, 10.0]
    ys = [3 * x for x in xs]
    neuron = nn.Neuron(1, activation="linear", init="zeros")
    optimizer = nn.SGD(neuron.parameters(), lr=0.02)  # below 2/λmax ≈ 0.026 of this loss: stable
    for _ in range(1000):
        loss = nn.mse_loss([neuron(x) for x in xs], ys)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert neuron.w[0].data == pytest.approx(3.0, abs=1e-4)
    assert neuron.b.data == pytest.approx(0.0, abs=1e-3)
    assert loss.data < 1e-7


def test_two_three_one_sigmoid_network_forward_pass():
    """Input (1, 1); hidden weights [[0.8, 0.4, 0.3], [0.2, 0.9, 0.5]] (row i: from input i);
    sigmoid hidden units; output weights [0.3, 0.5, 0.9]; no biases: output ≈ 1.233
    (the text rounds to 1.235) and squared error ≈ 1.52 against target 0."""
    model = nn.Sequential(nn.Layer(2, 3, activation="sigmoid"), nn.Layer(3, 1, activation="linear"))
    hidden = [[0.8, 0.4, 0.3], [0.2, 0.9, 0.5]]
    model.load_state_dict(
        {
            "layer1.weight": [list(column) for column in zip(*hidden, strict=True)],  # a neuron's weights: a column
            "layer1.bias": [0.0, 0.0, 0.0],
            "layer2.weight": [[0.3, 0.5, 0.9]],
            "layer2.bias": [0.0],
        }
    )
    out = model([1.0, 1.0])
    hidden_out = model.layers[0].forward([1.0, 1.0])
    assert [round(h.data, 4) for h in hidden_out] == [0.7311, 0.7858, 0.6900]
    assert out.data == pytest.approx(1.2332, abs=1e-4)
    loss = nn.mse_loss(out, 0.0)
    assert loss.data == pytest.approx(1.5208, abs=1e-4)
    loss.backward()
    # ∂(out²)/∂w = 2·out·h for an output weight
    assert model.layers[1].neurons[0].w[0].grad == pytest.approx(2 * out.data * hidden_out[0].data, rel=1e-12)


def test_moons_mlp_reaches_95_percent_with_the_hinge_loss():
    """micrograd's demo: MLP 2-16-16-1 (ReLU), 100 moons points, hinge loss + 1e-4·Σw².
    Here: He-uniform weights, 30 epochs of mini-batches of 20 with SGD lr 0.1, momentum 0.9 (about 1.5 s)."""
    X, y = nn.make_moons(100, noise=0.1, seed=0)
    y = 2 * y - 1  # the hinge loss wants labels ±1
    model = nn.MLP(2, [16, 16, 1], init="he_uniform", seed=0)
    history = nn.fit(model, X, y, loss="hinge", epochs=30, batch_size=20, lr=0.1, momentum=0.9, alpha=1e-4)
    assert history["loss"][-1] < history["loss"][0] / 5
    assert nn.accuracy(model, X, y, loss="hinge") >= 0.95


@pytest.mark.slow  # about 9 s here: CI runs it (.ci/run), the default run leaves it out
def test_digits_network_beats_80_percent_held_out():
    """The digits network 64-16-16-10, trained on 200 of the 1,347 training digits for 6 epochs
    (mini-batches of 10, SGD lr 0.05, momentum 0.9; tanh hidden units, He-uniform weights;
    about 4 s), classifies the 450 held-out digits with more than 80% accuracy (91.8% measured)."""
    X, y = nn.load_digits()
    X_train, X_test, y_train, y_test = nn.train_test_split(X, y, test_size=0.25, seed=0)
    model = nn.MLP(64, [16, 16, 10], activation="tanh", init="he_uniform", seed=0)
    nn.fit(model, X_train[:200], y_train[:200], loss="cross_entropy", epochs=6, batch_size=10, lr=0.05, momentum=0.9)
    assert len(X_test) == 450
    assert nn.accuracy(model, X_test, y_test, loss="cross_entropy") > 0.80
