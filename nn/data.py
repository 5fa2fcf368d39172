"""Small datasets that work offline, and a train/test split.

``make_moons`` draws the two interleaving half circles of micrograd's
demo (the same construction as scikit-learn's, seeded with NumPy);
``load_digits`` gives the 1,797 handwritten 8×8 digits that ship inside
scikit-learn (an optional extra: ``pip install graphgrad[digits]``).
Both return NumPy arrays ``X`` (one sample per row) and ``y`` (labels).

>>> X, y = make_moons(100, noise=0.1, seed=0)
>>> X.shape, sorted(set(y.tolist()))
((100, 2), [0, 1])
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np


def make_moons(n_samples: int = 100, noise: float = 0.1, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles in 2-D, labelled 0 (upper) and 1 (lower), shuffled.

    Gaussian ``noise`` (its σ) blurs the points; the same ``seed`` gives the same points.

    >>> X, y = make_moons(4, noise=0.0, seed=1)
    >>> X.round(2).tolist(), y.tolist()
    ([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.5], [2.0, 0.5]], [0, 0, 1, 1])
    """
    if not isinstance(n_samples, numbers.Integral) or isinstance(n_samples, bool) or n_samples < 2:
        raise ValueError(f"n_samples must be an int ≥ 2, got {n_samples!r}")
    if not isinstance(noise, numbers.Real) or not math.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a number ≥ 0 (the σ of the blur), got {noise!r}")
    rng = np.random.default_rng(seed)
    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    upper = np.linspace(0.0, np.pi, n_upper)
    lower = np.linspace(0.0, np.pi, n_lower)
    X = np.concatenate(
        [
            np.stack([np.cos(upper), np.sin(upper)], axis=1),  # centred at (0, 0), opening down
            np.stack([1.0 - np.cos(lower), 0.5 - np.sin(lower)], axis=1),  # centred at (1, 0.5), opening up
        ]
    )
    y = np.concatenate([np.zeros(n_upper, dtype=int), np.ones(n_lower, dtype=int)])
    order = rng.permutation(n_samples)
    X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits: ``X`` is 1797 × 64 pixel values scaled to [0, 1], ``y`` the digit 0–9.

    Needs scikit-learn (``pip install graphgrad[digits]``), which ships the data (no download).

    >>> X, y = load_digits()
    >>> X.shape, int(y[0]), float(X.max())
    ((1797, 64), 0, 1.0)
    """
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits
    except ImportError:
        raise ImportError(
            "nn.data.load_digits needs scikit-learn, which ships the digits: pip install graphgrad[digits]"
        ) from None
    digits = sklearn_load_digits()
    return digits.data / 16.0, digits.target  # pixels are 0..16


def train_test_split(
    X: Any, y: Any, test_size: float | int = 0.25, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle and split into ``X_train, X_test, y_train, y_test`` (scikit-learn's order).

    ``test_size`` is a fraction of the samples (rounded up) or a count.

    >>> X_train, X_test, y_train, y_test = train_test_split([[0], [1], [2], [3]], [0, 1, 2, 3], test_size=0.25)
    >>> len(X_train), len(X_test), sorted(y_train.tolist() + y_test.tolist())
    (3, 1, [0, 1, 2, 3])
    """
    X, y = np.asarray(X), np.asarray(y)
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X has {n} samples but y has {len(y)}")
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, bool):
        n_test = int(test_size)
    elif isinstance(test_size, numbers.Real) and 0.0 < test_size < 1.0:
        n_test = math.ceil(test_size * n)
    else:
        raise ValueError(f"test_size must be a fraction between 0 and 1 or a count, got {test_size!r}")
    if not 0 < n_test < n:
        raise ValueError(f"test_size={test_size!r} leaves {n - n_test} of {n} samples for training; need both parts")
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
