"""Saving and loading models as JSON: plain numbers, never pickle.

A saved file holds what the model is (its ``config()``: type, sizes,
activations) and its weights (its ``state_dict()``), so ``nn.load(path)``
rebuilds it. JSON, unlike pickle, runs no code when read and can be
opened in any editor.

Saving is atomic: the file is written under a temporary name in the
same directory and then renamed over the target with ``os.replace``,
which is all-or-nothing — a crash mid-write leaves the old file as it
was. Loading checks everything before it changes anything.

>>> import nn, os, tempfile
>>> model = nn.MLP(2, [3, 1], seed=0)
>>> path = os.path.join(tempfile.mkdtemp(), "model.json")
>>> nn.save(model, path)
>>> nn.load(path).state_dict() == model.state_dict()
True
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from typing import Any

from .layers import Layer, Neuron
from .module import Module
from .networks import MLP, Sequential

PathLike = str | os.PathLike[str]
FORMAT, VERSION = "graphgrad.nn", 1
# A config's keys (but "type") are the arguments of its type's constructor.
_BUILDERS: dict[str, Callable[..., Module]] = {"Neuron": Neuron, "Layer": Layer, "MLP": MLP}


def save(model: Module, path: PathLike) -> None:
    """Write ``model`` (architecture and weights) to ``path`` as JSON, atomically.

    Non-finite weights (nan, inf) are refused: JSON has no such numbers.

    >>> import nn, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "neuron.json")
    >>> nn.save(nn.Neuron(2, init="zeros"), path)
    >>> open(path).read()[:40]
    '{"format": "graphgrad.nn", "version": 1,'
    """
    if not isinstance(model, Module):
        raise TypeError(f"save takes an nn module, got {type(model).__name__}")
    document = {"format": FORMAT, "version": VERSION, "model": model.config(), "state": model.state_dict()}
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"cannot save to {os.fspath(path)!r}: directory {directory!r} does not exist")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            try:
                json.dump(document, file, allow_nan=False)
            except ValueError:
                raise ValueError(f"cannot save {type(model).__name__}: a weight is nan or inf (not JSON)") from None
            file.flush()
            os.fsync(file.fileno())  # the bytes are on disk before the rename makes them the file
        os.chmod(temporary, 0o644)  # mkstemp makes it private (0600); a saved model is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def load(path: PathLike, model: Module | None = None) -> Module:
    """The model saved at ``path``; or, given ``model``, its weights loaded into it.

    A file that is not valid JSON, not a graphgrad model, or whose weights
    do not fit raises ``ValueError`` saying what was wrong; ``model`` is then
    unchanged.

    >>> import nn, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "bad.json")
    >>> _ = open(path, "w").write('{"format": "graphgrad.nn", "version": 1, "mod')
    >>> nn.load(path)
    Traceback (most recent call last):
    ...
    ValueError: ...bad.json is not valid JSON (Unterminated string starting at: line 1 column 42 (char 41))
    """
    if model is not None and not isinstance(model, Module):
        raise TypeError(f"load(path, model): model must be an nn module, got {type(model).__name__}")
    with open(path, encoding="utf-8") as file:
        text = file.read()
    where = os.fspath(path)
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as error:  # json.JSONDecodeError, or a NaN/Infinity token
        raise ValueError(f"{where} is not valid JSON ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f'{where} is not a graphgrad model file (no "format": {FORMAT!r})')
    if document.get("version") != VERSION:
        raise ValueError(f"{where} has format version {document.get('version')!r}; this graphgrad reads {VERSION}")
    if not isinstance(document.get("state"), dict):
        raise ValueError(f'{where} has no "state" object holding the weights')
    try:
        if model is None:
            model = build(document.get("model"))
        model.load_state_dict(document["state"])
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: {error}") from None
    return model


def build(config: Any) -> Module:
    """A new module (fresh weights) from a ``config()`` dict.

    >>> build({"type": "Layer", "nin": 2, "nout": 3, "activation": "tanh"})
    Layer(2, 3, activation='tanh')
    """
    if not isinstance(config, dict) or "type" not in config:
        raise ValueError(f'a model description is a dict with a "type", got {config!r:.60}')
    kind = config["type"]
    arguments = {k: v for k, v in config.items() if k != "type"}
    if kind == "Sequential":
        if set(arguments) != {"layers"} or not isinstance(arguments["layers"], list):
            raise ValueError('a Sequential is described by a list of "layers"')
        return Sequential(*(build(layer) for layer in arguments["layers"]))
    if kind not in _BUILDERS:
        raise ValueError(f"unknown module type {kind!r}; known: {', '.join([*_BUILDERS, 'Sequential'])}")
    try:
        return _BUILDERS[kind](**arguments)
    except TypeError as error:  # an unexpected or missing argument
        raise ValueError(f"bad {kind} description {config!r:.80}: {error}") from None


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")
