"""SGD: step for step the same numbers as torch.optim.SGD, and clear errors."""

import pytest
import torch

import nn
from autograd import Value


def copy_to_torch(model):
    torch_layers = []
    for layer in model.layers:
        linear = torch.nn.Linear(layer.nin, layer.nout).double()
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        torch_layers.append(linear)
    return torch_layers


def weights(model):
    return [[[w.data for w in n.w] + [n.b.data] for n in layer.neurons] for layer in model.layers]


def torch_weights(torch_layers):
    return [[row + [b] for row, b in zip(lin.weight.tolist(), lin.bias.tolist(), strict=True)] for lin in torch_layers]


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_five_steps_match_torch_sgd(momentum):
    X = [[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-1.2, 0.8, 0.1], [0.0, -0.4, 1.1]]
    Y = [[1.0, -1.0], [0.5, 0.0], [-0.3, 0.8], [0.2, 0.2]]
    model = nn.MLP(3, [4, 2], activation="tanh", seed=3)
    torch_layers = copy_to_torch(model)
    ours = nn.SGD(model.parameters(), lr=0.1, momentum=momentum)
    theirs = torch.optim.SGD([p for lin in torch_layers for p in lin.parameters()], lr=0.1, momentum=momentum)
    x_t, y_t = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
    for _ in range(5):
        loss = nn.mse_loss([o for x in X for o in model(x)], [t for y in Y for t in y])
        ours.zero_grad()
        loss.backward()
        ours.step()

        expected = torch.nn.functional.mse_loss(torch_layers[1](torch.tanh(torch_layers[0](x_t))), y_t)
        theirs.zero_grad()
        expected.backward()
        theirs.step()

        assert loss.data == pytest.approx(expected.item(), rel=1e-12)
        for got, want in zip(weights(model), torch_weights(torch_layers), strict=True):
            assert got == [pytest.approx(row, rel=1e-10, abs=1e-13) for row in want]


def test_zero_grad_and_lr_can_change_between_steps():
    p = Value(1.0)
    opt = nn.SGD([p], lr=0.5)
    p.grad = 2.0
    opt.step()
    opt.lr = 0.25
    opt.step()  # grad still 2: not cleared by step
    assert p.data == 1.0 - 0.5 * 2 - 0.25 * 2
    opt.zero_grad()
    assert p.grad == 0.0


def test_momentum_accumulates_velocity():
    p = Value(0.0)
    opt = nn.SGD([p], lr=1.0, momentum=0.5)
    for _ in range(3):
        p.grad = 1.0
        opt.step()
    assert p.data == -(1 + 1.5 + 1.75)  # v: 1, 1.5, 1.75


@pytest.mark.parametrize(
    "build, error, message",
    [
        (lambda: nn.SGD([], lr=0.1), ValueError, "empty list of parameters"),
        (lambda: nn.SGD([1.0], lr=0.1), TypeError, "SGD takes Values (model.parameters()), got float at 0"),
        (lambda: nn.SGD([Value(1.0)], lr=-0.1), ValueError, "lr must be a finite number ≥ 0, got float -0.1"),
        (lambda: nn.SGD([Value(1.0)], lr=float("nan")), ValueError, "lr must be a finite number ≥ 0"),
        (lambda: nn.SGD([Value(1.0)], lr="0.1"), TypeError, "lr must be a finite number ≥ 0, got str '0.1'"),
        (lambda: nn.SGD([Value(1.0)], lr=0.1, momentum=-1), ValueError, "momentum must be a finite number ≥ 0"),
    ],
)
def test_bad_arguments(build, error, message):
    with pytest.raises(error) as info:
        build()
    assert message in str(info.value)
