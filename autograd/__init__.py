"""autograd — a scalar automatic-differentiation engine you can read.

Read it in this order: ``numerics`` (float functions that never raise),
``ops`` (the table of primitives), ``node`` (what a number records, and
``backward``), ``graph`` (the walk in topological order), ``value`` (the
operations) and ``derived`` (``-``, ``/`` built from them), ``modes``
(``no_grad``, ``detect_anomaly``, ``scope``), ``gradcheck``; ``examples``
builds the lecture's three circuits.

>>> from autograd import Value
>>> x = Value(-2.0, label="x"); y = Value(5.0, label="y"); z = Value(-4.0, label="z")
>>> f = (x + y) * z
>>> f.backward()
>>> (x.grad, y.grad, z.grad)
(-4.0, -4.0, 3.0)
"""

from .gradcheck import gradcheck
from .graph import topological_order
from .modes import detect_anomaly, no_grad, scope
from .ops import OPS, Op
from .value import Constant, Value, maximum

__version__ = "0.1.0"  # graphgrad's version: pyproject.toml reads it from here, nn and viz import it

__all__ = [
    "OPS",
    "Constant",
    "Op",
    "Value",
    "detect_anomaly",
    "gradcheck",
    "maximum",
    "no_grad",
    "scope",
    "topological_order",
]
