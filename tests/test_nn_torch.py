"""``model.to_torch()`` and ``nn.from_torch``: the same function, weights and gradients as
PyTorch 2.13.0 in float64, and clear errors for what graphgrad cannot express."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest
import torch

import nn
from autograd import Value

X = np.random.default_rng(0).normal(size=(6, 3))

MODELS = {
    "MLP relu": lambda: nn.MLP(3, [5, 4, 2], activation="relu", seed=0),
    "MLP tanh, sigmoid out": lambda: nn.MLP(3, [4, 1], activation="tanh", output_activation="sigmoid", seed=1),
    "MLP leaky_relu": lambda: nn.MLP(3, [4, 3], activation="leaky_relu", seed=2),
    "Sequential of Layers": lambda: nn.Sequential(
        nn.Layer(3, 4, activation="sigmoid", seed=3), nn.Layer(4, 2, activation="tanh", seed=4)
    ),
    "Neuron": lambda: nn.Neuron(3, activation="tanh", seed=5),
}


def graphgrad_pass(model: nn.Module) -> tuple[np.ndarray, list[float]]:
    """Outputs for X, and each parameter's gradient of Σ outputs² (torch's parameter order)."""
    model.zero_grad()
    rows = [model.forward([Value(x) for x in row]) for row in X]
    loss = sum((v * v for row in rows for v in row), Value(0.0))
    loss.backward()
    grads = [p.grad for t in model.tensors().values() for p in _flat(t)]
    return np.array([[v.data for v in row] for row in rows]), grads


def torch_pass(module: Any) -> tuple[np.ndarray, list[float]]:
    module.zero_grad()
    out = module(torch.tensor(X, dtype=torch.float64))
    (out * out).sum().backward()
    return out.detach().numpy(), [g for p in module.parameters() for g in p.grad.flatten().tolist()]


def _flat(t: Any) -> list[Value]:
    return [t] if isinstance(t, Value) else [v for item in t for v in _flat(item)]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_to_torch_computes_the_same_function_and_gradients(name: str) -> None:
    model = MODELS[name]()
    module = model.to_torch()
    assert all(p.dtype == torch.float64 for p in module.parameters())
    ours, our_grads = graphgrad_pass(model)
    theirs, their_grads = torch_pass(module)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(our_grads, their_grads, rtol=1e-10, atol=1e-14)


def test_from_torch_reads_a_sequential_back() -> None:
    torch.manual_seed(0)
    module = torch.nn.Sequential(
        torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2)
    ).double()
    model = nn.from_torch(module)
    assert isinstance(model, nn.Sequential) and not isinstance(model, nn.MLP)  # two hidden activations
    np.testing.assert_allclose(graphgrad_pass(model)[0], torch_pass(module)[0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(graphgrad_pass(model)[1], torch_pass(module)[1], rtol=1e-10, atol=1e-14)


def test_from_torch_makes_an_mlp_and_round_trips() -> None:
    module = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.LeakyReLU(0.01), torch.nn.Sequential(torch.nn.Linear(4, 1), torch.nn.Sigmoid())
    )  # float32, nested
    model = nn.from_torch(module)
    assert repr(model) == "MLP(3, [4, 1], activation='leaky_relu', output_activation='sigmoid')"
    assert model.layers[0].neurons[0].w[0].data == module[0].weight[0, 0].item()  # copied exactly
    assert nn.from_torch(model.to_torch()).state_dict() == model.state_dict()
    no_bias = nn.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2, bias=False)))
    assert [n.b.data for n in no_bias.layers[0].neurons] == [0.0, 0.0]


@pytest.mark.parametrize(
    ("module", "error", "message"),
    [
        (torch.nn.Linear(2, 2), TypeError, "takes a torch.nn.Sequential"),
        (torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout()), TypeError, "cannot express Dropout"),
        (torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(2, 2)), ValueError, "comes first"),
        (torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(), torch.nn.Tanh()), ValueError, "after ReLU"),
        (torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.LeakyReLU(0.2)), ValueError, "slope 0.2"),
        (torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(2, 1)), ValueError, "gives 3 outputs"),
        (torch.nn.Sequential(), ValueError, "no Linear"),
    ],
)
def test_from_torch_refuses_what_graphgrad_cannot_express(module: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        nn.from_torch(module)


def test_to_torch_refuses_a_module_it_does_not_know() -> None:
    class Doubler(nn.Module):
        nin = nout = 1

    with pytest.raises(TypeError, match="knows Neuron, Layer, Sequential and MLP, got Doubler"):
        nn.Sequential(nn.Layer(1, 1), Doubler()).to_torch()


def test_to_torch_refuses_a_gate_of_your_own() -> None:
    from autograd import gate

    softsign = gate("softsign", lambda x: x / (1 + abs(x)), lambda out, x: (1 / (1 + abs(x)) ** 2,))
    with pytest.raises(TypeError, match="activation gate gate\\('softsign'\\)"):
        nn.MLP(2, [3, 1], activation=softsign).to_torch()


def test_torch_is_imported_only_when_called() -> None:
    code = "import nn, autograd, viz, sys; nn.MLP(2, [1]); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
