"""autograd — a scalar automatic-differentiation engine you can read.

Start with ``engine.py``: the Value, the one path every operation takes, the
walk through the graph and ``backward()``, in one file. It reads the table of
operations in ``ops.py`` (each primitive's forward and local derivatives,
declared once) and computes with ``numerics.py`` (float functions that never
raise). Then, as needed: ``modes`` (``no_grad``, ``detect_anomaly``,
``scope``, per thread), ``numberlike`` (``float(v)``, ``f"{v:.4f}"``, ``<``),
``familiar`` (micrograd's names, answered), ``higher`` (``grad`` — derivatives
of derivatives, recorded through ``recording``), ``gates`` (operations of your
own), ``vectors`` (``vector``, ``matrix``, ``labelled``, ``jacobian``),
``gradcheck``, and ``examples`` (the lecture's three circuits). ``compile``
runs one sample's recorded graph over a whole batch as NumPy array
operations: ``tracing`` records it, ``schedule`` groups its nodes, ``steps``
are the array operations, ``arraymath`` is the op table's arithmetic for
arrays, ``samples`` reads the batches and ``compile_summary`` says what
became what.

>>> from autograd import Value
>>> x = Value(-2.0, label="x"); y = Value(5.0, label="y"); z = Value(-4.0, label="z")
>>> f = (x + y) * z
>>> f.backward()
>>> (x.grad, y.grad, z.grad)
(-4.0, -4.0, 3.0)
"""

from .compile import compile
from .engine import Constant, Value, apply, maximum, topological_order
from .gates import Gate, gate
from .gradcheck import gradcheck
from .higher import grad, hessian, hvp
from .modes import detect_anomaly, no_grad, scope
from .ops import OPS, Op
from .vectors import jacobian, labelled, matrix, vector

__version__ = "0.1.0"  # graphgrad's version: pyproject.toml reads it from here, nn and viz import it

__all__ = [
    "OPS",
    "Constant",
    "Gate",
    "Op",
    "Value",
    "apply",
    "compile",
    "detect_anomaly",
    "gate",
    "grad",
    "gradcheck",
    "hessian",
    "hvp",
    "jacobian",
    "labelled",
    "matrix",
    "maximum",
    "no_grad",
    "scope",
    "topological_order",
    "vector",
]
