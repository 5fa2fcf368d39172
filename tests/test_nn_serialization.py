"""state_dict / load_state_dict and nn.save / nn.load: round trips, atomic
saves that survive a failure mid-write, and loads that check everything first."""

import json
import os
import stat

import pytest

import nn


def make():
    return nn.MLP(2, [3, 1], activation="tanh", seed=0)


def snapshot(model):
    return json.dumps(model.state_dict())


def test_state_dict_layout_is_pytorch_like_and_json_ready():
    state = make().state_dict()
    assert list(state) == ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"]
    assert [len(row) for row in state["layer1.weight"]] == [2, 2, 2]  # nout rows of nin
    assert len(state["layer1.bias"]) == 3 and len(state["layer2.weight"]) == 1
    assert json.loads(json.dumps(state)) == state


def test_load_state_dict_round_trip():
    source, target = make(), nn.MLP(2, [3, 1], activation="tanh", seed=1)
    assert target([0.3, -0.7]).data != source([0.3, -0.7]).data
    target.load_state_dict(source.state_dict())
    assert target.state_dict() == source.state_dict()
    assert target([0.3, -0.7]).data == source([0.3, -0.7]).data


def test_load_state_dict_accepts_tuples_and_ints():
    neuron = nn.Neuron(2)
    neuron.load_state_dict({"weight": (1, -2), "bias": 3})
    assert neuron.state_dict() == {"weight": [1.0, -2.0], "bias": 3.0}


def bad_states():
    good = make().state_dict()

    def changed(**replace):
        state = dict(good)
        for key, value in replace.items():
            key = key.replace("__", ".")
            if value is None:
                del state[key]
            else:
                state[key] = value
        return state

    return [
        (changed(layer2__bias=None), ValueError, "missing 'layer2.bias'"),
        ({**good, "layer3.weight": [[1.0]]}, ValueError, "unexpected 'layer3.weight'"),
        (changed(layer1__weight=[[0.1, 0.2]] * 4), ValueError, "has shape (4, 2), this MLP expects (3, 2)"),
        (changed(layer1__bias=0.0), ValueError, "state_dict['layer1.bias'] has shape (), this MLP expects (3,)"),
        (changed(layer1__weight=[[0.1, 0.2], [0.3], [0.4, 0.5]]), ValueError, "['layer1.weight'][1] should be a list"),
        (changed(layer2__weight=[[0.1, "x", 0.2]]), TypeError, "state_dict['layer2.weight'][0][1] must be a number"),
        (changed(layer2__bias=[None]), TypeError, "state_dict['layer2.bias'][0] must be a number, got NoneType"),
        (changed(layer2__bias=[True]), TypeError, "must be a number, got bool True"),
        ([1, 2], TypeError, "load_state_dict takes a dict"),
    ]


@pytest.mark.parametrize("state, error, message", bad_states())
def test_a_bad_state_dict_raises_and_changes_nothing(state, error, message):
    model = make()
    before = snapshot(model)
    with pytest.raises(error) as info:
        model.load_state_dict(state)
    assert message in str(info.value)
    assert snapshot(model) == before  # layer1 was fine in most cases, and still was not touched


# ---- save / load -------------------------------------------------------------


MODELS = {
    "mlp": lambda: nn.MLP(3, [4, 2], activation="sigmoid", output_activation="tanh", seed=0),
    "layer": lambda: nn.Layer(2, 3, activation="leaky_relu", seed=0),
    "neuron": lambda: nn.Neuron(3, activation="linear", seed=0),
    "sequential": lambda: nn.Sequential(nn.Layer(3, 2, seed=0), nn.Sequential(nn.Layer(2, 2, seed=1), nn.Neuron(2))),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_save_then_load_rebuilds_the_model(tmp_path, name):
    model = MODELS[name]()
    path = tmp_path / "model.json"
    nn.save(model, path)
    loaded = nn.load(path)
    assert type(loaded) is type(model) and repr(loaded) == repr(model)
    assert loaded.state_dict() == model.state_dict()
    x = [0.5, -1.5, 2.0][: model.nin]
    assert _data(loaded(x)) == _data(model(x))
    document = json.loads(path.read_text())
    assert document["format"] == "graphgrad.nn" and document["version"] == 1


def _data(out):
    return [v.data for v in out] if isinstance(out, list) else out.data


def test_saved_file_is_plain_json_readable_by_anyone(tmp_path):
    path = tmp_path / "m.json"
    nn.save(nn.Neuron(2, init="zeros"), str(path))
    assert json.loads(path.read_text()) == {
        "format": "graphgrad.nn",
        "version": 1,
        "model": {"type": "Neuron", "nin": 2, "activation": "relu"},
        "state": {"weight": [0.0, 0.0], "bias": 0.0},
    }
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_load_into_an_existing_model(tmp_path):
    path = tmp_path / "m.json"
    source = make()
    nn.save(source, path)
    target = nn.MLP(2, [3, 1], activation="tanh", seed=5)
    assert nn.load(path, target) is target
    assert target.state_dict() == source.state_dict()


def test_loading_a_file_of_the_wrong_shape_changes_nothing(tmp_path):
    path = tmp_path / "m.json"
    nn.save(nn.MLP(2, [4, 1], seed=0), path)
    model = make()
    before = snapshot(model)
    with pytest.raises(
        ValueError, match=r"m\.json: state_dict\['layer1.weight'\] has shape \(4, 2\), this MLP expects"
    ):
        nn.load(path, model)
    assert snapshot(model) == before


def existing(tmp_path):
    path = tmp_path / "model.json"
    nn.save(make(), path)
    return path, path.read_bytes()


CORRUPT = [
    ("", "is not valid JSON"),
    ('{"format": "graphgrad.nn", "version": 1, "model": {"ty', "is not valid JSON"),
    ("[1, 2]", "is not a graphgrad model file"),
    ('{"format": "other"}', "is not a graphgrad model file"),
    ('{"format": "graphgrad.nn", "version": 7}', "has format version 7; this graphgrad reads 1"),
    ('{"format": "graphgrad.nn", "version": 1, "model": {"type": "Neuron", "nin": 1}}', 'no "state" object'),
    (
        '{"format": "graphgrad.nn", "version": 1, "model": {"type": "Neuron", "nin": 1, "activation": "linear"},'
        ' "state": {"weight": [NaN], "bias": 0}}',
        "is not valid JSON (NaN is not a JSON number)",
    ),
    (
        '{"format": "graphgrad.nn", "version": 1, "model": {"type": "Neuron", "nin": 1, "activation": "linear"},'
        ' "state": {"weight": ["1"], "bias": 0}}',
        "state_dict['weight'][0] must be a number, got str '1'",
    ),
    (
        '{"format": "graphgrad.nn", "version": 1, "model": {"type": "Conv2d"}, "state": {}}',
        "unknown module type 'Conv2d'; known: Neuron, Layer, MLP, Sequential",
    ),
    (
        '{"format": "graphgrad.nn", "version": 1, "model": {"type": "Layer", "nin": 2, "nout": 1, "act": "x"},'
        ' "state": {}}',
        "bad Layer description",
    ),
    (
        '{"format": "graphgrad.nn", "version": 1, "model": {"type": "Neuron", "nin": 1, "activation": "tahn"},'
        ' "state": {}}',
        "unknown activation 'tahn'",
    ),
]


@pytest.mark.parametrize("text, message", CORRUPT)
def test_corrupt_files_raise_clear_value_errors(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError) as info:
        nn.load(path)
    assert str(info.value).startswith(str(path)) and message in str(info.value)
    model = make()
    before = snapshot(model)
    with pytest.raises(ValueError):
        nn.load(path, model)
    assert snapshot(model) == before


def test_saving_over_a_file_replaces_it(tmp_path):
    path, old = existing(tmp_path)
    other = nn.MLP(2, [5, 1], seed=9)
    nn.save(other, path)
    assert path.read_bytes() != old and nn.load(path).state_dict() == other.state_dict()
    assert os.listdir(tmp_path) == ["model.json"]


def test_load_of_a_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "nope.json")


def test_a_failure_mid_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path, old = existing(tmp_path)

    def half_written(document, file, **kwargs):
        file.write('{"format": "graphgrad.nn", "ver')  # a crash after some bytes
        raise OSError("disk full")

    monkeypatch.setattr(nn.serialization.json, "dump", half_written)
    with pytest.raises(OSError, match="disk full"):
        nn.save(nn.MLP(2, [5, 1], seed=9), path)
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["model.json"]  # no temporary file left behind


def test_a_failing_rename_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path, old = existing(tmp_path)

    def refuse(src, dst):
        raise PermissionError("rename refused")

    monkeypatch.setattr(nn.serialization.os, "replace", refuse)
    with pytest.raises(PermissionError):
        nn.save(nn.MLP(2, [5, 1], seed=9), path)
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["model.json"]


def test_non_finite_weights_are_refused_and_nothing_is_written(tmp_path):
    path, old = existing(tmp_path)
    model = make()
    model.layers[0].neurons[0].w[0].data = float("nan")
    with pytest.raises(ValueError, match="a weight is nan or inf"):
        nn.save(model, path)
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["model.json"]


def test_save_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="directory .* does not exist"):
        nn.save(make(), tmp_path / "missing" / "m.json")
    assert os.listdir(tmp_path) == []
    with pytest.raises(TypeError, match="save takes an nn module, got dict"):
        nn.save({}, tmp_path / "m.json")
    with pytest.raises(TypeError, match="model must be an nn module"):
        nn.load(tmp_path / "m.json", model="MLP")
