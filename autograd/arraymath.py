"""The op table's arithmetic for NumPy arrays: what ``autograd.compile`` passes as ``m``.

``ops.py`` writes each forward function and local derivative once, through
an ``m`` that supplies everything beyond ``+ - * ** < > ==`` (``m.exp``,
``m.where``). The engine passes ``numerics`` (floats); this module is the
same set of functions for float64 arrays, so one table entry computes a
whole batch at once. Each follows ``numerics`` value for value — inf and nan
where IEEE gives them, the same choice at every tie and kink — and is
tested against it element by element. The transcendental functions are
NumPy's own, which may differ from Python's ``math`` in the last bit.

NumPy warns on overflow and on ``log(-1)``; ``numerics`` returns inf and nan
silently, so the compiled step runs inside ``quiet()``.

>>> import numpy as np
>>> from autograd import OPS, arraymath
>>> x = np.array([-1.0, 0.0, 2.0])
>>> OPS["relu"].forward(arraymath, x), OPS["relu"].local(arraymath, None, x)
(array([0., 0., 2.]), (array([0., 0., 1.]),))
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = np.ndarray


def quiet() -> Any:
    """A context in which NumPy computes inf and nan without warnings, as ``numerics`` does.

    >>> with quiet():
    ...     exp(np.array([1000.0]))
    array([inf])
    """
    return np.errstate(all="ignore")


def exp(x: Array) -> Array:
    """e^x; inf on overflow.

    >>> exp(np.array([0.0, -1000.0]))
    array([1., 0.])
    """
    return np.exp(x)


def log(x: Array) -> Array:
    """Natural log; -inf at 0, nan below 0.

    >>> with quiet():
    ...     log(np.array([1.0, 0.0, -1.0]))
    array([  0., -inf,  nan])
    """
    return np.log(x)


def reciprocal(x: Array) -> Array:
    """1/x; ±inf at ±0.

    >>> with quiet():
    ...     reciprocal(np.array([4.0, 0.0, -0.0]))
    array([0.25,  inf, -inf])
    """
    return np.reciprocal(x)


def power(x: Array, n: Any) -> Array:
    """x**n as C's pow(): inf on overflow, nan for a negative base and a fractional exponent.

    >>> with quiet():
    ...     power(np.array([2.0, -8.0, 0.0]), np.array([10.0, 1 / 3, -1.0]))
    array([1024.,   nan,   inf])
    """
    return np.power(x, n)


def tanh(x: Array) -> Array:
    """tanh(x); exactly ±1 for large |x|.

    >>> tanh(np.array([0.0, 1000.0]))
    array([0., 1.])
    """
    return np.tanh(x)


def sigmoid(x: Array) -> Array:
    """σ(x) as ``numerics.sigmoid``: e^t is only taken for t ≤ 0, so nothing overflows.

    >>> sigmoid(np.array([0.0, 1000.0, -1000.0]))
    array([0.5, 1. , 0. ])
    """
    e = np.exp(-np.abs(x))  # e^-x where x ≥ 0, e^x where x < 0
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu(x: Array) -> Array:
    """max(x, 0); nan stays nan.

    >>> relu(np.array([-2.0, 3.0, np.nan]))
    array([ 0.,  3., nan])
    """
    return np.where(x <= 0.0, 0.0, x)


def leaky_relu(x: Array, slope: float) -> Array:
    """x for x > 0, else slope·x.

    >>> leaky_relu(np.array([-2.0, 3.0]), 0.01)
    array([-0.02,  3.  ])
    """
    return np.where(x > 0.0, x, slope * x)


def maximum(a: Array, b: Array) -> Array:
    """The larger; a tie gives the first, and nan in the first wins (as ``numerics.maximum``).

    >>> maximum(np.array([1.0, 2.0]), np.array([2.0, 1.0]))
    array([2., 2.])
    """
    return np.where((a >= b) | (a != a), a, b)


def absolute(x: Array) -> Array:
    """|x|.

    >>> absolute(np.array([-2.0, 3.0]))
    array([2., 3.])
    """
    return np.abs(x)


def sign(x: Array) -> Array:
    """1, -1 or 0 by the sign of x (0 at ±0, never -0); nan stays nan.

    >>> sign(np.array([-3.0, -0.0, 2.0]))
    array([-1.,  0.,  1.])
    """
    return np.sign(x) + 0.0  # + 0.0 turns NumPy's -0.0 into 0.0, as numerics.sign gives


def where(condition: Any, if_true: Any, if_false: Any) -> Array:
    """``if_true`` where ``condition`` holds, else ``if_false``, element by element.

    >>> where(np.array([True, False]), 1.0, 0.0)
    array([1., 0.])
    """
    return np.where(condition, if_true, if_false)
