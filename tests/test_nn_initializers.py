"""Initializers: each one's statistics on a large layer, seeds that repeat, zero biases."""

import math
import random
import statistics

import pytest

import nn

FAN_IN, FAN_OUT = 400, 300  # unequal, so Glorot (fan_in + fan_out) and He (fan_in) differ
N = FAN_IN * FAN_OUT

# name -> (distribution, its σ for normals or its limit for uniforms); the oracle for each initializer.
EXPECTED = {
    "zeros": ("zeros", 0.0),
    "random_normal": ("normal", 1.0),
    "uniform": ("uniform", 1 / math.sqrt(FAN_IN)),
    "glorot_normal": ("normal", math.sqrt(2 / (FAN_IN + FAN_OUT))),
    "glorot_uniform": ("uniform", math.sqrt(6 / (FAN_IN + FAN_OUT))),
    "he_normal": ("normal", math.sqrt(2 / FAN_IN)),
    "he_uniform": ("uniform", math.sqrt(6 / FAN_IN)),
}


def test_every_initializer_has_expected_statistics_here():
    assert set(EXPECTED) == set(nn.INITIALIZERS)


@pytest.fixture(scope="module", params=list(EXPECTED))
def drawn(request):
    layer = nn.Layer(FAN_IN, FAN_OUT, init=request.param, seed=0)
    weights = [w.data for neuron in layer.neurons for w in neuron.w]
    return request.param, weights, layer


def test_statistics_on_a_large_layer(drawn):
    name, weights, _ = drawn
    kind, scale = EXPECTED[name]
    assert len(weights) == N
    if kind == "zeros":
        assert set(weights) == {0.0}
        return
    sigma = scale if kind == "normal" else scale / math.sqrt(3)  # U(−a, a) has σ = a/√3
    mean, std = statistics.fmean(weights), statistics.pstdev(weights)
    # Tolerances of 5 standard errors: the mean's is σ/√N; the sample σ's is
    # σ/√(2N) for a normal and σ/√(5N) for a uniform, both below σ/√N.
    assert abs(mean) < 5 * sigma / math.sqrt(N)
    assert abs(std - sigma) < 5 * sigma / math.sqrt(N)
    if kind == "uniform":
        assert max(abs(w) for w in weights) <= scale
        assert max(abs(w) for w in weights) > scale * (1 - 1e-3)  # reaches the limit: not a narrower range
    else:
        # Plain, not truncated: about 4.55% of draws lie beyond 2σ (a truncated normal has none).
        beyond = sum(abs(w) > 2 * sigma for w in weights) / N
        assert abs(beyond - 0.0455) < 5 * math.sqrt(0.0455 * 0.9545 / N)


def test_biases_start_at_zero(drawn):
    _, _, layer = drawn
    assert all(neuron.b.data == 0.0 for neuron in layer.neurons)


@pytest.mark.parametrize("init", [name for name in EXPECTED if name != "zeros"])
def test_same_seed_same_weights_different_seed_different(init):
    def weights(seed):
        return [p.data for p in nn.MLP(3, [4, 2], init=init, seed=seed).parameters()]

    assert weights(7) == weights(7)
    assert weights(7) != weights(8)
    assert weights(None) != weights(None)  # no seed: fresh randomness each time


def test_neurons_of_a_layer_draw_different_weights():
    layer = nn.Layer(3, 4, seed=0)
    rows = [tuple(w.data for w in n.w) for n in layer.neurons]
    assert len(set(rows)) == 4


def test_a_shared_generator_continues_its_stream():
    rng = random.Random(5)
    first, second = nn.Neuron(2, seed=rng), nn.Neuron(2, seed=rng)
    assert [w.data for w in first.w] != [w.data for w in second.w]
    again = random.Random(5)
    assert [w.data for w in nn.Neuron(2, seed=again).w] == [w.data for w in first.w]


def test_unknown_initializer_lists_the_known_ones():
    with pytest.raises(ValueError) as info:
        nn.Layer(2, 3, init="xavier_uniform")
    message = str(info.value)
    assert message.startswith("unknown initializer 'xavier_uniform'; known: zeros, random_normal, uniform, ")
    with pytest.raises(ValueError, match=r"did you mean 'he_normal'\?"):
        nn.MLP(2, [1], init="he_norml")
