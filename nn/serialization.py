"""Saving and loading models as JSON: plain numbers, never pickle.

A saved file holds what the model is (its ``config()``: type, sizes,
activations) and its weights (its ``state_dict()``), so ``nn.load(path)``
rebuilds it. JSON, unlike pickle, runs no code when read and can be
opened in any editor.

Saving is atomic (``nn.files.write_atomic``): a crash mid-write leaves
the old file as it was, and no temporary file behind. Loading checks
everything before it changes anything, and refuses what would be too large
to build — a file over 256 MiB, or an architecture over 10 million
parameters, counted from the declared sizes before anything is made.

>>> import nn, os, tempfile
>>> model = nn.MLP(2, [3, 1], seed=0)
>>> path = os.path.join(tempfile.mkdtemp(), "model.json")
>>> nn.save(model, path)
>>> nn.load(path).state_dict() == model.state_dict()
True
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable
from typing import Any

from .files import write_atomic
from .layers import Layer, Neuron
from .module import Module
from .networks import MLP, Sequential

PathLike = str | os.PathLike[str]
FORMAT, VERSION = "graphgrad.nn", 1
MAX_FILE_BYTES = 256 * 2**20  # a 10-million-parameter model is about 200 MB of JSON
MAX_PARAMETERS = 10_000_000  # about 1.4 GB of Values and a minute to build
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
    try:
        text = json.dumps(document, allow_nan=False)
    except ValueError:
        raise ValueError(f"cannot save {type(model).__name__}: a weight is nan or inf (not JSON)") from None
    write_atomic(path, text.encode("utf-8"))


def load(path: PathLike, model: Module | None = None) -> Module:
    """The model saved at ``path``; or, given ``model``, its weights loaded into it.

    A file that is not valid JSON, not a graphgrad model, too large, or
    whose weights do not fit raises ``ValueError`` naming the file and
    saying what was wrong; ``model`` is then unchanged.

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
    where = os.fspath(path)
    document = _read(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f'{where} is not a graphgrad model file (no "format": {FORMAT!r})')
    if document.get("version") != VERSION:
        raise ValueError(f"{where} has format version {document.get('version')!r:.40}; this graphgrad reads {VERSION}")
    if not isinstance(document.get("state"), dict):
        raise ValueError(f'{where} has no "state" object holding the weights')
    try:
        if model is None:
            count = parameter_count(document.get("model"))
            if count > MAX_PARAMETERS:
                raise ValueError(
                    f"the model it describes has {count:,} parameters; nn.load builds at most {MAX_PARAMETERS:,}"
                )
            model = build(document.get("model"))
        model.load_state_dict(document["state"])
    except (TypeError, ValueError, RecursionError) as error:
        raise ValueError(f"{where}: {error}") from None
    return model


def _read(path: PathLike) -> Any:
    """The JSON document in the file, checked for size first; every number must be a finite float."""
    where = os.fspath(path)
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise ValueError(f"{where} is {size / 2**20:,.0f} MiB; nn.load reads model files of at most 256 MiB")
        data = file.read(MAX_FILE_BYTES + 1)  # a file still growing is cut off here, and refused below
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"{where} is over 256 MiB; nn.load reads model files of at most 256 MiB")
    try:
        return json.loads(
            data.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite, parse_int=_float_sized_int
        )
    except RecursionError:
        raise ValueError(f"{where} is not a model file: its JSON is nested too deeply") from None
    except MemoryError:  # a machine with little memory, and a file near the limit
        raise ValueError(f"{where} is too large to read into this machine's memory") from None
    except ValueError as error:  # json.JSONDecodeError, UnicodeDecodeError, or a number refused below
        raise ValueError(f"{where} is not valid JSON ({error})") from None


def parameter_count(config: Any) -> int:
    """How many parameters ``build(config)`` would make, counted from the declared sizes alone.

    Sizes that are not positive whole numbers count 0 here (``build`` says what is wrong with them).

    >>> parameter_count({"type": "MLP", "nin": 3000, "nouts": [3000, 3000]})
    18006000
    """
    if not isinstance(config, dict):
        return 0
    if config.get("type") == "Sequential":
        layers = config.get("layers")
        return sum(parameter_count(layer) for layer in layers) if isinstance(layers, list) else 0
    widths = {"Neuron": [1], "Layer": [config.get("nout")], "MLP": config.get("nouts")}.get(str(config.get("type")))
    sizes = [config.get("nin"), *widths] if isinstance(widths, list) else []
    if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in sizes):
        return 0
    return sum((fan_in + 1) * width for fan_in, width in itertools.pairwise(sizes))  # weights and a bias per neuron


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


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"{text:.40} is too large for a float (inf is refused, as nan is)")
    return number


def _float_sized_int(text: str) -> int:
    number = int(text)  # more than 4,300 digits: Python refuses with a ValueError
    try:
        float(number)
    except OverflowError:
        raise ValueError(f"{text:.20}... ({len(text)} digits) is too large for a float") from None
    return number
