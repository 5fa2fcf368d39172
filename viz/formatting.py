"""How the drawing writes a number: fixed decimals, and significant digits where those would read 0.

``format_number`` is the one place numbers become text, for the wires'
green and red numbers, the hover texts and the step captions alike
(``viz.scene`` re-exports it).

>>> format_number(0.7310585, 2), format_number(3.1e-05, 2), format_number(-0.0, 2)
('0.73', '3.1e-05', '0.00')
"""

from __future__ import annotations

import math

__all__ = ["SIGNIFICANT", "format_number"]

SIGNIFICANT = 2  # digits of a number smaller than the precision: 3.1e-05, 0.0042


def format_number(x: float, precision: int) -> str:
    """``x`` with ``precision`` decimals; a nonzero number smaller than that in significant digits.

    A vanishing gradient (``3.1e-05``) must not read as ``0.00``, and a
    ``-0.00`` is written ``0.00`` (no sign to misread). ``precision=0``
    writes whole numbers, as the lecture's first figure does.

    >>> format_number(-0.001, 2), format_number(-12.0, 0), format_number(0.25, 0), format_number(float("inf"), 2)
    ('-0.001', '-12', '0.25', 'inf')
    """
    if x != 0 and math.isfinite(x) and abs(x) < 10.0**-precision:
        return f"{x:.{SIGNIFICANT}g}"
    text = f"{x:.{precision}f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text
