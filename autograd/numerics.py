"""Float functions that follow IEEE-754 and never raise.

Plain Python raises where NumPy and PyTorch return inf or nan:
``math.exp(1000)`` is an OverflowError, ``math.log(-1)`` a ValueError,
``1 / 0.0`` a ZeroDivisionError, ``1e200 ** 2`` an OverflowError, and
``(-8) ** (1/3)`` even returns a complex number. Every operation of the
engine computes through this module, so none of that reaches a user. It
also decides what counts as a number (``True`` is an ``int`` to Python, not
to us) and how an error message shows a value it refuses.

>>> exp(1000.0), log(-1.0), reciprocal(0.0), power(-8.0, 1 / 3)
(inf, nan, inf, nan)
"""

from __future__ import annotations

import math
import numbers
from types import NotImplementedType

inf = math.inf
nan = math.nan


def to_float(x: object, where: str) -> float:
    """``x`` as a float if it is a real number (int, float, NumPy scalar or 0-d
    array, Fraction; not bool), else a TypeError that names what was given.
    An int too large for a float becomes ±inf, as IEEE rounding does.

    >>> to_float(3, "Value()"), to_float(10**400, "Value()")
    (3.0, inf)
    >>> to_float("abc", "Value()")
    Traceback (most recent call last):
    ...
    TypeError: Value() takes an int or float, got str 'abc'
    """
    if type(x) is float:  # the common case first: one type check
        return x
    if is_real(x):
        try:
            return float(x)  # type: ignore[arg-type]
        except OverflowError:  # an int beyond 1.8e308
            return inf if x > 0 else -inf  # type: ignore[operator]
    raise TypeError(f"{where} takes an int or float, got {describe(x)}")


def not_an_operand(symbol: str, x: object, *, reflected: bool = False) -> NotImplementedType:
    """What an operation does with an operand that is not a Value or a real number:
    a TypeError naming it for Python's own types (str, None, complex, bool, list, …);
    ``NotImplemented`` for other libraries' types, which may know how to combine with a Value.

    >>> not_an_operand("*", "abc")
    Traceback (most recent call last):
    ...
    TypeError: Value * str 'abc': the other operand must be a Value, int or float
    >>> not_an_operand("max", None)
    Traceback (most recent call last):
    ...
    TypeError: max() takes Values, ints or floats, got NoneType None
    """
    if type(x).__module__ != "builtins":
        return NotImplemented
    if symbol not in ("+", "*", "-", "/", "**"):  # a named operation: max, or a gate of your own
        raise TypeError(f"{symbol}() takes Values, ints or floats, got {describe(x)}")
    expression = f"{describe(x)} {symbol} Value" if reflected else f"Value {symbol} {describe(x)}"
    accepted = (
        "the exponent must be a Value, int or float"
        if symbol == "**"
        else "the other operand must be a Value, int or float"
    )
    raise TypeError(f"{expression}: {accepted}")


def describe(x: object) -> str:
    """How an error message shows what it was given: the type, then the repr (shortened).

    >>> describe("abc"), describe(None), describe([1.0] * 20)
    ("str 'abc'", 'NoneType None', 'list [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1....')
    """
    shown = repr(x)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f"{type(x).__name__} {shown}"


def is_real(x: object) -> bool:
    """True for the numbers an expression may hold: real, and not bool; a NumPy
    0-d array of ints or floats counts (``np.array(2.0)``, what ``arr.sum()`` may give).

    >>> is_real(2), is_real(2.5), is_real(True), is_real(1j), is_real("2")
    (True, True, False, False, False)
    """
    if isinstance(x, numbers.Real):
        return not isinstance(x, bool)
    # A 0-d array, duck-typed so that this module needs no NumPy.
    return getattr(x, "shape", None) == () and getattr(getattr(x, "dtype", None), "kind", "") in ("i", "u", "f")


def _is_odd_integer(n: float) -> bool:
    return math.isfinite(n) and n == math.floor(n) and abs(n) < 2**53 and int(n) % 2 == 1


def exp(x: float) -> float:
    """e^x; inf on overflow.

    >>> exp(0.0), exp(1000.0), exp(-1000.0)
    (1.0, inf, 0.0)
    """
    try:
        return math.exp(x)
    except OverflowError:
        return inf


def log(x: float) -> float:
    """Natural log; -inf at 0, nan below 0.

    >>> log(1.0), log(0.0), log(-1.0)
    (0.0, -inf, nan)
    """
    if x > 0.0:
        return math.log(x)  # inf stays inf
    if x == 0.0:
        return -inf
    return nan  # negative, or nan


def reciprocal(x: float) -> float:
    """1/x; ±inf at ±0 (the sign of zero decides).

    >>> reciprocal(4.0), reciprocal(0.0), reciprocal(-0.0)
    (0.25, inf, -inf)
    """
    if x == 0.0:
        return math.copysign(inf, x)
    return 1.0 / x


def power(x: float, n: float) -> float:
    """x**n as C's pow(): overflow gives ±inf, a negative base with a
    fractional exponent gives nan (never a complex number).

    >>> power(2.0, 10.0), power(1e200, 2.0), power(-8.0, 1 / 3), power(0.0, -1.0)
    (1024.0, inf, nan, inf)
    """
    try:
        return math.pow(x, n)
    except OverflowError:
        return -inf if (x < 0.0 and _is_odd_integer(n)) else inf
    except ValueError:
        if x == 0.0:  # 0 ** negative: a pole, signed like the zero for odd n
            return math.copysign(inf, x) if _is_odd_integer(n) else inf
        return nan  # negative base, non-integer exponent


def tanh(x: float) -> float:
    """tanh(x); exact ±1 for large |x| (math.tanh never overflows).

    >>> tanh(0.0), tanh(1000.0)
    (0.0, 1.0)
    """
    return math.tanh(x)


def sigmoid(x: float) -> float:
    """σ(x) = 1/(1+e^−x), written so that e^t is only taken for t ≤ 0,
    which cannot overflow.

    >>> sigmoid(0.0), sigmoid(1000.0), sigmoid(-1000.0)
    (0.5, 1.0, 0.0)
    """
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    if x < 0.0:
        e = math.exp(x)
        return e / (1.0 + e)
    return nan


def relu(x: float) -> float:
    """max(x, 0); nan stays nan as in PyTorch.

    >>> relu(-2.0), relu(3.0)
    (0.0, 3.0)
    """
    return 0.0 if x <= 0.0 else x


def leaky_relu(x: float, slope: float) -> float:
    """x for x > 0, else slope·x.

    >>> leaky_relu(-2.0, 0.01)
    -0.02
    """
    return x if x > 0.0 else slope * x


def maximum(a: float, b: float) -> float:
    """The larger; a tie returns the first; nan wins, as in NumPy.

    >>> maximum(1.0, 2.0), maximum(2.0, 1.0)
    (2.0, 2.0)
    """
    return a if (a >= b or a != a) else b


def absolute(x: float) -> float:
    """|x|.

    >>> absolute(-2.0), absolute(3.0)
    (2.0, 3.0)
    """
    return abs(x)


def sign(x: float) -> float:
    """1.0, -1.0 or 0.0 by the sign of x (0 at 0, as the derivative of |x| in PyTorch); nan stays nan.

    >>> sign(-3.0), sign(0.0), sign(2.0)
    (-1.0, 0.0, 1.0)
    """
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return x if x != x else 0.0


def where(condition: bool, if_true: float, if_false: float) -> float:
    """``if_true`` if ``condition`` else ``if_false``: the conditional the op table's
    local derivatives are written with (``numpy.where`` does the same for arrays).

    >>> where(2.0 > 0.0, 1.0, 0.0)
    1.0
    """
    return if_true if condition else if_false


def is_finite(x: float) -> bool:
    """False for inf, -inf and nan.

    >>> is_finite(1.0), is_finite(math.inf)
    (True, False)
    """
    return math.isfinite(x)
