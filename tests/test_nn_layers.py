"""nn layers: outputs against PyTorch float64, scopes and labels for the
visualizer, input checking, repr and summary (golden strings)."""

import math
import re

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import autograd
import nn
from autograd import Constant, Value, topological_order
from autograd.modes import current

TORCH_ACTIVATIONS = {
    "linear": lambda t: t,
    "relu": torch.relu,
    "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, 0.01),
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
}


def test_activation_table_is_the_spec_list():
    assert list(nn.ACTIVATIONS) == ["linear", "relu", "leaky_relu", "tanh", "sigmoid"]
    assert set(TORCH_ACTIVATIONS) == set(nn.ACTIVATIONS)  # every activation has an oracle below


def to_torch(model):
    """The same network in PyTorch float64, weights copied."""
    layers = []
    for layer in model.layers:
        linear = torch.nn.Linear(layer.nin, layer.nout).double()
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        layers.append((linear, TORCH_ACTIVATIONS[layer.activation]))

    def forward(x):
        for linear, activation in layers:
            x = activation(linear(x))
        return x

    return forward, layers


inputs = st.lists(st.floats(-3, 3), min_size=3, max_size=3)


@pytest.mark.parametrize("activation", list(nn.ACTIVATIONS))
@given(x=inputs)
def test_mlp_forward_and_gradients_match_torch(activation, x):
    model = nn.MLP(3, [4, 2], activation=activation, output_activation=activation, seed=1)
    forward, layers = to_torch(model)
    outs = model(x)
    sum(o * (k + 1) for k, o in enumerate(outs)).backward()  # weight the outputs so each matters differently
    expected = forward(torch.tensor(x, dtype=torch.float64))
    (expected * torch.tensor([1.0, 2.0], dtype=torch.float64)).sum().backward()
    assert [o.data for o in outs] == pytest.approx(expected.tolist(), rel=1e-12, abs=1e-12)
    for layer, (linear, _) in zip(model.layers, layers, strict=True):
        grads = [[w.grad for w in n.w] for n in layer.neurons]
        assert grads == [pytest.approx(row, rel=1e-9, abs=1e-12) for row in linear.weight.grad.tolist()]
        assert [n.b.grad for n in layer.neurons] == pytest.approx(linear.bias.grad.tolist(), rel=1e-9, abs=1e-12)


def test_output_is_a_value_for_width_one_else_a_list():
    assert isinstance(nn.MLP(3, [4, 4, 1], activation="tanh", seed=0)([2.0, 3.0, -1.0]), Value)
    outs = nn.MLP(3, [4, 2], seed=0)([2.0, 3.0, -1.0])
    assert isinstance(outs, list) and len(outs) == 2 and all(isinstance(o, Value) for o in outs)
    assert isinstance(nn.Layer(2, 1)([1.0, 2.0]), Value)
    assert len(nn.Layer(2, 3)([1.0, 2.0])) == 3


def test_inputs_may_be_numbers_values_tuples_or_numpy_rows():
    import numpy as np

    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    expected = model([0.5, -1.0]).data
    assert model((0.5, -1)).data == expected
    assert model(np.array([0.5, -1.0])).data == expected
    x = [Value(0.5), Value(-1.0)]
    out = model(x)
    out.backward()
    assert out.data == expected and x[0].grad != 0.0  # gradients reach Value inputs
    assert nn.Neuron(1, init="zeros", activation="linear")(3.0).data == 0.0  # one input: a bare number


@pytest.mark.parametrize(
    "bad, error, message",
    [
        ([1.0], ValueError, "MLP takes 2 inputs, got 1"),
        ([1.0, 2.0, 3.0], ValueError, "MLP takes 2 inputs, got 3"),
        (1.0, ValueError, "MLP takes 2 inputs, got 1"),
        ("ab", TypeError, "MLP takes a list of 2 numbers or Values, got str 'ab'"),
        ([1.0, "b"], TypeError, "MLP input 1 must be a number, got str 'b'"),
        ([1.0, None], TypeError, "MLP input 1 must be a number, got NoneType None"),
        ([True, 1.0], TypeError, "MLP input 0 must be a number, got bool True"),
        (None, TypeError, "MLP takes a list of 2 numbers or Values, got NoneType None"),
    ],
)
def test_bad_inputs_say_what_was_wrong(bad, error, message):
    with pytest.raises(error) as info:
        nn.MLP(2, [1])(bad)
    assert str(info.value) == message


def test_unknown_activation_lists_the_known_ones_and_the_nearest():
    with pytest.raises(ValueError) as info:
        nn.MLP(2, [3, 1], activation="tahn")
    assert str(info.value) == (
        "unknown activation 'tahn'; known: linear, relu, leaky_relu, tanh, sigmoid (did you mean 'tanh'?)"
    )
    with pytest.raises(ValueError, match=r"did you mean 'relu'\?"):
        nn.Layer(2, 3, activation="ReLU")
    with pytest.raises(ValueError, match=r"^unknown activation 'softplus'; known: [a-z_, ]+$"):
        nn.Neuron(2, activation="softplus")  # nothing close: no suggestion
    with pytest.raises(TypeError, match="activation must be given by name"):
        nn.Neuron(2, activation=math.tanh)
    with pytest.raises(ValueError, match="unknown activation 'tahn'"):
        nn.MLP(2, [1], activation="tahn")  # no hidden layer uses it: still a typo to report


@pytest.mark.parametrize(
    "build, error, message",
    [
        (lambda: nn.Layer(0, 3), ValueError, "nin must be a positive int, got 0"),
        (lambda: nn.Layer(2, -1), ValueError, "nout must be a positive int, got -1"),
        (lambda: nn.Neuron(2.5), TypeError, "nin must be a positive int, got 2.5"),
        (lambda: nn.Neuron(True), TypeError, "nin must be a positive int, got True"),
        (lambda: nn.MLP(2, 3), TypeError, "nouts must be a non-empty list of layer widths"),
        (lambda: nn.MLP(2, []), TypeError, "nouts must be a non-empty list of layer widths"),
        (lambda: nn.MLP(2, [3, 0]), ValueError, "nout must be a positive int, got 0"),
        (lambda: nn.Sequential(), ValueError, "Sequential needs at least one layer"),
        (lambda: nn.Sequential([nn.Layer(2, 3)]), TypeError, "separate arguments"),
        (lambda: nn.Sequential(nn.Layer(2, 3), "relu"), TypeError, "got str as layer 2"),
        (
            lambda: nn.Sequential(nn.Layer(2, 3), nn.Layer(4, 1)),
            ValueError,
            "layer 2 takes 4 inputs but layer 1 gives 3 outputs",
        ),
        (lambda: nn.Neuron(2, seed="x"), TypeError, "seed must be an int, a random.Random or None"),
    ],
)
def test_bad_constructions_raise_clear_errors(build, error, message):
    with pytest.raises(error) as info:
        build()
    assert message in str(info.value)


def test_parameters_neuron_by_neuron_and_counts():
    model = nn.MLP(3, [4, 4, 1], activation="tanh", seed=0)
    params = model.parameters()
    first = model.layers[0].neurons[0]
    assert params[:4] == [*first.w, first.b]
    assert len(params) == len({id(p) for p in params}) == model.num_parameters() == 41
    assert nn.MLP(3, [3, 2, 2]).num_parameters() == 26
    assert nn.MLP(784, [16, 16, 10]).num_parameters() == 13_002
    assert nn.Neuron(5).num_parameters() == 6


def test_zero_grad_clears_every_parameter():
    model = nn.MLP(2, [3, 1], seed=0)
    model([1.0, -2.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_biases_start_at_zero_and_parameters_are_leaves():
    model = nn.MLP(2, [3, 2], init="random_normal", seed=0)
    assert all(n.b.data == 0.0 for layer in model.layers for n in layer.neurons)
    assert all(p.op == "" and p.parents == () for p in model.parameters())


# ---- scopes and labels: the contract with the visualizer -------------------


def test_every_value_made_by_a_model_is_scoped_by_layer_and_neuron():
    model = nn.MLP(2, [3, 2, 1], activation="tanh", seed=0)
    out = model([1.0, -1.0])
    made = [v for v in topological_order(out) if v.parents]
    assert made and all(re.fullmatch(r"layer[1-3]/neuron[1-3]", v.scope) for v in made)
    assert out.scope == "layer3/neuron1"
    assert current().scope is None  # restored after the call


def test_number_inputs_become_one_unscoped_leaf_each_read_by_every_first_layer_neuron():
    model = nn.MLP(2, [3, 1], seed=0)
    order = topological_order(model([0.5, -1.0]))
    params = {id(p) for p in model.parameters()}
    leaves = [v for v in order if not v.parents and id(v) not in params]
    assert [(v.label, v.data, v.scope) for v in leaves] == [("x0", 0.5, None), ("x1", -1.0, None)]
    readers = [v for v in order if any(p is leaves[0] for p in v.parents)]
    assert [v.scope for v in readers] == ["layer1/neuron1", "layer1/neuron2", "layer1/neuron3"]
    assert not any(isinstance(v, Constant) for v in order)


def test_a_value_inside_neuron_3_of_layer_1_is_tagged_so():
    model = nn.MLP(2, [3, 1], activation="relu", seed=0)
    hidden = model.layers[0].forward([1.0, 2.0])
    assert [h.scope for h in hidden] == ["layer1/neuron1", "layer1/neuron2", "layer1/neuron3"]
    products = [v for v in topological_order(hidden[2]) if v.op == "*"]
    assert len(products) == 2 and {v.scope for v in products} == {"layer1/neuron3"}


def test_standalone_layer_and_neuron_scopes_and_an_enclosing_scope():
    assert nn.Layer(1, 2)([1.0])[1].scope == "layer/neuron2"
    assert nn.Neuron(1)([1.0]).scope == "neuron"
    with autograd.scope("model"):
        assert nn.MLP(1, [2, 1])([1.0]).scope == "model/layer2/neuron1"
    inner = nn.Sequential(nn.Layer(1, 2), nn.Sequential(nn.Layer(2, 2), nn.Neuron(2)))
    assert inner([1.0]).scope == "layer2/layer2"  # a Neuron as a layer is scoped by its position


def test_scope_is_restored_when_a_forward_pass_fails(monkeypatch):
    model = nn.MLP(1, [2, 1], seed=0)

    def broken(x):
        raise RuntimeError("boom")

    monkeypatch.setattr(model.layers[1].neurons[0], "_activate", broken)
    with pytest.raises(RuntimeError):
        model([1.0])
    assert current().scope is None


def test_parameter_labels_name_layer_neuron_and_weight():
    model = nn.MLP(2, [3, 1], seed=0)
    assert [p.label for p in model.layers[0].neurons[2].parameters()] == ["L1.N3.w0", "L1.N3.w1", "L1.N3.b"]
    labels = [p.label for p in model.parameters()]
    assert len(set(labels)) == len(labels) and labels[-1] == "L2.N1.b"
    assert [p.label for p in nn.Layer(1, 2).parameters()] == ["N1.w0", "N1.b", "N2.w0", "N2.b"]
    assert [p.label for p in nn.Neuron(2).parameters()] == ["w0", "w1", "b"]


# ---- repr and summary -------------------------------------------------------


def test_reprs_read_like_the_constructor_calls():
    assert repr(nn.Neuron(3, activation="tanh")) == "Neuron(3, activation='tanh')"
    assert repr(nn.Layer(3, 4)) == "Layer(3, 4, activation='relu')"
    assert repr(nn.MLP(3, [4, 4, 1], activation="tanh")) == (
        "MLP(3, [4, 4, 1], activation='tanh', output_activation='linear')"
    )
    assert repr(nn.Sequential(nn.Layer(2, 3), nn.Sequential(nn.Layer(3, 1)))) == (
        "Sequential(\n"
        "  (layer1): Layer(2, 3, activation='relu')\n"
        "  (layer2): Sequential(\n"
        "    (layer1): Layer(3, 1, activation='relu')\n"
        "  )\n"
        ")"
    )


SUMMARY_3_3_2_2 = """\
Model: MLP, input shape (3,)
_______________________________________________________
Layer (type)      Output Shape    Activation    Param #
=======================================================
layer1 (Layer)    (3,)            relu               12
layer2 (Layer)    (2,)            relu                8
layer3 (Layer)    (2,)            linear              6
=======================================================
Total params: 26"""

SUMMARY_784_16_16_10 = """\
Model: MLP, input shape (784,)
_______________________________________________________
Layer (type)      Output Shape    Activation    Param #
=======================================================
layer1 (Layer)    (16,)           relu           12,560
layer2 (Layer)    (16,)           relu              272
layer3 (Layer)    (10,)           linear            170
=======================================================
Total params: 13,002"""

SUMMARY_SEQUENTIAL = """\
Model: Sequential, input shape (2,)
_______________________________________________________________
Layer (type)              Output Shape    Activation    Param #
===============================================================
layer1 (Layer)            (3,)            tanh                9
layer2/layer1 (Layer)     (2,)            relu                8
layer2/layer2 (Neuron)    (1,)            sigmoid             3
===============================================================
Total params: 20"""


@pytest.mark.parametrize(
    "model, golden",
    [
        (nn.MLP(3, [3, 2, 2]), SUMMARY_3_3_2_2),
        (nn.MLP(784, [16, 16, 10]), SUMMARY_784_16_16_10),
        (
            nn.Sequential(
                nn.Layer(2, 3, activation="tanh"), nn.Sequential(nn.Layer(3, 2), nn.Neuron(2, activation="sigmoid"))
            ),
            SUMMARY_SEQUENTIAL,
        ),
    ],
)
def test_summary_golden(model, golden):
    assert model.summary() == golden
    assert nn.summary(model) == golden
