"""PyTorch as the oracle: each primitive of ``autograd.OPS`` in torch, and
random expression programs written once and run on either engine.

A *program* is a list of steps over a growing pool of nodes: the inputs
first, then each step's result. A step names an operation of the table and
the pool positions of its operands, so any node can be used many times
(fan-out, ``a * a``). ``run`` executes a program through a *backend* — Values
or float64 tensors — so the very same expression is built on both
(minitorch's way of writing a test once).

Every operand is first brought into its operation's domain by other
operations (``log`` of ``σ(x) + 0.5``, ``exp`` of ``2·tanh(x)``); the kinks
of relu and max are stepped around, and runaway magnitudes refused, with
``hypothesis.assume`` — so PyTorch and finite differences must agree with
the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from hypothesis import assume
from hypothesis import strategies as st

from autograd import OPS, Op, Value

# Each primitive in PyTorch: (*operands, *param) -> tensor.
TORCH: dict[str, Callable[..., torch.Tensor]] = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "pow": lambda a, n: a**n,
    "pow_value": lambda a, b: a**b,
    "exp": torch.exp,
    "log": torch.log,
    "reciprocal": torch.reciprocal,
    "max": torch.maximum,
    "relu": torch.relu,
    "leaky_relu": lambda a, slope: torch.nn.functional.leaky_relu(a, slope),
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "abs": torch.abs,
}

# The operator spelling of the primitives that are not plain methods.
OPERATORS: dict[str, Callable[..., Any]] = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "pow": lambda a, n: a**n,
    "pow_value": lambda a, b: a**b,
    "abs": abs,
}

KINK = 0.01  # how far relu inputs and max operands stay from their kink (finite differences nudge by ~1e-3)
LARGEST = 1e3  # bigger intermediate values are refused, so nothing overflows and tolerances stay meaningful


def apply_value(op: Op, operands: Sequence[Any], param: float | None = None) -> Any:
    """The primitive ``op`` applied through Value's public spelling (``a + b``, ``a ** n``, ``a.exp()``)."""
    extra = () if param is None else (param,)
    if op.name in OPERATORS:
        return OPERATORS[op.name](*operands, *extra)
    first, *rest = operands
    return getattr(first, op.name)(*rest, *extra)


def apply_torch(op: Op, operands: Sequence[torch.Tensor], param: float | None = None) -> torch.Tensor:
    """The same primitive in PyTorch."""
    return TORCH[op.name](*operands, *(() if param is None else (param,)))


def operand_values(op: Op) -> st.SearchStrategy[float]:
    """Numbers inside ``op``'s test domain (a union of intervals)."""
    return st.one_of([st.floats(lo, hi) for lo, hi in op.domain])


def param_values(op: Op) -> st.SearchStrategy[float | None]:
    """The extra number (exponent, slope), or None for operations without one."""
    if op.param_domain is None:
        return st.none()
    lo, hi = op.param_domain
    return st.floats(lo, hi)


def local_derivatives_torch(op: Op, operands: Sequence[float], param: float | None) -> tuple[float, list[float]]:
    """PyTorch's output and ∂out/∂operand for each operand, in float64."""
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in operands]
    out = apply_torch(op, leaves, param)
    grads = torch.autograd.grad(out, leaves)
    return out.item(), [g.item() for g in grads]


# ---- programs: random expression graphs -------------------------------------


@dataclass(frozen=True)
class Step:
    """One operation of a program: the table entry, operand positions in the pool, the extra number."""

    op: str
    operands: tuple[int, ...]
    param: float | None = None


@dataclass(frozen=True)
class Program:
    inputs: tuple[float, ...]
    steps: tuple[Step, ...]

    def __str__(self) -> str:  # what hypothesis prints for a failing example
        lines = [f"n{i} = input {x!r}" for i, x in enumerate(self.inputs)]
        for k, s in enumerate(self.steps, start=len(self.inputs)):
            extra = "" if s.param is None else f", {s.param!r}"
            lines.append(f"n{k} = {s.op}({', '.join(f'n{i}' for i in s.operands)}{extra})")
        return "\n".join(lines)


@st.composite
def programs(draw: st.DrawFn, max_inputs: int = 3, max_steps: int = 10) -> Program:
    """A random program using every kind of operation, operands drawn from the whole pool."""
    inputs = tuple(draw(st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=max_inputs)))
    steps = []
    for k in range(draw(st.integers(1, max_steps))):
        pool = len(inputs) + k
        op = OPS[draw(st.sampled_from(sorted(OPS)))]
        operands = tuple(draw(st.integers(0, pool - 1)) for _ in range(op.arity))
        steps.append(Step(op.name, operands, draw(param_values(op))))
    return Program(inputs, tuple(steps))


class ValueBackend:
    """Build on autograd Values."""

    leaf = staticmethod(lambda x: Value(x))
    data = staticmethod(lambda v: v.data)
    apply = staticmethod(apply_value)


class TorchBackend:
    """Build on float64 tensors that require gradients."""

    leaf = staticmethod(lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True))
    data = staticmethod(lambda t: t.item())
    apply = staticmethod(apply_torch)


def run(program: Program, backend: Any, inputs: Sequence[Any] | None = None) -> tuple[Any, list[Any]]:
    """Execute ``program`` with ``backend``: the output (the sum of every node, so each one
    reaches it) and the pool of nodes (inputs, then each step's result).

    ``inputs`` are the leaves to use (default: new ones from ``program.inputs``).
    """
    pool = list(inputs) if inputs is not None else [backend.leaf(x) for x in program.inputs]
    for step in program.steps:
        op = OPS[step.op]
        args = [_into_domain(op, pool[i], first=k == 0) for k, i in enumerate(step.operands)]
        if op.name in ("relu", "leaky_relu", "abs"):
            assume(abs(backend.data(args[0])) > KINK)
        if op.name == "max":
            assume(abs(backend.data(args[0]) - backend.data(args[1])) > KINK)
        result = backend.apply(op, args, step.param)
        assume(abs(backend.data(result)) < LARGEST)  # also refuses nan
        pool.append(result)
    total = pool[0]
    for node in pool[1:]:
        total = total + node
    return total, pool


def _into_domain(op: Op, x: Any, first: bool = True) -> Any:
    """Bring an operand inside ``op``'s domain with other operations, identically on both backends."""
    if op.name in ("log", "pow", "reciprocal") or (op.name == "pow_value" and first):
        return x.sigmoid() + 0.5  # in (0.5, 1.5): log, fractional powers and 1/x are smooth there
    if op.name == "exp":
        return x.tanh() * 2  # exp stays below e²
    return x
