"""Weight initializers by name: where training starts.

Each draws one weight of a layer with ``fan_in`` inputs and ``fan_out``
outputs (neurons). The scale matters: too small and the signal fades
layer by layer, too large and tanh/sigmoid saturate. Glorot (Xavier)
keeps the variance steady for tanh-like units, He doubles it for ReLU,
which zeroes half its inputs. Biases always start at zero.

    zeros           0
    random_normal   N(0, σ=1)
    uniform         U(−1/√fan_in, 1/√fan_in)       (PyTorch's nn.Linear)
    glorot_normal   N(0, σ=√(2/(fan_in+fan_out)))
    glorot_uniform  U(±√(6/(fan_in+fan_out)))     (Keras's default)
    he_normal       N(0, σ=√(2/fan_in))
    he_uniform      U(±√(6/fan_in))

The normal ones are plain normal distributions, not truncated at 2σ as
Keras does: simpler to explain, and σ is exactly the σ above.

Randomness comes from a ``random.Random`` made from ``seed``: the same
seed gives the same weights, in any process.

>>> import random
>>> draw = get_initializer("he_uniform")
>>> rng = random.Random(0)
>>> abs(draw(2, 16, rng)) <= (6 / 2) ** 0.5
True
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from .names import lookup

Seed = int | random.Random | None
Initializer = Callable[[int, int, random.Random], float]  # (fan_in, fan_out, rng) -> one weight


def _uniform(limit: Callable[[int, int], float]) -> Initializer:
    return lambda fan_in, fan_out, rng: rng.uniform(-1.0, 1.0) * limit(fan_in, fan_out)


def _normal(sigma: Callable[[int, int], float]) -> Initializer:
    return lambda fan_in, fan_out, rng: rng.gauss(0.0, sigma(fan_in, fan_out))


INITIALIZERS: dict[str, Initializer] = {
    "zeros": lambda fan_in, fan_out, rng: 0.0,
    "random_normal": _normal(lambda fan_in, fan_out: 1.0),
    "uniform": _uniform(lambda fan_in, fan_out: 1.0 / math.sqrt(fan_in)),
    "glorot_normal": _normal(lambda fan_in, fan_out: math.sqrt(2.0 / (fan_in + fan_out))),
    "glorot_uniform": _uniform(lambda fan_in, fan_out: math.sqrt(6.0 / (fan_in + fan_out))),
    "he_normal": _normal(lambda fan_in, fan_out: math.sqrt(2.0 / fan_in)),
    "he_uniform": _uniform(lambda fan_in, fan_out: math.sqrt(6.0 / fan_in)),
}


def get_initializer(name: str) -> Initializer:
    """The draw function for an initializer name; an unknown name is a ValueError listing the known ones.

    >>> import random
    >>> get_initializer("zeros")(3, 4, random.Random(0))
    0.0
    """
    return lookup(INITIALIZERS, name, "initializer")


def make_rng(seed: Seed) -> random.Random:
    """A generator for ``seed``: an int gives a repeatable one, None a fresh
    unpredictable one, and a ``random.Random`` is used as it is (so the
    neurons of a layer draw one after another from one stream).

    >>> make_rng(7).random() == make_rng(7).random()
    True
    """
    if seed is None:
        return random.Random()
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, int) and not isinstance(seed, bool):
        return random.Random(seed)
    raise TypeError(f"seed must be an int, a random.Random or None, got {type(seed).__name__} {seed!r}")
